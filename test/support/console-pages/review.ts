/**
 * The reviewer's pages (reviewer.scjg, FZ-SCJG): each queue, and one objection, designation case,
 * commitment and conduct report, put in through the platform's own API as their people would.
 */
import { sessionCookie } from '../session.ts';
import { penaltyRecord } from '../records.ts';
import type { ServedApp } from '../browser.ts';
import type { ConsoleArea } from './index.ts';

const OWN = '91350100M000100Y43'; // the demo company user's subject
const ACCOUNT = 'reviewer.scjg';

async function seed(t: ServedApp): Promise<Record<string, string>> {
  const clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' }))
    .actor;
  const number = '榕市监处〔2026〕981号';
  await t.container.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'admin_penalty',
    records: [penaltyRecord({ 行政处罚决定书文号: number, 处罚决定日期: '2026-09-01' })],
  });
  const record = await t.container.database.db
    .selectFrom('record')
    .select('id')
    .where('identity_key', '=', number)
    .where('is_current', '=', true)
    .executeTakeFirstOrThrow();
  const company = await sessionCookie(t.app, 'company.user');
  const reviewer = await sessionCookie(t.app, ACCOUNT);
  const post = async (url: string, payload: unknown, cookie?: string): Promise<string> => {
    const res = await t.app.inject({
      method: 'POST',
      url,
      payload: payload as Record<string, unknown>,
      ...(cookie === undefined ? {} : { headers: { cookie } }),
    });
    if (res.statusCode !== 201) {
      throw new Error(`${url} answered ${res.statusCode}: ${res.body}`);
    }
    const body = res.json<{ id?: number; report?: unknown }>();
    return String(body.id ?? '');
  };
  const objection = await post(
    '/api/objections',
    { recordId: record.id, reasons: '罚款金额有误（测试）' },
    company,
  );
  const commitment = await post(
    '/api/commitments',
    { kind: 'licensing', department: 'FZ-SCJG', matter: '食品经营许可（测试）', fulfilBy: '2027-06-30' },
    company,
  );
  const designation = await post(
    '/api/list-cases',
    {
      listType: 'DEMO-SCJG-SERIOUS',
      subjectCode: OWN,
      facts: {
        reasons: '在经营场所发布虚假广告（测试）',
        basis: '认定标准第九条（测试）',
        actDate: '2026-01-15',
        category: 'fair_competition',
      },
    },
    reviewer,
  );
  await post('/api/public/conduct-reports', {
    subjectName: '福州某贸易有限公司',
    subjectCode: OWN,
    domain: 'market_supervision',
    description: '价格标示与结算价格不一致（测试）',
    reporter: { name: '测试', contact: '13800000000' },
  });
  const reports = await t.app.inject({
    method: 'GET',
    url: '/api/conduct-reports',
    headers: { cookie: reviewer },
  });
  const report = String(reports.json<Array<{ id: number }>>()[0]?.id ?? '');
  return { objection, commitment, designation, report };
}

const LIST_READY = 'main h1#console-title ~ .review :is(table.queue, p.empty)';
const ONE_READY = 'main .review section.panel';

export const area: ConsoleArea = {
  name: 'review',
  seed,
  pages: (s) => [
    { name: 'objections', path: '/console/objections', ready: LIST_READY, account: ACCOUNT },
    {
      name: 'an objection',
      path: `/console/objections/${s.objection ?? ''}`,
      ready: ONE_READY,
      account: ACCOUNT,
    },
    { name: 'repairs', path: '/console/repairs?show=all', ready: LIST_READY, account: ACCOUNT },
    { name: 'designations', path: '/console/designations', ready: LIST_READY, account: ACCOUNT },
    {
      name: 'a designation case',
      path: `/console/designations/${s.designation ?? ''}`,
      ready: 'main .review #case-next',
      account: ACCOUNT,
    },
    { name: 'commitments', path: '/console/commitments', ready: LIST_READY, account: ACCOUNT },
    {
      name: 'a commitment',
      path: `/console/commitments/${s.commitment ?? ''}`,
      ready: ONE_READY,
      account: ACCOUNT,
    },
    { name: 'conduct reports', path: '/console/conduct-reports', ready: LIST_READY, account: ACCOUNT },
    {
      name: 'a conduct report',
      path: `/console/conduct-reports/${s.report ?? ''}`,
      ready: ONE_READY,
      account: ACCOUNT,
    },
  ],
};
