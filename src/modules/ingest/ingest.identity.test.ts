import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { codes, penaltyRecord, registrationRecord } from '../../../test/support/records.ts';
import type { Actor } from '../auth/index.ts';
import { storedText, type StoredReason } from './ingest.reasons.ts';

let t: TestApp;
let clerk: Actor;
let token: { scjg: string; scjgReviewer: string; sw: string };
const ADMIN: Actor = { kind: 'system', name: 'test' };

const COMPANY = codes.uscc('91350100', 'MA8RTY2K');
const MOVED = codes.uscc('91350200', 'MA8RTY2K'); // same organisation code, another division
const PERSON = codes.citizenId('35010219850202003');
const REG_NO = codes.regNo('35010000012345');

beforeAll(async () => {
  t = await createTestApp();
  clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' })).actor;
  const make = async (name: string, role: 'data_clerk' | 'reviewer', department: string) =>
    (await t.container.auth.createToken(ADMIN, { name, role, department })).token;
  token = {
    scjg: await make('市场监管报送', 'data_clerk', 'FZ-SCJG'),
    scjgReviewer: await make('市场监管审核', 'reviewer', 'FZ-SCJG'),
    sw: await make('税务审核', 'reviewer', 'FZ-SW'),
  };
});

afterAll(async () => {
  await t.close();
});

const db = () => t.container.database.db;

function registration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return registrationRecord(COMPANY, '福州某电子有限公司', overrides);
}

async function send(item: string, records: Array<Record<string, unknown>>) {
  return t.container.ingest.ingestRecords(clerk, { department: 'FZ-SCJG', item, records });
}

async function subjectOf(code: string, kind = 'uscc') {
  const { rows } = await sql<{
    id: number;
    name: string;
    status: string;
    division: string | null;
    kind: string;
  }>`
    select s.id, s.name, s.status, s.division, s.kind from subject s join subject_code sc on sc.subject_id = s.id
    where sc.kind = ${kind} and (sc.value = ${code} or sc.masked = ${code})`.execute(db());
  return rows[0];
}

describe('registration data', () => {
  it('registers the subject, keeps its former name as history, and deregisters it', async () => {
    expect((await send('registration', [registration()])).accepted).toBe(1);
    const first = await subjectOf(COMPANY);
    expect(first).toMatchObject({ name: '福州某电子有限公司', status: 'registered', division: '350100' });

    const renamed = await send('registration', [registration({ 主体名称: '福建某智能科技有限公司' })]);
    expect(renamed.accepted).toBe(1);
    const after = await subjectOf(COMPANY);
    expect(after?.id).toBe(first?.id);
    expect(after?.name).toBe('福建某智能科技有限公司');
    const { rows: history } = await sql<{ name: string }>`
      select name from subject_name_history where subject_id = ${first?.id ?? 0}`.execute(db());
    expect(history.map((h) => h.name)).toEqual(['福州某电子有限公司']);
    // The registration record is versioned, not duplicated.
    const { rows: versions } = await sql<{ version: number; is_current: boolean }>`
      select version, is_current from record where item_code = 'registration' and subject_id = ${first?.id ?? 0}
      order by version`.execute(db());
    expect(versions).toEqual([
      { version: 1, is_current: false },
      { version: 2, is_current: true },
    ]);

    await send('registration', [registration({ 主体名称: '福建某智能科技有限公司', 登记状态: '注销' })]);
    expect((await subjectOf(COMPANY))?.status).toBe('deregistered');
  });

  it('links a person to the organisation in a role, without keeping the ID in clear', async () => {
    const summary = await send('registration_person_role', [
      {
        主体名称: '福建某智能科技有限公司',
        统一社会信用代码: COMPANY,
        人员姓名: '赵六',
        证件类型: '身份证',
        证件号码: PERSON,
        职务: '法定代表人',
        任职日期: '2019-04-01',
        数据来源单位: '福州市市场监督管理局（演示）',
        数据来源单位统一社会信用代码: '1135010000366411XP',
      },
    ]);
    expect(summary.accepted).toBe(1);
    const { rows } = await sql<{
      role: string;
      person_masked: string;
      since: string;
      kind: string;
      name: string;
      org: number;
    }>`
      select pr.role, pr.person_masked, pr.since, p.kind, p.name, pr.org_subject_id as org
      from person_role pr join subject p on p.id = pr.person_subject_id`.execute(db());
    expect(rows).toEqual([
      {
        role: '法定代表人',
        person_masked: '赵*',
        since: '2019-04-01',
        kind: 'natural_person',
        name: '赵*',
        org: (await subjectOf(COMPANY))?.id,
      },
    ]);
    const { rows: stored } = await sql<{ text: string }>`
      select (select string_agg(coalesce(value, '') || masked, ',') from subject_code) ||
        (select string_agg(name, ',') from subject) as text`.execute(db());
    expect(stored[0]?.text).not.toContain(PERSON);
    expect(stored[0]?.text).not.toContain('赵六');
  });
});

