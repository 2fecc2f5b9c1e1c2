/**
 * Designation through the database with a frozen clock: a serious-dishonesty case walked from
 * proposal to removal, every forbidden shortcut refused with its rule; red lists, the watch list,
 * removal by the clock, lenience, and list types that may not exist.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { codes, penaltyRecord } from '../../../test/support/records.ts';
import { sessionCookie } from '../../../test/support/session.ts';
import { addMonths } from '../../platform/calendar/index.ts';
import { createDataProtector } from '../../platform/index.ts';
import { PUBLIC, type Actor } from '../auth/index.ts';
import { demoSeriousListType, ListService, type StepRequest } from './index.ts';

const COMPANY = '91350100M000100Y43';
const CLOCKED = codes.uscc('91350100', 'MA7CLK01');
const LENIENT = codes.uscc('91350100', 'MA6LEN01');
const SERIOUS = demoSeriousListType().code;
let t: TestApp;
let reviewer: Actor;
let today = '2026-03-02'; // a Monday
let lists: ListService;

const facts = {
  reasons: '销售不符合食品安全标准的食品，造成严重后果',
  basis: '《市场监督管理严重违法失信名单管理办法》第九条',
  actDate: '2026-01-15',
  category: 'health_safety' as const,
};

async function refusal(action: Promise<unknown>): Promise<{ status: number; rule: string | undefined }> {
  try {
    await action;
  } catch (err) {
    const e = err as { status: number; rule?: string };
    return { status: e.status, rule: e.rule };
  }
  throw new Error('the action was not refused');
}

const step = (id: number, request: StepRequest) => lists.step(reviewer, id, request);

beforeAll(async () => {
  t = await createTestApp();
  reviewer = (await t.container.auth.login({ username: 'reviewer.scjg', password: 'xinyong-demo-2026' }))
    .actor;
  const clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' }))
    .actor;
  const summary = await t.container.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'admin_penalty',
    records: [
      penaltyRecord(),
      penaltyRecord({
        统一社会信用代码: CLOCKED,
        行政相对人名称: '福州某时钟有限公司',
        行政处罚决定书文号: 'P-clock',
      }),
      penaltyRecord({
        统一社会信用代码: LENIENT,
        行政相对人名称: '福州某宽容有限公司',
        行政处罚决定书文号: 'P-lenient',
      }),
    ],
  });
  expect(summary.accepted).toBe(3);
  lists = new ListService(
    t.container.database.db,
    t.container.audit,
    t.container.catalog,
    createDataProtector(t.container.config.dataKeyFile),
    () => t.container.calendar.current(),
    {
      today: () => today,
      measuresOf: async (lt) => (await t.container.measures.attached([lt])).map((a) => a.measure),
    },
  );
});

afterAll(async () => {
  await t.close();
});

describe('a serious-dishonesty designation, from proposal to removal', () => {
  it('cannot skip a step, decide inside the objection window, or leave an objection unanswered', async () => {
    today = '2026-03-02';
    const proposed = await lists.propose(reviewer, { listType: SERIOUS, subjectCode: COMPANY, facts });
    const id = proposed.case.id;
    expect(proposed.status).toBe('proposed');
    // No decision without a prior notice.
    expect(await refusal(step(id, { step: 'decide', documentNumber: '榕市监信决〔2026〕1号' }))).toEqual({
      status: 409,
      rule: 'list.step_order',
    });
    const notified = await step(id, { step: 'notify', documentNumber: '榕市监信告〔2026〕1号' });
    expect(notified.status).toBe('notified');
    // 5 working days after Monday 2 March 2026.
    expect(notified.case.objection_until).toBe('2026-03-09');
    const notice = notified.steps.find((s) => s.step === 'notify');
    expect(notice?.html).toContain('当事人权利');
    expect(notice?.html).toContain('2026-03-09');
    // Inside the window: no decision.
    today = '2026-03-06';
    expect(await refusal(step(id, { step: 'decide', documentNumber: 'D-1' }))).toEqual({
      status: 409,
      rule: 'list.objection_window',
    });
    const objected = await step(id, { step: 'object', statement: '涉案食品系他人冒用我司名义生产' });
    // The party's statement is kept as received.
    expect(objected.steps.find((s) => s.step === 'object')?.html).toContain('涉案食品系他人冒用我司名义生产');
    // An objection waits for its answer.
    today = '2026-03-10';
    expect(await refusal(step(id, { step: 'decide', documentNumber: 'D-1' }))).toEqual({
      status: 409,
      rule: 'list.step_order',
    });
    await step(id, {
      step: 'answer',
      outcome: 'rejected',
      reply: '经核实，涉案食品由你单位生产，异议不成立',
      documentNumber: '榕市监信复〔2026〕1号',
    });
    // After the window closed: an objection is too late.
    expect(await refusal(step(id, { step: 'object', statement: '补充异议' }))).toEqual({
      status: 409,
      rule: 'list.objection_window',
    });
    const decided = await step(id, { step: 'decide', documentNumber: '榕市监信决〔2026〕1号' });
    expect(decided.status).toBe('listed');
    expect(decided.case.valid_until).toBe('2029-03-10');
    const decision = decided.steps.find((s) => s.step === 'decide');
    // The measures that follow are those the list's memorandum attaches.
    expect(decision?.html).toContain('JIP-A01');
    for (const heading of ['事由', '依据', '失信惩戒措施提示', '移出条件', '移出程序', '救济措施']) {
      expect(decision?.html).toContain(heading);
    }

    // The list entry is a record of the list type's catalog item, shown on the public file until removed.
    const record = await t.container.database.db
      .selectFrom('record')
      .selectAll()
      .where('id', '=', decided.case.record_id ?? 0)
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({
      item_code: 'serious_dishonesty_list',
      identity_key: '榕市监信决〔2026〕1号',
      decision_date: '2026-03-10',
      longest_until: '2029-03-10',
      tier: 'serious',
      status: 'active',
    });
    // A provisional subject with nothing the public may see is not found at all.
    const listedCategories = async () =>
      t.container.files.file(PUBLIC, COMPANY).then(
        (file) => file.categories.map((c) => c.category),
        (err: { status?: number }) => (err.status === 404 ? [] : Promise.reject(err as Error)),
      );
    expect(await listedCategories()).toContain('serious_dishonesty_list');

    today = '2027-04-01';
    const removed = await step(id, {
      step: 'remove',
      reason: 'repair',
      note: '已履行处罚决定并完成信用修复',
      documentNumber: '榕市监信移〔2027〕1号',
    });
    expect(removed.status).toBe('removed');
    expect(await listedCategories()).not.toContain('serious_dishonesty_list');
    expect(
      await refusal(step(id, { step: 'remove', reason: 'error', note: 'x', documentNumber: 'x' })),
    ).toEqual({
      status: 409,
      rule: 'list.step_order',
    });

    const { rows } = await sql<{ action: string }>`
      select action from audit_event where target_kind = 'list_case' and target_id = ${String(id)} order by seq`.execute(
      t.container.database.db,
    );
    expect(rows.map((r) => r.action)).toEqual([
      'list.propose',
      'list.notify',
      'list.object',
      'list.answer',
      'list.decide',
      'list.remove',
    ]);
  });

  it('an upheld objection ends the case without a listing', async () => {
    today = '2026-05-04';
    const { case: c } = await lists.propose(reviewer, { listType: SERIOUS, subjectCode: COMPANY, facts });
    await step(c.id, { step: 'notify', documentNumber: 'N-upheld' });
    await step(c.id, { step: 'object', statement: '认定主体错误' });
    const answered = await step(c.id, {
      step: 'answer',
      outcome: 'upheld',
      reply: '异议成立',
      documentNumber: 'A-upheld',
    });
    expect(answered.status).toBe('withdrawn');
    today = '2026-06-01';
    expect((await refusal(step(c.id, { step: 'decide', documentNumber: 'D-upheld' }))).rule).toBe(
      'list.step_order',
    );
  });

  it('leaves the list by itself when its validity ends; a later removal is refused', async () => {
    today = '2026-03-02';
    const { case: c } = await lists.propose(reviewer, { listType: SERIOUS, subjectCode: CLOCKED, facts });
    await step(c.id, { step: 'notify', documentNumber: 'N-clock' });
    today = '2026-03-16';
    const listed = await step(c.id, { step: 'decide', documentNumber: 'D-clock' });
    today = addMonths('2026-03-16', 36);
    const read = await lists.read(reviewer, c.id);
    expect(read.status).toBe('removed');
    expect(listed.case.valid_until).toBe(today);
    const r = await refusal(step(c.id, { step: 'remove', reason: 'error', note: 'x', documentNumber: 'x' }));
    expect(r.rule).toBe('list.step_order');
  });

  it('requires every ground for lenience present to be weighed before the decision', async () => {
    today = '2026-03-02';
    const { case: c } = await lists.propose(reviewer, {
      listType: SERIOUS,
      subjectCode: LENIENT,
      facts,
      leniency: { unintentional: true },
    });
    await step(c.id, { step: 'notify', documentNumber: 'N-lenient' });
    today = '2026-03-16';
    expect(await refusal(step(c.id, { step: 'decide', documentNumber: 'D-lenient' }))).toEqual({
      status: 409,
      rule: 'list.leniency',
    });
    expect((await refusal(step(c.id, { step: 'weigh', weighed: { force_majeure: '无' } }))).rule).toBe(
      'list.leniency',
    );
    await step(c.id, { step: 'weigh', weighed: { unintentional: '经查系明知故犯，不予从宽' } });
    const decided = await step(c.id, { step: 'decide', documentNumber: 'D-lenient' });
    expect(decided.steps.find((s) => s.step === 'decide')?.html).toContain('经查系明知故犯，不予从宽');
  });
});

describe('nothing lists a subject but its case', () => {
  it('refuses a listing sent as a file or revoked by a department, a reused decision number and a second open case', async () => {
    const clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' }))
      .actor;
    const sent = await refusal(
      t.container.ingest.ingestRecords(clerk, {
        department: 'FZ-SCJG',
        item: 'serious_dishonesty_list',
        records: [{}],
      }),
    );
    expect(sent).toEqual({ status: 422, rule: 'list.by_case' });
    const revoked = await refusal(
      t.container.revocation.revoke(clerk, {
        department: 'FZ-SCJG',
        item: 'serious_dishonesty_list',
        documentNumber: '榕市监信决〔2026〕1号',
        subjectCode: COMPANY,
        reason: '撤销',
      }),
    );
    expect(revoked).toEqual({ status: 422, rule: 'list.by_case' });

    today = '2027-05-03';
    const { case: c } = await lists.propose(reviewer, { listType: SERIOUS, subjectCode: COMPANY, facts });
    expect(
      await refusal(lists.propose(reviewer, { listType: SERIOUS, subjectCode: COMPANY, facts })),
    ).toEqual({
      status: 409,
      rule: 'list.open_case',
    });
    await step(c.id, { step: 'notify', documentNumber: 'N-again' });
    today = '2027-05-17';
    // The first case's decision number still names that (repaired) record.
    expect(await refusal(step(c.id, { step: 'decide', documentNumber: '榕市监信决〔2026〕1号' }))).toEqual({
      status: 409,
      rule: 'list.document_number',
    });
    expect((await step(c.id, { step: 'decide', documentNumber: '榕市监信决〔2027〕9号' })).status).toBe(
      'listed',
    );
  });
});

describe('who may designate, and on which list', () => {
  it('refuses a department outside the list’s domain, a court list, and a category the list does not serve', async () => {
    const tax: Actor = {
      kind: 'token',
      tokenId: 9,
      name: 'tax reviewer',
      role: 'reviewer',
      department: { code: 'FZ-SW', level: 'prefectural', division: '350100', domains: ['taxation'] },
    };
    expect(await refusal(lists.propose(tax, { listType: SERIOUS, subjectCode: COMPANY, facts }))).toEqual({
      status: 422,
      rule: 'list.domain',
    });
    const township: Actor = {
      kind: 'token',
      tokenId: 11,
      name: 'township reviewer',
      role: 'reviewer',
      department: { code: 'FZ-SCJG', level: 'township', division: '350102', domains: ['market_supervision'] },
    };
    expect(
      await refusal(lists.propose(township, { listType: SERIOUS, subjectCode: COMPANY, facts })),
    ).toEqual({
      status: 422,
      rule: 'list.level',
    });
    // Another department's case is not found, exactly like a missing one.
    const [someCase] = await t.container.database.db.selectFrom('list_case').select('id').execute();
    expect(await refusal(lists.read(tax, someCase?.id ?? 0))).toEqual({ status: 404, rule: undefined });
    const court = await refusal(
      lists.propose(reviewer, { listType: 'COURT-DISHONEST-DEBTOR', subjectCode: COMPANY, facts }),
    );
    expect(court.rule).toBe('list.by_ingest');
    const category = await refusal(
      lists.propose(reviewer, {
        listType: SERIOUS,
        subjectCode: COMPANY,
        facts: { ...facts, category: 'national_defence' },
      }),
    );
    expect(category.rule).toBe('list.category');
  });

  it('a red list is announced before it is confirmed; the watch list is a flag the public never sees', async () => {
    today = '2026-03-02';
    const fgw: Actor = {
      kind: 'token',
      tokenId: 10,
      name: 'fgw reviewer',
      role: 'reviewer',
      department: { code: 'FZ-FGW', level: 'prefectural', division: '350100', domains: ['credit'] },
    };
    const facts = { reasons: '连续三年纳税信用A级', basis: '诚信典型认定标准', actDate: '2026-01-01' };
    const red = await lists.propose(fgw, { listType: 'RED-INTEGRITY-MODEL', subjectCode: COMPANY, facts });
    expect(
      (await refusal(lists.step(fgw, red.case.id, { step: 'confirm', documentNumber: 'R-1' }))).rule,
    ).toBe('list.step_order');
    await lists.step(fgw, red.case.id, { step: 'announce', documentNumber: 'R-公示-1' });
    expect(
      (await refusal(lists.step(fgw, red.case.id, { step: 'confirm', documentNumber: 'R-1' }))).rule,
    ).toBe('list.objection_window');
    today = '2026-03-12';
    expect((await lists.step(fgw, red.case.id, { step: 'confirm', documentNumber: 'R-1' })).status).toBe(
      'listed',
    );

    const watch = await lists.propose(reviewer, {
      listType: 'WATCH-KEY-ATTENTION',
      subjectCode: COMPANY,
      facts: { reasons: '多次被投诉', basis: '监管发现', actDate: '2026-02-01' },
    });
    const flagged = await step(watch.case.id, { step: 'flag', supervision: '提高抽查比例' });
    expect(flagged.status).toBe('listed');
    await step(watch.case.id, { step: 'remove', reason: 'error', note: '误标', documentNumber: 'W-移-1' });
    // The watch list is never disclosed: not even its removal is sent to the party.
    const { rows: told } = await sql<{ topic: string }>`
      select topic from outbox where recipient = ${String(watch.case.subject_id)} and body->>'listType' = 'WATCH-KEY-ATTENTION'`.execute(
      t.container.database.db,
    );
    expect(told).toEqual([]);
    const file = await t.container.files.file(PUBLIC, COMPANY);
    const categories = file.categories.map((c) => c.category);
    expect(categories).toContain('red_list');
    expect(categories).not.toContain('watch_list');
  });
});

describe('a person minor at the time of the act', () => {
  it('brings the ground for lenience from the citizen ID, without showing the ID or the birth date', async () => {
    const id = codes.citizenId('35010220080501123'); // born 2008-05-01
    const clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' }))
      .actor;
    const person = penaltyRecord({
      行政相对人名称: '林某某',
      行政相对人类别: '自然人',
      统一社会信用代码: '',
      证件类型: '身份证',
      证件号码: id,
      行政处罚决定书文号: 'P-minor',
    });
    expect(
      (
        await t.container.ingest.ingestRecords(clerk, {
          department: 'FZ-SCJG',
          item: 'admin_penalty',
          records: [person],
        })
      ).accepted,
    ).toBe(1);
    today = '2026-06-01';
    const young = await lists.propose(reviewer, {
      listType: SERIOUS,
      subjectCode: id,
      facts: { ...facts, actDate: '2026-04-30' },
    });
    expect(young.case.leniency.flags).toEqual({ minor: true });
    expect(JSON.stringify(young)).not.toContain(id);
    expect(JSON.stringify(young)).not.toContain('2008-05-01');
    await step(young.case.id, { step: 'withdraw', note: '重新立案' });
    const adult = await lists.propose(reviewer, {
      listType: SERIOUS,
      subjectCode: id,
      facts: { ...facts, actDate: '2026-05-01' },
    });
    expect(adult.case.leniency.flags).toEqual({});
    const future = await refusal(
      lists.propose(reviewer, {
        listType: SERIOUS,
        subjectCode: id,
        facts: { ...facts, actDate: '2026-06-02' },
      }),
    );
    expect(future).toEqual({ status: 400, rule: 'list.act_date' });
  });
});

describe('list types', () => {
  const base = demoSeriousListType();

  it('refuses a punishment list type without a legal basis, removal conditions or 30 days of public comment', async () => {
    const admin: Actor = { kind: 'system', name: 'test' };
    const cases: Array<[Partial<typeof base>, string]> = [
      [{ legalBases: [{ basis: 'SAMR-SERIOUS-DISHONESTY-LIST', of: 'standard' }] }, 'list.legal_basis'],
      [{ removal: { conditions: ' ', procedure: base.removal.procedure } }, 'list.removal_conditions'],
      [{ standardComment: { from: '2026-01-05', to: '2026-01-25', where: '网站' } }, 'list.public_comment'],
      [{ designation: { minLevel: 'township' } }, 'list.level'],
      [{ categories: [] }, 'list.category'],
    ];
    for (const [change, rule] of cases) {
      const r = await refusal(lists.createListType(admin, { ...base, code: `BAD-${rule}`, ...change }));
      expect(r, rule).toEqual({ status: 422, rule });
    }
    expect((await lists.listTypes()).map((l) => l.code).filter((c) => c.startsWith('BAD-'))).toEqual([]);
  });

  it('over HTTP: only the platform administrator creates one, and a refusal names the rule', async () => {
    const body = { ...base, code: 'HTTP-SERIOUS', removal: { conditions: '', procedure: 'x' } };
    const reviewerCookie = await sessionCookie(t.app, 'reviewer.scjg');
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/list-types',
      headers: { cookie: reviewerCookie },
      payload: body,
    });
    expect(denied.statusCode).toBe(403);
    const admin = await sessionCookie(t.app, 'admin');
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/list-types',
      headers: { cookie: admin },
      payload: body,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ rule: 'list.removal_conditions' });
    // Every rule broken, in Chinese unless English is asked for; the rule codes never change.
    const twice = (language: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/list-types',
        headers: { cookie: admin, 'accept-language': language },
        payload: { ...body, removal: { conditions: '', procedure: '' } },
      });
    expect((await twice('zh-CN')).json()).toEqual({
      error: 'rule_violation',
      message:
        '惩戒类名单的认定标准须列明移出条件（国办发〔2020〕49号（七））；removal.procedure：认定标准须列明移出程序和救济措施（国办发〔2020〕49号（七））',
      field: 'removal.conditions',
      rule: 'list.removal_conditions',
    });
    expect((await twice('en')).json()).toMatchObject({
      message:
        "a punishment list's standard states when an entry leaves it (国办发〔2020〕49号 (七)); removal.procedure: the standard states the removal procedure and the remedies (国办发〔2020〕49号 (七))",
      rule: 'list.removal_conditions',
    });
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/list-types',
      headers: { cookie: admin },
      payload: { ...body, removal: base.removal },
    });
    expect(made.statusCode).toBe(201);
  });
});

describe('a case over HTTP', () => {
  it('answers as documented: proposed, read, its document as HTML, withdrawn', async () => {
    // Each answer passes its route's response schema on the way out, or it would be a 500.
    const code = codes.uscc('91350100', 'MA9HTP01');
    const clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' }))
      .actor;
    await t.container.ingest.ingestRecords(clerk, {
      department: 'FZ-SCJG',
      item: 'admin_penalty',
      records: [
        penaltyRecord({
          统一社会信用代码: code,
          行政相对人名称: '福州某接口有限公司',
          行政处罚决定书文号: 'P-http',
        }),
      ],
    });
    const cookie = await sessionCookie(t.app, 'reviewer.scjg');
    const proposed = await t.app.inject({
      method: 'POST',
      url: '/api/list-cases',
      headers: { cookie },
      payload: { listType: SERIOUS, subjectCode: code, facts },
    });
    expect(proposed.statusCode).toBe(201);
    const id = proposed.json<{ id: number }>().id;
    // The notice on the frozen clock (its window is counted in working days of a known year).
    today = '2026-03-02';
    await step(id, { step: 'notify', documentNumber: '榕市监信告〔2026〕9号' });
    const read = await t.app.inject({ method: 'GET', url: `/api/list-cases/${id}`, headers: { cookie } });
    expect(read.statusCode).toBe(200);
    const notice = read.json<{
      steps: Array<{ document: { href: string; content: { kind: string } } | null }>;
    }>().steps[1]?.document;
    expect(notice?.content.kind).toBe('notice');
    const html = await t.app.inject({ method: 'GET', url: notice?.href ?? '', headers: { cookie } });
    expect([html.statusCode, html.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    expect(html.body).toContain('当事人权利');
    const withdrawn = await t.app.inject({
      method: 'POST',
      url: `/api/list-cases/${id}/steps`,
      headers: { cookie },
      payload: { step: 'withdraw', note: '撤回认定' },
    });
    expect([withdrawn.statusCode, withdrawn.json<{ status: string }>().status]).toEqual([200, 'withdrawn']);
  });
});
