/**
 * The evaluation in the console: a company with a registration and a general penalty looked up by
 * the credit officer (its explanation, records and notes), a citizen ID refused
 * next to the field, and the administrator's models with the shipped model's first run.
 */
import { DEMO_PASSWORD } from '../../../src/modules/auth/index.ts';
import { addDays, todayInShanghai } from '../../../src/platform/calendar/index.ts';
import { codes, penaltyRecord, registrationRecord } from '../records.ts';
import type { ConsoleArea } from './index.ts';

const COMPANY = { code: codes.uscc('91350102', 'MA8EPJ01'), name: '福州评价说明示例有限公司' };
/** A valid citizen ID (natural persons are never evaluated). */
const PERSON = codes.citizenId('35010219800101123');

export const area: ConsoleArea = {
  name: 'evaluation',
  seed: async (t) => {
    const clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: DEMO_PASSWORD })).actor;
    const send = async (item: string, records: Array<Record<string, unknown>>) => {
      const s = await t.container.ingest.ingestRecords(clerk, { department: 'FZ-SCJG', item, records });
      if (s.rejected > 0) {
        throw new Error(`evaluation seed: ${item} refused: ${JSON.stringify(s)}`);
      }
    };
    await send('registration', [registrationRecord(COMPANY.code, COMPANY.name)]);
    await send('admin_penalty', [
      penaltyRecord({
        行政相对人名称: COMPANY.name,
        统一社会信用代码: COMPANY.code,
        行政处罚决定书文号: '榕市监处〔2026〕301号',
        处罚决定日期: addDays(todayInShanghai(), -40),
        失信程度: '一般',
      }),
    ]);
    return { code: COMPANY.code };
  },
  pages: (seeded) => [
    {
      name: 'evaluation look-up (credit officer)',
      path: `/console/evaluations?code=${seeded.code ?? ''}`,
      ready: 'main .ev-indicator table',
      account: 'officer.zj',
    },
    {
      name: 'evaluation look-up, a citizen ID',
      path: `/console/evaluations?code=${PERSON}`,
      ready: '#evaluation-code-error',
      account: 'officer.zj',
    },
    {
      name: 'evaluation models',
      path: '/console/evaluation-models',
      ready: '#runs-list ~ .table-wrap .el-table__row',
      account: 'admin',
    },
  ],
};
