/**
 * The objection procedure end to end: a company objects to its own penalty record, which is marked
 * under objection at once (public file, credit checks); the market regulator decides within 5
 * working days counted across the National Day holiday and its make-up Saturday; a rejection
 * restores the record, an upheld objection revokes or corrects it; the subject is told the outcome
 * with its remedies; a foreign record, a second objection, an executable renamed .pdf are refused
 * with nothing written.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { horizonPassed } from '../../../test/support/feed.ts';
import { codes, penaltyRecord, registrationRecord } from '../../../test/support/records.ts';
import { sessionCookie } from '../../../test/support/session.ts';
import { AttachmentStore, createDataProtector, type AppError } from '../../platform/index.ts';
import type { Actor } from '../auth/index.ts';
import { ListService } from '../lists/index.ts';
import { ObjectionService } from './index.ts';

const OWN = '91350100M000100Y43'; // the demo company user's subject
const OTHER = codes.uscc('91350100', 'MA6QTH01');
const LISTED = codes.uscc('91350100', 'MA6LQT01');
/** Filed the day before National Day: the 5 working days skip 1–7 October and count Saturday 10 October. */
const FILED_ON = '2026-09-30';

/** A fine: published (a warning is a minor penalty the public does not see). */
const fine = (documentNumber: string, decided: string, overrides: Record<string, unknown> = {}) =>
  penaltyRecord({
    行政处罚决定书文号: documentNumber,
    处罚决定日期: decided,
    处罚类别: '罚款',
    处罚内容: '罚款人民币二万元',
    '罚款金额（万元）': '2',
    ...overrides,
  });