describe('subjects found by any of their codes', () => {
  it('creates a provisional subject for a registration number, and gives it the unified code later', async () => {
    const legacy = penaltyRecord({
      行政相对人名称: '某老字号商店',
      统一社会信用代码: '',
      工商注册号: REG_NO,
      行政处罚决定书文号: '文号-L1',
    });
    expect((await send('admin_penalty', [legacy])).accepted).toBe(1);
    const provisional = await subjectOf(REG_NO, 'reg_no15');
    expect(provisional?.status).toBe('provisional');

    const both = codes.uscc('91350100', 'MA8LKH3Q');
    const later = penaltyRecord({
      行政相对人名称: '某老字号商店',
      统一社会信用代码: both,
      工商注册号: REG_NO,
      行政处罚决定书文号: '文号-L2',
    });
    expect((await send('admin_penalty', [later])).accepted).toBe(1);
    expect((await subjectOf(both))?.id).toBe(provisional?.id);
  });

  it('sends a row whose codes name two different subjects to review', async () => {
    // The registration number is the shop's; the unified code is the company's.
    const mixed = penaltyRecord({
      行政相对人名称: '某老字号商店',
      统一社会信用代码: COMPANY,
      工商注册号: REG_NO,
      行政处罚决定书文号: '文号-L3',
    });
    const summary = await send('admin_penalty', [mixed]);
    expect(summary).toMatchObject({ accepted: 0, review: 1 });
    const { rows } = await sql<{ reasons: StoredReason[] }>`
      select reasons from batch_row where batch_id = ${summary.batchId}`.execute(db());
    expect(rows[0]?.reasons.map((r) => r.rule)).toContain('subject.codes_conflict');
    // Written by the commit's own statement: by key, and in English word for word.
    const conflict = rows[0]?.reasons.find((r) => r.rule === 'subject.codes_conflict');
    expect(conflict).toMatchObject({ key: 'ingest.reason.codes_conflict' });
    expect(storedText('en', conflict ?? {})).toBe(conflict?.message);
    expect(conflict?.message).toMatch(
      /^the row's codes belong to two subjects \(\d+ and \d+\): a reviewer of the department decides$/,
    );
    expect(storedText('zh-CN', conflict ?? {})).toMatch(
      /^该行的代码分属两个主体（\d+ 和 \d+）：由本部门审核人员决定$/,
    );
  });

  it('refuses an organisation code that is not the one inside the unified code', async () => {
    const another = codes.uscc('91350100', 'MA8XH0P2').slice(8, 17); // a valid organisation code, not COMPANY's
    const summary = await send('admin_penalty', [
      penaltyRecord({ 统一社会信用代码: COMPANY, 组织机构代码: another, 行政处罚决定书文号: '文号-P1' }),
    ]);
    expect(summary.rejected).toBe(1);
    const { rows } = await sql<{ reasons: Array<{ rule: string }> }>`
      select reasons from batch_row where batch_id = ${summary.batchId}`.execute(db());
    expect(rows[0]?.reasons.map((r) => r.rule)).toEqual(['identifier.pairing']);
  });

  it('sends a new unified code to review when the subject its other codes name already has one', async () => {
    const summary = await send('admin_penalty', [
      penaltyRecord({
        统一社会信用代码: MOVED,
        组织机构代码: COMPANY.slice(8, 17),
        行政处罚决定书文号: '文号-P2',
      }),
    ]);
    // MOVED embeds COMPANY's organisation code, which names COMPANY's subject: not merged silently.
    expect(summary).toMatchObject({ accepted: 0, review: 1 });
    expect(await subjectOf(MOVED)).toBeUndefined();
  });
});

