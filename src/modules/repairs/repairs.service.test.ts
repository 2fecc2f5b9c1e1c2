/**
 * Credit repair end to end: a company applies for repair of a penalty whose shortest display period
 * has passed; an application before that date is refused saying from when; the department returns
 * an incomplete application once, the company sends what was missing, and the approved repair ends
 * the record's publication (the public file no longer shows it; the company's own file keeps it,
 * marked repaired). Deadlines count working days across National Day and its make-up Saturday.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { codes, penaltyRecord, registrationRecord } from '../../../test/support/records.ts';
import { AttachmentStore, createDataProtector, type AppError } from '../../platform/index.ts';
import type { Actor } from '../auth/index.ts';
import { RepairService } from './index.ts';

const COMPANY = codes.uscc('91350100', 'MA7RPR01');
/** The day before National Day: 3 working days skip 1–7 October and end on the make-up Saturday. */
const TODAY = '2026-09-30';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

let t: TestApp;
let repairs: RepairService;
let company: Actor;
let reviewer: Actor;
const records: Record<string, number> = {};

const fine = (documentNumber: string, decided: string) =>
  penaltyRecord({
    行政相对人名称: '福州某修复商贸有限公司',
    统一社会信用代码: COMPANY,
    行政处罚决定书文号: documentNumber,
    处罚决定日期: decided,
    处罚类别: '罚款',
    处罚内容: '罚款人民币二万元',
    '罚款金额（万元）': '2',
  });