/** A minimal PDF, and a Windows executable's first bytes under a .pdf name. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
const EXE = Buffer.concat([
  Buffer.from('MZ'),
  Buffer.alloc(58),
  Buffer.from([0x80, 0, 0, 0]),
  Buffer.alloc(64),
  Buffer.from('PE\0\0'),
  Buffer.alloc(200),
]);

let t: TestApp;
let objections: ObjectionService;
let company: Actor;
let reviewer: Actor;
let records: Record<string, number>;
let listsToday = '2026-03-02';
let listEntry: number;

async function recordId(documentNumber: string, subjectCode = OWN): Promise<number> {
  const protector = createDataProtector(t.container.config.dataKeyFile);
  const r = await t.container.database.db
    .selectFrom('record as r')
    .innerJoin('subject_code as sc', 'sc.subject_id', 'r.subject_id')
    .select('r.id')
    .where('r.identity_key', '=', documentNumber)
    .where('r.is_current', '=', true)
    .where('sc.kind', '=', 'uscc')
    .where('sc.value_hash', '=', protector.hash('uscc', subjectCode))
    .executeTakeFirstOrThrow();
  return r.id;
}

const statusOf = async (id: number) =>
  (
    await t.container.database.db
      .selectFrom('record')
      .select(['status', 'is_current'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).status;

type PublicFile = { categories: Array<{ records: Array<{ id: number; marks: string[] }> }> };
const publicRecords = async () => {
  const res = await t.app.inject({ method: 'GET', url: `/api/public/subjects/${OWN}` });
  expect(res.statusCode).toBe(200);
  return res.json<PublicFile>().categories.flatMap((c) => c.records);
};

const objectionCount = async () =>
  Number(
    (await sql<{ n: string }>`select count(*) as n from objection`.execute(t.container.database.db)).rows[0]
      ?.n,
  );

beforeAll(async () => {
  t = await createTestApp();
  const c = t.container;
  const login = async (username: string) =>
    (await c.auth.login({ username, password: 'xinyong-demo-2026' })).actor;
  company = await login('company.user');
  reviewer = await login('reviewer.scjg');
  const clerk = await login('clerk.scjg');
  const registered = await c.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'registration',
    records: [
      [OWN, '福州某贸易有限公司'],
      [OTHER, '福州某他人贸易有限公司'],
      [LISTED, '福州某名单商贸有限公司'],
    ].map(([code, name]) => registrationRecord(code as string, name as string)),
  });
  expect(registered.accepted).toBe(3);
  const batch = await c.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'admin_penalty',
    records: [
      fine('榕市监处〔2026〕901号', '2026-09-01'),
      fine('榕市监处〔2026〕902号', '2026-09-02'),
      fine('榕市监处〔2026〕903号', '2026-09-03'),
      fine('榕市监处〔2026〕904号', '2026-09-04'),
      fine('榕市监处〔2026〕905号', '2026-09-05', {
        行政相对人名称: '福州某他人贸易有限公司',
        统一社会信用代码: OTHER,
      }),
    ],
  });
  expect(batch.accepted).toBe(5);
  records = {
    rejected: await recordId('榕市监处〔2026〕901号'),
    revoked: await recordId('榕市监处〔2026〕902号'),
    corrected: await recordId('榕市监处〔2026〕903号'),
    refused: await recordId('榕市监处〔2026〕904号'),
    other: await recordId('榕市监处〔2026〕905号', OTHER),
  };
  // A company on the demo serious-dishonesty list: proposed, notified, decided after the window.
  const lists = new ListService(
    c.database.db,
    c.audit,
    c.catalog,
    createDataProtector(c.config.dataKeyFile),
    () => c.calendar.current(),
    { today: () => listsToday },
  );
  const proposed = await lists.propose(reviewer, {
    listType: 'DEMO-SCJG-SERIOUS',
    subjectCode: LISTED,
    facts: {
      reasons: '严重违法失信',
      basis: '认定标准第九条',
      actDate: '2026-01-15',
      category: 'fair_competition',
    },
  });
  await lists.step(reviewer, proposed.case.id, { step: 'notify', documentNumber: '榕市监信告〔2026〕31号' });
  listsToday = '2026-03-16';
  const decided = await lists.step(reviewer, proposed.case.id, {
    step: 'decide',
    documentNumber: '榕市监信决〔2026〕31号',
  });
  listEntry = decided.case.record_id ?? 0;
  listsToday = FILED_ON;
  objections = new ObjectionService(
    c.database.db,
    c.audit,
    createDataProtector(c.config.dataKeyFile),
    c.catalog,
    c.ingest,
    lists,
    new AttachmentStore(c.config.attachmentsDir),
    () => c.calendar.current(),
    () => FILED_ON,
  );
});

afterAll(async () => {
  await t.close();
});

describe('filing', () => {
  it('marks the record under objection at once, with a deadline in working days across National Day', async () => {
    const o = await objections.file(company, {
      recordId: records.rejected as number,
      reasons: '该处罚决定已被行政复议撤销',
      attachments: [{ fileName: '复议决定书.pdf', content: PDF }],
    });
    expect(o).toMatchObject({
      status: 'open',
      priorStatus: 'active',
      department: 'FZ-SCJG',
      filedOn: FILED_ON,
      // 1–7 October are the holiday; Saturday 10 October is its make-up workday.
      dueOn: '2026-10-13',
      overdueOn: '2026-10-20',
      filedVia: 'account',
    });
    expect(o.attachments).toEqual([
      expect.objectContaining({
        fileName: '复议决定书.pdf',
        mediaType: 'application/pdf',
        bytes: PDF.length,
      }),
    ]);
    expect(await statusOf(records.rejected as number)).toBe('under_objection');

    // The public file shows the mark on the record.
    const shown = (await publicRecords()).find((r) => r.id === records.rejected);
    expect(shown?.marks).toContain('under_objection');
  });

  it('keeps a department batch from replacing the record while the objection is open: the row waits for review', async () => {
    const clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' }))
      .actor;
    const batch = await t.container.ingest.ingestRecords(clerk, {
      department: 'FZ-SCJG',
      item: 'admin_penalty',
      records: [fine('榕市监处〔2026〕901号', '2026-09-01', { 处罚内容: '罚款人民币三万元' })],
    });
    expect(batch).toMatchObject({ accepted: 0, review: 1 });
    expect(await statusOf(records.rejected as number)).toBe('under_objection');
  });

  it('refuses a second open objection to the same record, and writes nothing', async () => {
    const before = await objectionCount();
    const err = (await objections
      .file(company, { recordId: records.rejected as number, reasons: '再次提出' })
      .catch((e: unknown) => e)) as AppError;
    expect(err.rule).toBe('objection.one_open');
    expect(await objectionCount()).toBe(before);
  });

  it("answers another subject's record exactly like a missing one", async () => {
    const foreign = (await objections
      .file(company, { recordId: records.other as number, reasons: '不是我的' })
      .catch((e: unknown) => e)) as AppError;
    const missing = (await objections
      .file(company, { recordId: 987654321, reasons: '不存在' })
      .catch((e: unknown) => e)) as AppError;
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(foreign.messageIn('en').replace(String(records.other), 'N')).toBe(
      missing.messageIn('en').replace('987654321', 'N'),
    );
    expect(await statusOf(records.other as number)).toBe('active');
  });

  it('refuses an executable renamed .pdf by its content, and leaves the record as it was', async () => {
    const before = await objectionCount();
    const err = (await objections
      .file(company, {
        recordId: records.refused as number,
        reasons: '附件为证',
        attachments: [{ fileName: '证明.pdf', content: EXE }],
      })
      .catch((e: unknown) => e)) as AppError;
    expect(err.rule).toBe('attachment.type');
    expect(err.field).toBe('attachments.0');
    expect(err.value).toBe('证明.pdf');
    expect(await objectionCount()).toBe(before);
    expect(await statusOf(records.refused as number)).toBe('active');
  });
});

describe('deciding', () => {
  it('keeps the decision to the department that supplied the record', async () => {
    const o = (await objections.list(company))[0];
    const clerk = (await t.container.auth.login({ username: 'clerk.sw', password: 'xinyong-demo-2026' }))
      .actor;
    const err = (await objections
      .decide(clerk, o?.id ?? 0, { outcome: 'rejected', decision: '不成立' })
      .catch((e: unknown) => e)) as AppError;
    expect([403, 404]).toContain(err.status);
    expect((await objections.read(company, o?.id ?? 0)).status).toBe('open');
  });

  it('rejected: the record gets back its status, and the subject is told why and its remedies', async () => {
    const [o] = await objections.list(company, { status: 'open' });
    const decided = await objections.decide(reviewer, o?.id ?? 0, {
      outcome: 'rejected',
      decision: '经核实，处罚决定有效',
    });
    expect(decided).toMatchObject({
      status: 'rejected',
      outcome: 'rejected',
      decision: '经核实，处罚决定有效',
    });
    expect(await statusOf(records.rejected as number)).toBe('active');
    const told = await t.container.database.db
      .selectFrom('outbox')
      .select(['recipient_kind', 'topic', 'body'])
      .where('topic', '=', 'objection.decided')
      .execute();
    expect(told).toHaveLength(1);
    const body = told[0]?.body as { outcome: string; decision: string; remedies: Array<{ zh: string }> };
    expect(body.outcome).toBe('rejected');
    expect(body.remedies.map((r) => r.zh).join('')).toContain('行政复议');
    expect(body.remedies.map((r) => r.zh).join('')).toContain('行政诉讼');
    // Decided once: a second decision is refused.
    const again = (await objections
      .decide(reviewer, o?.id ?? 0, { outcome: 'rejected', decision: '再次' })
      .catch((e: unknown) => e)) as AppError;
    expect(again.rule).toBe('objection.open');
  });

  it('upheld by revocation: a revoked version replaces the record and the public file no longer shows it', async () => {
    // A department watching the company sees the objection's outcome in its change feed.
    const officer = (await t.container.auth.login({ username: 'officer.zj', password: 'xinyong-demo-2026' }))
      .actor;
    await t.container.feed.watch(officer, [OWN]);
    await horizonPassed(t);
    let cursor = (await t.container.feed.changes(officer)).next;
    for (let page = await t.container.feed.changes(officer, cursor); page.changes.length > 0;) {
      cursor = page.next;
      page = await t.container.feed.changes(officer, cursor);
    }
    const o = await objections.file(company, {
      recordId: records.revoked as number,
      reasons: '处罚已被撤销',
    });
    const decided = await objections.decide(reviewer, o.id, {
      outcome: 'upheld',
      decision: '处罚决定已被撤销',
      correction: { revoke: true },
    });
    expect(decided).toMatchObject({ status: 'upheld', outcome: 'revoked' });
    expect(decided.resultRecordId).not.toBe(records.revoked);
    expect(await statusOf(decided.resultRecordId ?? 0)).toBe('revoked');
    const ids = (await publicRecords()).map((r) => r.id);
    expect(ids).toContain(records.corrected); // the file is there; the revoked record is not
    expect(ids).not.toContain(records.revoked);
    expect(ids).not.toContain(decided.resultRecordId);
    await horizonPassed(t);
    const changes = (await t.container.feed.changes(officer, cursor)).changes;
    expect(
      changes
        .filter((ch) => ch.recordId === records.revoked || ch.recordId === decided.resultRecordId)
        .map((ch) => ch.change),
    ).toEqual(expect.arrayContaining(['status:under_objection', 'superseded', 'new_version']));
  });

  it('upheld by correction: the corrected record is its next version, active, with the corrected field', async () => {
    const o = await objections.file(company, {
      recordId: records.corrected as number,
      reasons: '处罚内容有误',
    });
    const decided = await objections.decide(reviewer, o.id, {
      outcome: 'upheld',
      decision: '处罚内容录入错误，予以更正',
      correction: { fields: { penalty_content: '警告（更正）' } },
    });
    expect(decided).toMatchObject({ status: 'upheld', outcome: 'corrected' });
    const next = await t.container.database.db
      .selectFrom('record')
      .select(['id', 'status', 'version', 'payload'])
      .where('id', '=', decided.resultRecordId ?? 0)
      .executeTakeFirstOrThrow();
    expect(next.status).toBe('active');
    expect(next.version).toBe(2);
    expect(JSON.stringify(next.payload)).toContain('警告（更正）');
  });

  it('upheld on a list entry: the entry leaves its list by the case’s removal step, with its decision', async () => {
    const desk = (await t.container.auth.login({ username: 'desk', password: 'xinyong-demo-2026' })).actor;
    const o = await objections.file(desk, {
      recordId: listEntry,
      reasons: '列入名单的违法事实认定错误',
      forSubject: { code: LISTED, receivedAs: 'window' },
    });
    expect(await statusOf(listEntry)).toBe('under_objection');
    const noDocument = (await objections
      .decide(reviewer, o.id, { outcome: 'upheld', decision: '认定错误' })
      .catch((e: unknown) => e)) as AppError;
    expect(noDocument.rule).toBe('objection.list_removal');
    const decided = await objections.decide(reviewer, o.id, {
      outcome: 'upheld',
      decision: '经复核，违法事实认定错误，予以移出',
      documentNumber: '榕市监信移〔2026〕31号',
    });
    expect(decided).toMatchObject({ status: 'upheld', outcome: 'removed' });
    const listCase = await t.container.database.db
      .selectFrom('list_case')
      .select(['status', 'removal'])
      .where('record_id', '=', listEntry)
      .executeTakeFirst();
    const removed = await t.container.database.db
      .selectFrom('list_step')
      .innerJoin('list_case', 'list_case.id', 'list_step.case_id')
      .select(['list_step.step', 'list_step.document_number'])
      .where('list_step.step', '=', 'remove')
      .execute();
    expect(removed).toEqual([{ step: 'remove', document_number: '榕市监信移〔2026〕31号' }]);
    expect(listCase?.status ?? 'removed').toBe('removed');
  });

  it('writes every step to the audit chain', async () => {
    const events = await t.container.database.db
      .selectFrom('audit_inbox')
      .select('action')
      .where('action', 'like', 'objection.%')
      .execute()
      .catch(() => []);
    const chained = await t.container.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', 'like', 'objection.%')
      .execute();
    const actions = [...events, ...chained].map((e) => e.action);
    expect(actions.filter((a) => a === 'objection.file').length).toBeGreaterThanOrEqual(3);
    expect(actions.filter((a) => a === 'objection.decide').length).toBeGreaterThanOrEqual(3);
  });
});

describe('over HTTP', () => {
  it('files through the subject’s session and lists it for the department’s reviewer only', async () => {
    const cookie = await sessionCookie(t.app, 'company.user');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/objections',
      headers: { cookie },
      payload: {
        recordId: records.refused,
        reasons: '该处罚已履行完毕',
        attachments: [{ fileName: 'proof.pdf', content: PDF.toString('base64') }],
      },
    });
    expect(res.statusCode).toBe(201);
    const filed = res.json<{ id: number; attachments: Array<{ sha256: string }> }>();
    const reviewerCookie = await sessionCookie(t.app, 'reviewer.scjg');
    const listed = await t.app.inject({
      method: 'GET',
      url: '/api/objections?status=open',
      headers: { cookie: reviewerCookie },
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.json<Array<{ id: number }>>().map((o) => o.id)).toContain(filed.id);
    const file = await t.app.inject({
      method: 'GET',
      url: `/api/objections/${filed.id}/attachments/${filed.attachments[0]?.sha256 ?? ''}`,
      headers: { cookie: reviewerCookie },
    });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.rawPayload.equals(PDF)).toBe(true);
    // Never public.
    const anonymous = await t.app.inject({
      method: 'GET',
      url: `/api/objections/${filed.id}/attachments/${filed.attachments[0]?.sha256 ?? ''}`,
    });
    expect(anonymous.statusCode).toBe(404);
  });
});