describe('record identity without a decision document', () => {
  it("tells two same-day entries apart by the department's own record id, and sees a resend", async () => {
    const entry = (id: string) => ({
      主体名称: '福建某智能科技有限公司',
      统一社会信用代码: COMPANY,
      列入原因: '多次投诉',
      列入日期: '2026-10-09',
      认定部门: '福州市市场监督管理局（演示）',
      数据来源记录编号: id,
      数据来源单位: '福州市市场监督管理局（演示）',
      数据来源单位统一社会信用代码: '1135010000366411XP',
    });
    expect(await send('watch_list', [entry('ZD-001'), entry('ZD-002')])).toMatchObject({ accepted: 2 });
    expect(await send('watch_list', [entry('ZD-002')])).toMatchObject({ accepted: 0, duplicates: 1 });
  });
});

describe('the review queue', () => {
  let batchId: number;

  beforeAll(async () => {
    const summary = await send('admin_penalty', [
      penaltyRecord({
        行政相对人名称: '某只有名称的商行',
        统一社会信用代码: '',
        行政处罚决定书文号: '文号-R1',
      }),
      penaltyRecord({
        行政相对人名称: '另一家只有名称的店',
        统一社会信用代码: '',
        行政处罚决定书文号: '文号-R2',
      }),
    ]);
    expect(summary.review).toBe(2);
    batchId = summary.batchId;
  });

  const inject = (method: 'GET' | 'POST', url: string, who: string, payload?: Record<string, unknown>) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${who}` },
      ...(payload === undefined ? {} : { payload }),
    });

  it("lists the department's rows awaiting review, and hides them from another department", async () => {
    const mine = await inject('GET', '/api/ingest/review', token.scjgReviewer);
    expect(mine.statusCode).toBe(200);
    const rows =
      mine.json<
        Array<{ batchId: number; rowNo: number; subjectName: string; reasons: Array<{ rule: string }> }>
      >();
    expect(rows.filter((r) => r.batchId === batchId).map((r) => r.subjectName)).toEqual([
      '某只有名称的商行',
      '另一家只有名称的店',
    ]);
    expect(rows[0]?.reasons[0]?.rule).toBeDefined();
    const inChinese = await t.app.inject({
      method: 'GET',
      url: '/api/ingest/review',
      headers: { authorization: `Bearer ${token.scjgReviewer}`, 'accept-language': 'zh-CN' },
    });
    const first =
      inChinese.json<Array<{ batchId: number; reasons: Array<{ rule: string; message: string }> }>>();
    expect(first.find((r) => r.batchId === batchId)?.reasons).toEqual([
      {
        column: '行政相对人名称',
        rule: 'subject.no_code',
        message: '没有可用于识别该主体的代码：由本部门审核人员确定其身份',
      },
    ]);
    const theirs = await inject('GET', '/api/ingest/review', token.sw);
    expect(theirs.json<unknown[]>()).toEqual([]);
    const foreign = await inject('POST', `/api/ingest/batches/${batchId}/rows/1/resolution`, token.sw, {
      reject: 'x',
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('makes a row a record once its code is given, and only once', async () => {
    const shop = codes.uscc('92350102', 'MA8XH0P1');
    const resolved = await inject(
      'POST',
      `/api/ingest/batches/${batchId}/rows/1/resolution`,
      token.scjgReviewer,
      {
        code: shop,
        note: '经核实营业执照',
      },
    );
    expect(resolved.statusCode).toBe(200);
    const body = resolved.json<{ status: string; recordId: number | null }>();
    expect(body.status).toBe('accepted');
    expect(body.recordId).toBeGreaterThan(0);
    expect(await subjectOf(shop)).toMatchObject({ name: '某只有名称的商行', status: 'provisional' });
    const again = await inject(
      'POST',
      `/api/ingest/batches/${batchId}/rows/1/resolution`,
      token.scjgReviewer,
      { code: shop },
    );
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ rule: 'review.pending' });
    const batch = await t.container.ingest.batch(clerk, batchId);
    expect(batch).toMatchObject({ accepted: 1, review: 1 });
  });

  it('names a bad code, and refuses a row with its reason', async () => {
    const bad = await inject('POST', `/api/ingest/batches/${batchId}/rows/2/resolution`, token.scjgReviewer, {
      code: '91350100MA8XH0P10',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'code' });
    const refused = await inject(
      'POST',
      `/api/ingest/batches/${batchId}/rows/2/resolution`,
      token.scjgReviewer,
      {
        reject: '查无此单位',
      },
    );
    expect(refused.json()).toMatchObject({ status: 'rejected', recordId: null });
    expect(await t.container.ingest.batch(clerk, batchId)).toMatchObject({
      accepted: 1,
      review: 0,
      rejected: 1,
    });
    const { rows } = await sql<{ n: number }>`
      select count(*) as n from audit_event where action = 'review.resolve'`.execute(db());
    expect(rows[0]?.n).toBe(2);
  });
});

describe('revocation', () => {
  const record = penaltyRecord({ 统一社会信用代码: COMPANY, 行政处罚决定书文号: '榕市监处〔2025〕301号' });
  const revoke = (documentNumber: string, reason: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/ingest/revocations',
      headers: { authorization: `Bearer ${token.scjg}` },
      payload: { item: 'admin_penalty', documentNumber, subjectCode: COMPANY, reason },
    });

  it('withdraws a record through the API, keeping the version it replaces', async () => {
    await send('admin_penalty', [record]);
    const response = await revoke('榕市监处〔2025〕301号', '行政复议决定撤销');
    expect(response.statusCode).toBe(201);
    const { recordId, previousId } = response.json<{ recordId: number; previousId: number }>();
    const { rows } = await sql<{
      id: number;
      status: string;
      is_current: boolean;
      status_reason: string | null;
    }>`
      select id, status, is_current, status_reason from record where id in (${recordId}, ${previousId}) order by id`.execute(
      db(),
    );
    expect(rows).toEqual([
      { id: previousId, status: 'active', is_current: false, status_reason: null },
      { id: recordId, status: 'revoked', is_current: true, status_reason: '行政复议决定撤销' },
    ]);
    const twice = await revoke('榕市监处〔2025〕301号', 'again');
    expect(twice.statusCode).toBe(409);
  });

  it('takes the same revocation sent as a row saying 当前状态 撤销 as a duplicate', async () => {
    const summary = await send('admin_penalty', [{ ...record, 当前状态: '撤销' }]);
    expect(summary).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it('keeps a revoked record revoked when the original row is sent again: a reviewer decides', async () => {
    const summary = await send('admin_penalty', [record]);
    expect(summary).toMatchObject({ accepted: 0, review: 1 });
    const { rows } = await sql<{ reasons: StoredReason[] }>`
      select reasons from batch_row where batch_id = ${summary.batchId}`.execute(db());
    expect(rows[0]?.reasons.map((r) => r.rule)).toEqual(['record.revoked']);
    const [revoked] = rows[0]?.reasons ?? [];
    expect(revoked?.message).toMatch(
      /^record \d+ was revoked: a reviewer of the department decides whether this row reinstates it$/,
    );
    expect(storedText('zh-CN', revoked ?? {})).toMatch(
      /^记录 \d+ 已被撤销：由本部门审核人员决定是否以此行恢复该记录$/,
    );
  });

  it('answers 404 for a record the department never sent', async () => {
    const response = await revoke('无此文号', 'x');
    expect(response.statusCode).toBe(404);
  });
});
