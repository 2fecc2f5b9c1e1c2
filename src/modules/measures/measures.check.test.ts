/**
 * Credit checks through the database: the right measures, with their legal bases, for a listed
 * company, a red-listed one, one clean for three years, one under objection, and the legal
 * representative of a listed company; a batch with its summary; feedback and statistics.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { codes } from '../../../test/support/records.ts';
import { sessionCookie } from '../../../test/support/session.ts';
import { AttachmentStore, createDataProtector } from '../../platform/index.ts';
import type { Actor } from '../auth/index.ts';
import { ListService, type StepRequest } from '../lists/index.ts';
import { RepairService } from '../repairs/index.ts';
import { CheckService, type CheckResult } from './index.ts';

const TODAY = '2026-11-22';
const LISTED = '91350100M000100Y43';
const RED = codes.uscc('91350100', 'MA2RED01');
const CLEAN = codes.uscc('91350100', 'MA3CLN01');
const YOUNG = codes.uscc('91350100', 'MA5NEW01');
const OBJECTED = codes.uscc('91350100', 'MA4DBJ01');
const LEGAL_REP = codes.citizenId('35010219800101123');
const TWIN_A = codes.uscc('91350100', 'MA8TWN01');
const TWIN_B = codes.uscc('91350100', 'MA8TWN02');

let t: TestApp;
let officer: Actor;
let checks: CheckService;

const registration = (code: string, name: string, established: string) => ({
  主体名称: name,
  统一社会信用代码: code,
  市场主体类型: '有限责任公司',
  法定代表人: '王五',
  成立日期: established,
  登记机关: '福州市市场监督管理局（演示）',
  登记状态: '存续',
  数据来源单位: '福州市市场监督管理局（演示）',
  数据来源单位统一社会信用代码: '1135010000366411XP',
});

const codesOf = (ms: CheckResult['measures']) => ms.map((m) => m.measure.code);

beforeAll(async () => {
  t = await createTestApp();
  const login = async (username: string) =>
    (await t.container.auth.login({ username, password: 'xinyong-demo-2026' })).actor;
  officer = await login('officer.zj');
  const clerk = await login('clerk.scjg');
  const reviewer = await login('reviewer.scjg');
  const send = (item: string, records: Array<Record<string, unknown>>) =>
    t.container.ingest.ingestRecords(clerk, { department: 'FZ-SCJG', item, records });
  expect(
    (
      await send('registration', [
        registration(LISTED, '福州某电子有限公司', '2019-04-01'),
        registration(RED, '福州某守信商贸有限公司', '2018-06-01'),
        registration(CLEAN, '福州某清白建材有限公司', '2020-01-01'),
        registration(YOUNG, '福州某新设科技有限公司', '2025-02-01'),
        registration(OBJECTED, '福州某异议食品有限公司', '2019-01-01'),
        registration(TWIN_A, '福州某同名商行有限公司', '2019-01-01'),
        registration(TWIN_B, '福州某同名商行有限公司', '2020-01-01'),
      ])
    ).accepted,
  ).toBe(7);
  expect(
    (
      await send('registration_person_role', [
        {
          主体名称: '福州某电子有限公司',
          统一社会信用代码: LISTED,
          人员姓名: '赵六',
          证件类型: '身份证',
          证件号码: LEGAL_REP,
          职务: '法定代表人',
          任职日期: '2019-04-01',
          数据来源单位: '福州市市场监督管理局（演示）',
          数据来源单位统一社会信用代码: '1135010000366411XP',
        },
      ])
    ).accepted,
  ).toBe(1);

  // Designations, taken through due process on a frozen clock in March.
  let today = '2026-03-02';
  const lists = new ListService(
    t.container.database.db,
    t.container.audit,
    t.container.catalog,
    createDataProtector(t.container.config.dataKeyFile),
    () => t.container.calendar.current(),
    { today: () => today },
  );
  const facts = {
    reasons: '严重违法失信',
    basis: '认定标准第九条',
    actDate: '2026-01-15',
    category: 'fair_competition' as const,
  };
  const designate = async (code: string, doc: string) => {
    today = '2026-03-02';
    const { case: c } = await lists.propose(reviewer, {
      listType: 'DEMO-SCJG-SERIOUS',
      subjectCode: code,
      facts,
    });
    const step = (r: StepRequest) => lists.step(reviewer, c.id, r);
    await step({ step: 'notify', documentNumber: `${doc}-告知` });
    today = '2026-03-16';
    return (await step({ step: 'decide', documentNumber: doc })).case.record_id;
  };
  await designate(LISTED, '榕市监信决〔2026〕11号');
  const objected = await designate(OBJECTED, '榕市监信决〔2026〕12号');
  // The company objects to its listing in writing, recorded at the window: the listing is under
  // verification while the department decides.
  await t.container.objections.file(await login('desk'), {
    recordId: objected ?? 0,
    reasons: '列入严重失信主体名单的事实认定有误',
    forSubject: { code: OBJECTED, receivedAs: 'written' },
  });
  const fgw: Actor = {
    kind: 'token',
    tokenId: 10,
    name: 'fgw reviewer',
    role: 'reviewer',
    department: { code: 'FZ-FGW', level: 'prefectural', division: '350100', domains: ['credit'] },
  };
  today = '2026-03-02';
  const red = await lists.propose(fgw, {
    listType: 'RED-INTEGRITY-MODEL',
    subjectCode: RED,
    facts: { reasons: '诚信典型', basis: '诚信典型认定标准', actDate: '2026-01-01' },
  });
  await lists.step(fgw, red.case.id, { step: 'announce', documentNumber: '榕发改信公〔2026〕1号' });
  today = '2026-03-16';
  await lists.step(fgw, red.case.id, { step: 'confirm', documentNumber: '榕发改信〔2026〕1号' });

  checks = new CheckService(
    t.container.database.db,
    t.container.audit,
    createDataProtector(t.container.config.dataKeyFile),
    t.container.measures,
    { today: () => TODAY, prepared: t.container.database.prepared },
  );
});

afterAll(async () => {
  await t.close();
});

describe('a credit check returns the measures for the matter, each with its basis', () => {
  it('for a listed company: the memorandum’s punishment measures in this matter, binding or reference', async () => {
    const r = await checks.check(officer, {
      subjectCode: LISTED,
      matter: 'bidding',
      purpose: '某道路工程招标投标资格审查',
    });
    expect(r.entries.map((e) => e.listType.code)).toEqual(['DEMO-SCJG-SERIOUS']);
    expect(codesOf(r.measures)).toEqual(expect.arrayContaining(['JIP-A09', 'JIP-M01']));
    // A measure that does not cover bidding is not returned.
    expect(codesOf(r.measures)).not.toContain('JIP-A08');
    const a09 = r.measures.find((m) => m.measure.code === 'JIP-A09');
    expect(a09).toMatchObject({
      status: 'applicable',
      memorandum: 'DEMO-SCJG-SERIOUS-MEMO',
      evidence: {
        kind: 'list_entry',
        listType: 'DEMO-SCJG-SERIOUS',
        documentNumber: '榕市监信决〔2026〕11号',
      },
      measure: { legalBasis: { basis: 'GF-2016-33', seed: { file: '002_33aedce5368406dd.txt', line: 367 } } },
    });
    expect(a09?.explanation).toContain('限制参与有关公共资源交易活动');
    expect(r.incentives).toEqual([]);
  });

  it('for a red-listed company: the incentives of its memorandum', async () => {
    const r = await checks.check(officer, { subjectCode: RED, matter: 'licensing', purpose: '施工许可' });
    const fromList = r.incentives.filter((m) => m.evidence.kind === 'list_entry');
    expect(codesOf(fromList)).toEqual(expect.arrayContaining(['JIP-P01', 'JIP-P02']));
    expect(fromList[0]?.evidence.listType).toBe('RED-INTEGRITY-MODEL');
    expect(r.measures).toEqual([]);
  });

  it('for a company clean for three years: the green channel, on its clean record; not for a younger one', async () => {
    const r = await checks.check(officer, { subjectCode: CLEAN, matter: 'licensing', purpose: '施工许可' });
    expect(codesOf(r.incentives).sort()).toEqual(['JIP-P01', 'JIP-P02']);
    expect(r.incentives[0]?.evidence).toEqual({ kind: 'clean_record', since: '2023-11-22' });
    const young = await checks.check(officer, {
      subjectCode: YOUNG,
      matter: 'licensing',
      purpose: '施工许可',
    });
    expect(young.incentives).toEqual([]);
  });

  it('for a listing under objection: the measures come back suspended', async () => {
    const r = await checks.check(officer, {
      subjectCode: OBJECTED,
      matter: 'bidding',
      purpose: '招标资格审查',
    });
    expect(r.measures.length).toBeGreaterThan(0);
    expect(new Set(r.measures.map((m) => m.status))).toEqual(new Set(['suspended']));
    expect(r.measures[0]?.explanation).toContain('暂不执行');
    // In English on request: the platform's sentences move, the names and numbers quoted stay.
    const english = await checks.check(
      officer,
      { subjectCode: OBJECTED, matter: 'bidding', purpose: '招标资格审查' },
      'en',
    );
    expect(english.measures[0]?.explanation).toMatch(
      /^Listed on .+: under .+, ".+" applies in this matter: .+ The listing is under objection and being verified: the measure is not carried out meanwhile \(国发〔2016〕33号（二十二）\)\.$/,
    );
  });

  it('for the legal representative of a listed company: the measures that reach persons in that role', async () => {
    const r = await checks.check(officer, {
      subjectCode: LEGAL_REP,
      matter: 'licensing',
      purpose: '执业许可',
    });
    const a11 = r.measures.find((m) => m.measure.code === 'JIP-A11');
    expect(a11?.evidence.via).toMatchObject({
      role: '法定代表人',
      organisation: { name: '福州某电子有限公司' },
    });
    expect(a11?.explanation).toMatch(/^作为福州某电子有限公司的法定代表人，因列入/);
    const english = await checks.check(
      officer,
      { subjectCode: LEGAL_REP, matter: 'licensing', purpose: '执业许可' },
      'en',
    );
    expect(english.measures.find((m) => m.measure.code === 'JIP-A11')?.explanation).toMatch(
      /^As 法定代表人 of 福州某电子有限公司, listed on /,
    );
    // A measure that names no person's role does not reach the person.
    expect(codesOf(r.measures)).not.toContain('JIP-A01');
    expect(JSON.stringify(r)).not.toContain(LEGAL_REP);
    // Reached by a listing, the person is not clean: no green channel.
    expect(r.incentives).toEqual([]);
    const company = await checks.check(officer, {
      subjectCode: LISTED,
      matter: 'licensing',
      purpose: '许可',
      relatedPersons: true,
    });
    expect(company.related.map((p) => p.role)).toEqual(['法定代表人']);
    // The company's listing reaches its legal representative in the company's check too.
    expect(company.related[0]?.measures.map((m) => m.measure.code)).toContain('JIP-A11');
    expect(company.incentives).toEqual([]);
  });
});

describe('batches, feedback and statistics', () => {
  it('checks a tender’s bidders in one request, with a summary', async () => {
    const r = await checks.batch(officer, {
      matter: 'bidding',
      purpose: '某项目全部投标人',
      subjects: [
        { code: LISTED },
        { code: CLEAN },
        { code: OBJECTED },
        { code: codes.uscc('91350100', 'MA9NNN01') },
        { code: '91350100M000100Y44' },
        { name: '福州某清白建材有限公司' },
      ],
    });
    expect(r.results.map((x) => x.status)).toEqual([
      'found',
      'found',
      'found',
      'not_found',
      'invalid',
      'found',
    ]);
    expect(r.results.map((x) => x.message)).toEqual([
      undefined,
      undefined,
      undefined,
      '没有使用该代码的主体',
      expect.any(String),
      undefined,
    ]);
    expect(r.summary).toMatchObject({
      subjects: 6,
      checked: 4,
      notFound: 1,
      invalid: 1,
      withPunishment: 1,
      withSuspended: 1,
    });
  });

  it('keeps the department’s feedback on returned measures only, and counts it', async () => {
    const r = await checks.check(officer, { subjectCode: LISTED, matter: 'bidding', purpose: '资格审查' });
    await checks.feedback(officer, r.id, [
      { measure: 'JIP-A09', listType: 'DEMO-SCJG-SERIOUS', applied: true, reason: '不予通过资格审查' },
    ]);
    const wrong = await checks
      .feedback(officer, r.id, [
        { measure: 'JIP-P01', listType: 'DEMO-SCJG-SERIOUS', applied: true, reason: 'x' },
      ])
      .catch((err: { rule?: string }) => err);
    expect(wrong).toMatchObject({ rule: 'check.measure_not_returned' });
    const stats = await checks.stats(officer, {});
    expect(stats.find((s) => s.measure === 'JIP-A09' && s.listType === 'DEMO-SCJG-SERIOUS')).toMatchObject({
      department: 'GL-ZJ',
      applied: 1,
    });
  });

  it('over HTTP: only a credit officer checks, the matter must be known, and each check is audited', async () => {
    const cookie = await sessionCookie(t.app, 'officer.zj');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/checks',
      headers: { cookie },
      payload: { subjectCode: LISTED, matter: 'lottery', purpose: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    const reviewer = await sessionCookie(t.app, 'reviewer.scjg');
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/checks',
      headers: { cookie: reviewer },
      payload: { subjectCode: LISTED, matter: 'bidding', purpose: '资格审查' },
    });
    expect(denied.statusCode).toBe(403);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/checks',
      headers: { cookie },
      payload: { subjectCode: LISTED, matter: 'bidding', purpose: '资格审查' },
    });
    expect(ok.statusCode).toBe(200);
    const { rows } = await sql<{ n: number }>`
      select count(*) as n from audit_event where action = 'credit.check' and target_id = ${String(ok.json<{ id: number }>().id)}`.execute(
      t.container.database.db,
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('over HTTP: answers in Chinese unless English is asked for, refusals and explanations alike', async () => {
    const cookie = await sessionCookie(t.app, 'officer.zj');
    const ask = (language: string, purpose: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/checks',
        headers: { cookie, 'accept-language': language },
        payload: { subjectCode: LISTED, matter: 'bidding', purpose },
      });
    expect((await ask('zh-CN', ' ')).json()).toEqual({
      error: 'validation_failed',
      message: 'purpose：请说明查询用途（所办理的行政事项）',
      field: 'purpose',
      rule: 'check.purpose',
    });
    expect((await ask('en', ' ')).json()).toMatchObject({
      message: 'purpose: state what the check is for (the administrative matter in hand)',
      rule: 'check.purpose',
    });
    const explained = async (language: string) =>
      (await ask(language, '资格审查')).json<CheckResult>().measures.find((m) => m.measure.code === 'JIP-A09')
        ?.explanation;
    expect(await explained('zh-CN,zh;q=0.9,en;q=0.5')).toMatch(
      /^因列入.+（榕市监信决〔2026〕11号，.+），依DEMO-SCJG-SERIOUS-MEMO在此事项适用「限制参与有关公共资源交易活动」：.+措施，依据GF-2016-33。$/,
    );
    expect(await explained('en')).toMatch(
      /^Listed on .+ \(榕市监信决〔2026〕11号, .+\): under DEMO-SCJG-SERIOUS-MEMO, "限制参与有关公共资源交易活动" applies in this matter: a .+ measure, on the basis of GF-2016-33\.$/,
    );
  });

  it('over HTTP: a batch, its review queue, a resolution, feedback and statistics answer as documented', async () => {
    // Each answer passes its route's response schema on the way out, or it would be a 500.
    const cookie = await sessionCookie(t.app, 'officer.zj');
    const send = (method: 'GET' | 'POST', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload }) });
    const batch = await send('POST', '/api/checks/batch', {
      matter: 'bidding',
      purpose: '投标人审查',
      subjects: [{ code: LISTED }, { name: '福州某同名商行有限公司' }],
    });
    expect(batch.statusCode).toBe(200);
    const { results } = batch.json<{ results: Array<{ status: string; review?: number }> }>();
    expect(results.map((r) => r.status)).toEqual(['found', 'ambiguous']);
    const queue = await send('GET', '/api/checks/review');
    expect(queue.statusCode).toBe(200);
    expect(queue.json<Array<{ id: number }>>().map((r) => r.id)).toContain(results[1]?.review);
    const resolved = await send('POST', `/api/checks/review/${results[1]?.review}/resolution`, {
      subjectCode: TWIN_A,
    });
    expect(resolved.statusCode).toBe(200);
    const listed = await send('POST', '/api/checks', {
      subjectCode: LISTED,
      matter: 'bidding',
      purpose: '资格审查',
    });
    const id = listed.json<CheckResult>().id;
    const feedback = await send('POST', `/api/checks/${id}/feedback`, {
      items: [{ measure: 'JIP-A09', listType: 'DEMO-SCJG-SERIOUS', applied: false, reason: '已另行处理' }],
    });
    expect([feedback.statusCode, feedback.body]).toEqual([204, '']);
    const stats = await send('GET', '/api/measures/stats');
    expect(stats.statusCode).toBe(200);
    expect(stats.json<unknown[]>().length).toBeGreaterThan(0);
  });
});

describe('after repair', () => {
  it('a listing repaired leaves its list: the check returns neither the entry nor its measures', async () => {
    const c = t.container;
    const login = async (username: string) =>
      (await c.auth.login({ username, password: 'xinyong-demo-2026' })).actor;
    const entry = await c.database.db
      .selectFrom('record')
      .select('id')
      .where('identity_key', '=', '榕市监信决〔2026〕11号')
      .where('is_current', '=', true)
      .executeTakeFirstOrThrow();
    const repairs = new RepairService(
      c.database.db,
      c.audit,
      createDataProtector(c.config.dataKeyFile),
      c.catalog,
      c.lists,
      new AttachmentStore(c.config.attachmentsDir),
      () => c.calendar.current(),
      () => TODAY,
    );
    const before = await checks.check(officer, {
      subjectCode: LISTED,
      matter: 'bidding',
      purpose: '修复前复核',
    });
    expect(codesOf(before.measures)).toContain('JIP-A09');
    const applied = await repairs.apply(await login('company.user'), {
      recordId: entry.id,
      statement: '已纠正失信行为并履行全部义务',
      commitment: true,
    });
    const approved = await repairs.decide(await login('reviewer.scjg'), applied.id, {
      action: 'approve',
      reasons: '符合名单移出条件',
      documentNumber: '榕市监信移〔2026〕11号',
    });
    expect(approved).toMatchObject({ status: 'approved', outcome: 'remove_from_list' });
    const after = await checks.check(officer, {
      subjectCode: LISTED,
      matter: 'bidding',
      purpose: '修复后复核',
    });
    expect(after.entries).toEqual([]);
    expect(codesOf(after.measures)).toEqual([]);
  });
});
