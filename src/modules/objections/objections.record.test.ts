/**
 * One objection as its department's reviewer reads it: with the record objected to as it stands
 * now (status, decision date, document number, its fields by the catalog's keys, whether it is a
 * list entry), which the subject filing it is not shown again here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { penaltyRecord } from '../../../test/support/records.ts';
import { sessionCookie } from '../../../test/support/session.ts';

const NUMBER = '榕市监处〔2026〕971号';

interface Read {
  id: number;
  recordId: number;
  record?: {
    status: string;
    decisionDate: string | null;
    documentNumber: string;
    fields: Array<{ key: string; value: string }>;
    listCase: number | null;
  };
}

let t: TestApp;
let objection: number;
let recordId: number;

beforeAll(async () => {
  t = await createTestApp();
  const clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' }))
    .actor;
  const batch = await t.container.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'admin_penalty',
    records: [
      penaltyRecord({
        行政处罚决定书文号: NUMBER,
        处罚决定日期: '2026-09-01',
        处罚类别: '罚款',
        处罚内容: '罚款人民币二万元',
        '罚款金额（万元）': '2',
      }),
    ],
  });
  expect(batch.accepted).toBe(1);
  const found = await t.container.database.db
    .selectFrom('record')
    .select('id')
    .where('identity_key', '=', NUMBER)
    .where('is_current', '=', true)
    .executeTakeFirstOrThrow();
  recordId = found.id;
  const filed = await t.app.inject({
    method: 'POST',
    url: '/api/objections',
    headers: { cookie: await sessionCookie(t.app, 'company.user') },
    payload: { recordId, reasons: '罚款金额有误' },
  });
  expect(filed.statusCode).toBe(201);
  objection = filed.json<{ id: number }>().id;
});

afterAll(async () => {
  await t.close();
});

describe('GET /api/objections/{id}', () => {
  it('gives the department’s reviewer the record objected to, by the catalog’s field keys', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/objections/${objection}`,
      headers: { cookie: await sessionCookie(t.app, 'reviewer.scjg') },
    });
    expect(res.statusCode).toBe(200);
    const read = res.json<Read>();
    expect(read.record).toMatchObject({
      status: 'under_objection',
      decisionDate: '2026-09-01',
      documentNumber: NUMBER,
      listCase: null,
    });
    const item = await t.container.catalog.item('admin_penalty');
    const keys = new Set(item.definition.fields.map((f) => f.key));
    expect(read.record?.fields.length).toBeGreaterThan(3);
    expect(read.record?.fields.every((f) => keys.has(f.key))).toBe(true);
    expect(read.record?.fields.map((f) => f.value)).toContain('罚款人民币二万元');
  });

  it('does not add it for the subject, nor to the list of objections', async () => {
    const own = await t.app.inject({
      method: 'GET',
      url: `/api/objections/${objection}`,
      headers: { cookie: await sessionCookie(t.app, 'company.user') },
    });
    expect(own.statusCode).toBe(200);
    expect(own.json<Read>().record).toBeUndefined();
    const listed = await t.app.inject({
      method: 'GET',
      url: '/api/objections',
      headers: { cookie: await sessionCookie(t.app, 'reviewer.scjg') },
    });
    expect(listed.json<Read[]>().find((o) => o.id === objection)?.record).toBeUndefined();
  });
});
