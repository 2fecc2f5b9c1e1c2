/**
 * Only the collecting department sends an item: by file, by API or by revocation, refused before
 * anything is read (collect.department); and each row's source code must be the sender's own
 * (collect.source, per row).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { penaltyRecord } from '../../../test/support/records.ts';
import type { Actor } from '../auth/index.ts';

let t: TestApp;
let scjg: Actor;
let sw: Actor;
let fy: Actor;
const TAX_BUREAU = '11350100003664128P'; // FZ-SW's unified code
const COURT = '113501000036641528'; // FZ-FY's

beforeAll(async () => {
  t = await createTestApp();
  const system = async (department: string) => {
    const actor = await t.container.auth.departmentSystem(department, 'data_clerk', 'test');
    if (actor === undefined) {
      throw new Error(`no demo department ${department}`);
    }
    return actor;
  };
  scjg = await system('FZ-SCJG');
  sw = await system('FZ-SW');
  fy = await system('FZ-FY');
});

afterAll(async () => {
  await t.close();
});

const batches = async () =>
  Number(
    (
      await t.container.database.db
        .selectFrom('batch')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the collecting department', () => {
  it('refuses a court list from a market regulator, and registrations from a tax bureau, writing nothing', async () => {
    const before = await batches();
    await expect(
      t.container.ingest.ingestRecords(scjg, {
        department: 'FZ-SCJG',
        item: 'dishonest_judgment_debtor',
        records: [{ '失信被执行人姓名/名称': '某公司' }],
      }),
    ).rejects.toMatchObject({
      status: 403,
      rule: 'collect.department',
      field: 'item',
      value: 'dishonest_judgment_debtor',
      message: expect.stringContaining('collected by departments of judicial') as unknown,
    });
    await expect(
      t.container.ingest.ingestRecords(sw, {
        department: 'FZ-SW',
        item: 'registration',
        records: [{ 主体名称: '某公司' }],
      }),
    ).rejects.toMatchObject({ status: 403, rule: 'collect.department' });
    await expect(
      t.container.revocation.revoke(sw, {
        department: 'FZ-SW',
        item: 'registration',
        documentNumber: 'x',
        subjectCode: '91350100M000100Y43',
        reason: 'test',
      }),
    ).rejects.toMatchObject({ status: 403, rule: 'collect.department' });
    expect(await batches()).toBe(before);
  });

  it('lets the court send its list and a tax bureau its penalties', async () => {
    const court = await t.container.ingest.ingestRecords(fy, {
      department: 'FZ-FY',
      item: 'dishonest_judgment_debtor',
      records: [
        {
          '失信被执行人姓名/名称': '福州某贸易有限公司',
          统一社会信用代码: '91350100M000100Y43',
          法定代表人或者负责人姓名: '张三',
          执行法院: '福州市中级人民法院（演示）',
          案号: '（2025）闽01执123号',
          执行依据文号: '（2024）闽01民初45号',
          生效法律文书确定的义务: '支付货款十万元',
          失信被执行人行为具体情形: '有履行能力而拒不履行生效法律文书确定义务',
          立案日期: '2025-01-10',
          发布日期: '2025-06-10',
          数据来源单位: '福州市中级人民法院（演示）',
          数据来源单位统一社会信用代码: COURT,
        },
      ],
    });
    expect(court).toMatchObject({ accepted: 1, rejected: 0 });
    const tax = await t.container.ingest.ingestRecords(sw, {
      department: 'FZ-SW',
      item: 'admin_penalty',
      records: [
        penaltyRecord({
          行政处罚决定书文号: '榕税罚〔2025〕1号',
          处罚机关: '福州市税务局（演示）',
          处罚机关统一社会信用代码: TAX_BUREAU,
          数据来源单位: '福州市税务局（演示）',
          数据来源单位统一社会信用代码: TAX_BUREAU,
        }),
      ],
    });
    expect(tax).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it('refuses a department with no unified code on file until it has one', async () => {
    await t.container.database.db
      .insertInto('department')
      .values({
        code: 'FZ-HB',
        name: '福州市生态环境局',
        division: '350100',
        level: 'prefectural',
        domains: ['environment'],
        uscc: null,
      })
      .execute();
    const hb = await t.container.auth.departmentSystem('FZ-HB', 'data_clerk', 'test');
    const ENVIRONMENT = '113501000036641603';
    const records = [
      penaltyRecord({
        行政处罚决定书文号: '榕环罚〔2025〕1号',
        数据来源单位: '福州市生态环境局',
        数据来源单位统一社会信用代码: ENVIRONMENT,
      }),
    ];
    const send = () =>
      t.container.ingest.ingestRecords(hb as Actor, { department: 'FZ-HB', item: 'admin_penalty', records });
    await expect(send()).rejects.toMatchObject({
      status: 422,
      rule: 'collect.source',
      field: 'department',
      value: 'FZ-HB',
    });
    const updated = await t.container.auth.updateDepartment({ kind: 'system', name: 'test' }, 'FZ-HB', {
      uscc: ENVIRONMENT,
    });
    expect(updated.uscc).toBe(ENVIRONMENT);
    expect(await send()).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it("rejects a row whose source code is not the sender's own, keeping it with the reason", async () => {
    const summary = await t.container.ingest.ingestRecords(scjg, {
      department: 'FZ-SCJG',
      item: 'admin_penalty',
      records: [
        penaltyRecord({ 行政处罚决定书文号: '榕市监处〔2025〕301号' }),
        penaltyRecord({
          行政处罚决定书文号: '榕市监处〔2025〕302号',
          数据来源单位统一社会信用代码: TAX_BUREAU,
        }),
      ],
    });
    expect(summary).toMatchObject({ accepted: 1, rejected: 1 });
    const { rows } = await t.container.ingest.problems({ kind: 'system', name: 'test' }, summary.batchId);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.reasons).toContain('collect.source');
    expect(rows[0]?.reasons).toContain(
      `数据来源单位统一社会信用代码 ${TAX_BUREAU} is not the code of the sending department FZ-SCJG`,
    );
  });
});