const applications = async () =>
  Number(
    (
      await t.container.database.db
        .selectFrom('repair_application')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function signIn(username: string, password: string): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  expect(res.statusCode).toBe(200);
  return String(res.headers['set-cookie']).split(';')[0] ?? '';
}

const publicIds = async () => {
  const res = await t.app.inject({ method: 'GET', url: `/api/public/subjects/${COMPANY}` });
  expect(res.statusCode).toBe(200);
  return res
    .json<{ categories: Array<{ records: Array<{ id: number }> }> }>()
    .categories.flatMap((c) => c.records.map((r) => r.id));
};

beforeAll(async () => {
  t = await createTestApp();
  const c = t.container;
  const login = async (username: string) =>
    (await c.auth.login({ username, password: 'xinyong-demo-2026' })).actor;
  const clerk = await login('clerk.scjg');
  reviewer = await login('reviewer.scjg');
  // A company user for this company, as an administrator would open one.
  await c.auth.createUser(
    { kind: 'system', name: 'test' },
    {
      username: 'repair.company',
      displayName: '福州某修复商贸有限公司',
      password: 'a-long-password-2026',
      role: 'subject_user',
      subject: COMPANY,
    },
  );
  company = (await c.auth.login({ username: 'repair.company', password: 'a-long-password-2026' })).actor;
  const send = (item: string, rows: Array<Record<string, unknown>>) =>
    c.ingest.ingestRecords(clerk, { department: 'FZ-SCJG', item, records: rows });
  expect((await send('registration', [registrationRecord(COMPANY, '福州某修复商贸有限公司')])).accepted).toBe(
    1,
  );
  const batch = await send('admin_penalty', [
    fine('榕市监处〔2026〕601号', '2026-06-01'),
    fine('榕市监处〔2026〕602号', '2026-06-02'),
    fine('榕市监处〔2026〕603号', '2026-09-20'),
  ]);
  expect(batch.accepted).toBe(3);
  for (const [key, doc] of [
    ['approved', '榕市监处〔2026〕601号'],
    ['refused', '榕市监处〔2026〕602号'],
    ['early', '榕市监处〔2026〕603号'],
  ] as const) {
    records[key] = (
      await c.database.db
        .selectFrom('record')
        .select('id')
        .where('identity_key', '=', doc)
        .where('is_current', '=', true)
        .executeTakeFirstOrThrow()
    ).id;
  }
  repairs = new RepairService(
    c.database.db,
    c.audit,
    createDataProtector(c.config.dataKeyFile),
    c.catalog,
    c.lists,
    new AttachmentStore(c.config.attachmentsDir),
    () => c.calendar.current(),
    () => TODAY,
  );
});

afterAll(async () => {
  await t.close();
});

describe('applying', () => {
  it('is refused before the shortest display period has passed, saying from when, and writes nothing', async () => {
    const err = (await repairs
      .apply(company, { recordId: records.early ?? 0, statement: '已缴纳罚款', commitment: true })
      .catch((e: unknown) => e)) as AppError;
    expect(err.rule).toBe('repair.shortest_period');
    // 3 months after the decision of 2026-09-20.
    expect(err.messageIn('en')).toContain('2026-12-20');
    expect(await applications()).toBe(0);
  });

  it('needs the repair commitment signed', async () => {
    const err = (await repairs
      .apply(company, { recordId: records.approved ?? 0, statement: '已缴纳罚款', commitment: false })
      .catch((e: unknown) => e)) as AppError;
    expect(err.rule).toBe('repair.commitment');
    expect(await applications()).toBe(0);
  });

  it('is accepted once eligible, free, with a deadline of 3 working days across National Day', async () => {
    const a = await repairs.apply(company, {
      recordId: records.approved ?? 0,
      statement: '罚款已于2026年6月10日缴纳，违法行为已整改',
      commitment: true,
    });
    expect(a).toMatchObject({
      status: 'submitted',
      submittedOn: TODAY,
      dueOn: '2026-10-10',
      filedVia: 'account',
    });
    expect(a.commitment).toContain('承诺');
    expect(JSON.stringify(a)).not.toMatch(/fee|费/i);
    const second = (await repairs
      .apply(company, { recordId: records.approved ?? 0, statement: '再次', commitment: true })
      .catch((e: unknown) => e)) as AppError;
    expect(second.rule).toBe('repair.one_open');
  });
});

describe('deciding', () => {
  it('returns an incomplete application once with what is missing; the company sends it again', async () => {
    const [a] = await repairs.list(company, { status: 'submitted' });
    const returned = await repairs.decide(reviewer, a?.id ?? 0, {
      action: 'return',
      reasons: '材料不全',
      missing: ['罚款缴纳凭证'],
    });
    expect(returned).toMatchObject({ status: 'returned', returnedOnce: true, missing: ['罚款缴纳凭证'] });
    // Only the applicant sends it again: an auditor who may read it is answered as by a missing one.
    const auditor = (await t.container.auth.login({ username: 'auditor', password: 'xinyong-demo-2026' }))
      .actor;
    const byAuditor = (await repairs
      .resubmit(auditor, a?.id ?? 0, { statement: '代为补充' })
      .catch((e: unknown) => e)) as AppError;
    expect(byAuditor.status).toBe(404);
    const again = await repairs.resubmit(company, a?.id ?? 0, {
      statement: '补充罚款缴纳凭证',
      attachments: [{ fileName: '缴款凭证.pdf', content: PDF }],
    });
    expect(again.status).toBe('submitted');
    expect(again.attachments.map((f) => f.fileName)).toEqual(['缴款凭证.pdf']);
    const twice = (await repairs
      .decide(reviewer, a?.id ?? 0, { action: 'return', reasons: '仍不全', missing: ['整改报告'] })
      .catch((e: unknown) => e)) as AppError;
    expect(twice.rule).toBe('repair.return_once');
  });

  it('approved: publication ends — gone from the public file, kept in the company’s own, marked repaired', async () => {
    expect(await publicIds()).toContain(records.approved);
    const [a] = await repairs.list(company, { status: 'submitted' });
    const approved = await repairs.decide(reviewer, a?.id ?? 0, {
      action: 'approve',
      reasons: '已履行处罚决定',
    });
    expect(approved).toMatchObject({ status: 'approved', outcome: 'end_disclosure' });
    const version = await t.container.database.db
      .selectFrom('record')
      .select(['status', 'repair_outcome', 'is_current'])
      .where('id', '=', approved.resultRecordId ?? 0)
      .executeTakeFirstOrThrow();
    expect(version).toEqual({ status: 'repaired', repair_outcome: 'end_disclosure', is_current: true });
    const ids = await publicIds();
    expect(ids).not.toContain(records.approved);
    expect(ids).not.toContain(approved.resultRecordId);
    expect(ids).toContain(records.refused);
    const own = await t.app.inject({
      method: 'GET',
      url: `/api/subjects/${COMPANY}/file`,
      headers: { cookie: await signIn('repair.company', 'a-long-password-2026') },
    });
    const mine = own
      .json<{ categories: Array<{ records: Array<{ id: number; status: string }> }> }>()
      .categories.flatMap((c) => c.records);
    expect(mine.find((r) => r.id === approved.resultRecordId)?.status).toBe('repaired');
    // Once repaired, the record is never eligible again.
    const done = (await repairs
      .apply(company, { recordId: approved.resultRecordId ?? 0, statement: 'x', commitment: true })
      .catch((e: unknown) => e)) as AppError;
    expect(done.rule).toBe('repair.done');
  });

  it('refused: the record stays, the company is told why and its remedies; only the determining department decides', async () => {
    const a = await repairs.apply(company, {
      recordId: records.refused ?? 0,
      statement: '已整改',
      commitment: true,
    });
    const clerk = (await t.container.auth.login({ username: 'clerk.sw', password: 'xinyong-demo-2026' }))
      .actor;
    const foreign = (await repairs
      .decide(clerk, a.id, { action: 'refuse', reasons: '不同意' })
      .catch((e: unknown) => e)) as AppError;
    expect([403, 404]).toContain(foreign.status);
    const refused = await repairs.decide(reviewer, a.id, { action: 'refuse', reasons: '未提交履行证明' });
    expect(refused.status).toBe('refused');
    expect(await publicIds()).toContain(records.refused);
    const told = await t.container.database.db
      .selectFrom('outbox')
      .select('body')
      .where('topic', '=', 'repair.refused')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(told.body)).toContain('行政复议');
  });
});
