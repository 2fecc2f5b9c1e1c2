/**
 * A natural person at the window: the service desk checks the person's identity, records its
 * evidence and opens a subject account bound to the citizen ID (kept sealed, never in clear); the
 * person signs in, changes the generated password, and objects to a penalty about them. The service
 * desk also records an objection received in writing for another person.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { codes, penaltyRecord } from '../../../test/support/records.ts';
import { sessionCookie } from '../../../test/support/session.ts';

const PERSON = codes.citizenId('35010219850312123');
const WRITER = codes.citizenId('35010219900705456');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

let t: TestApp;
let desk: string;

const personPenalty = (id: string, name: string, documentNumber: string) =>
  penaltyRecord({
    行政相对人名称: name,
    行政相对人类别: '自然人',
    统一社会信用代码: '',
    证件类型: '身份证',
    证件号码: id,
    行政处罚决定书文号: documentNumber,
    处罚决定日期: '2026-10-12',
    处罚类别: '罚款',
    处罚内容: '罚款人民币一千元',
    '罚款金额（万元）': '0.1',
  });

async function recordOf(documentNumber: string): Promise<number> {
  const r = await t.container.database.db
    .selectFrom('record')
    .select('id')
    .where('identity_key', '=', documentNumber)
    .where('is_current', '=', true)
    .executeTakeFirstOrThrow();
  return r.id;
}

beforeAll(async () => {
  t = await createTestApp();
  const clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' }))
    .actor;
  const batch = await t.container.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'admin_penalty',
    records: [
      personPenalty(PERSON, '陈某某', '榕市监处〔2026〕951号'),
      personPenalty(WRITER, '郑某某', '榕市监处〔2026〕952号'),
    ],
  });
  expect(batch.accepted).toBe(2);
  desk = await sessionCookie(t.app, 'desk');
});

afterAll(async () => {
  await t.close();
});

describe("a natural person's account, opened at the window", () => {
  let password = '';

  it('is opened after an identity check with its evidence; the citizen ID is never stored in clear', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/service-desk/person-accounts',
      headers: { cookie: desk },
      payload: {
        username: 'chen.person',
        displayName: '陈某某',
        citizenId: PERSON,
        identityCheck: {
          method: 'id_card_reader',
          note: '二代证读卡器核验，人证一致',
          evidence: { fileName: '读卡记录.png', content: PNG.toString('base64') },
        },
      },
    });
    expect(res.statusCode).toBe(201);
    const opened = res.json<{ subject: string; password: string; identityCheck: { evidence: string } }>();
    expect(opened.subject).not.toBe(PERSON);
    expect(opened.subject).toMatch(/\*/);
    expect(opened.identityCheck.evidence).toMatch(/^[0-9a-f]{64}$/);
    password = opened.password;

    const rows = await sql<{
      row: string;
    }>`select t::text as row from app_user t where username = 'chen.person'`.execute(t.container.database.db);
    expect(rows.rows[0]?.row).not.toContain(PERSON);
    const checks = await t.container.database.db
      .selectFrom('identity_check')
      .select(['method', 'checked_by', 'evidence_sha256'])
      .execute();
    expect(checks).toEqual([
      { method: 'id_card_reader', checked_by: 'user:desk', evidence_sha256: opened.identityCheck.evidence },
    ]);
  });

  it('refuses a second account for the same person, and an ID that is not one', async () => {
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/service-desk/person-accounts',
      headers: { cookie: desk },
      payload: {
        username: 'chen.again',
        displayName: '陈某某',
        citizenId: PERSON,
        identityCheck: { method: 'id_card_copy' },
      },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ rule: string }>().rule).toBe('user.person_unique');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/service-desk/person-accounts',
      headers: { cookie: desk },
      payload: {
        username: 'chen.wrong',
        displayName: '陈某某',
        citizenId: `${PERSON.slice(0, 17)}${PERSON.endsWith('0') ? '1' : '0'}`,
        identityCheck: { method: 'id_card_copy' },
      },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<{ field: string }>().field).toBe('citizenId');
    const byOthers = await t.app.inject({
      method: 'POST',
      url: '/api/service-desk/person-accounts',
      headers: { cookie: await sessionCookie(t.app, 'reviewer.scjg') },
      payload: {
        username: 'x.y.z',
        displayName: 'x',
        citizenId: WRITER,
        identityCheck: { method: 'id_card_copy' },
      },
    });
    expect(byOthers.statusCode).toBe(403);
  });

  it('lets the person change the password, then object to a penalty about them', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'chen.person', password },
    });
    expect(login.statusCode).toBe(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const changed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie },
      payload: { currentPassword: password, newPassword: 'a-new-long-password-2026' },
    });
    expect(changed.statusCode).toBe(200);
    const session = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'chen.person', password: 'a-new-long-password-2026' },
    });
    const mine = String(session.headers['set-cookie']).split(';')[0] ?? '';
    const own = await recordOf('榕市监处〔2026〕951号');
    const filed = await t.app.inject({
      method: 'POST',
      url: '/api/objections',
      headers: { cookie: mine },
      payload: { recordId: own, reasons: '罚款已缴清，处罚信息有误' },
    });
    expect(filed.statusCode).toBe(201);
    expect(filed.json<{ filedVia: string; status: string }>()).toMatchObject({
      filedVia: 'account',
      status: 'open',
    });
    // Another person's penalty is answered like a missing record.
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/objections',
      headers: { cookie: mine },
      payload: { recordId: await recordOf('榕市监处〔2026〕952号'), reasons: '不是我的' },
    });
    expect(foreign.statusCode).toBe(404);
  });
});

describe('an objection received in writing', () => {
  it('is recorded by the service desk for the person it names, and says how it came', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/service-desk/objections',
      headers: { cookie: desk },
      payload: {
        subjectCode: WRITER,
        receivedAs: 'written',
        recordId: await recordOf('榕市监处〔2026〕952号'),
        reasons: '书面申请：处罚决定已撤销',
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json<{ filedVia: string; receivedAs: string; filedBy: string }>()).toMatchObject({
      filedVia: 'service_desk',
      receivedAs: 'written',
      filedBy: 'user:desk',
    });
    // The subject's own account would not have been needed; a company account may not do this.
    const company = await t.app.inject({
      method: 'POST',
      url: '/api/service-desk/objections',
      headers: { cookie: await sessionCookie(t.app, 'company.user') },
      payload: { subjectCode: WRITER, receivedAs: 'written', recordId: 1, reasons: 'x' },
    });
    expect(company.statusCode).toBe(403);
  });
});
