/**
 * The dashboards' figures: records in force counted by category and by the subject's division (a
 * revoked record no longer counts), open cases counted by age in working days with those past
 * their deadline, for the administrator and the auditor only.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { codes, penaltyRecord } from '../../../test/support/records.ts';
import { sessionCookie } from '../../../test/support/session.ts';
import { addDays, todayInShanghai } from '../../platform/calendar/index.ts';
import { DEMO_PASSWORD, type Actor } from '../auth/index.ts';
import type { CaseStats, RecordStats } from './index.ts';

let t: TestApp;
let clerk: Actor;
let admin: string;
let auditor: string;

const company = (n: number) => ({
  行政相对人名称: `鼓楼统计样本${n}号有限公司`,
  统一社会信用代码: codes.uscc('91350102', `TJ10000${n}`),
  行政处罚决定书文号: `榕市监统计〔2026〕${n}号`,
  处罚决定日期: addDays(todayInShanghai(), -10),
  失信程度: '一般',
});

async function get<T>(url: string, cookie: string): Promise<T> {
  const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<T>();
}

const penalties = (s: RecordStats) =>
  s.byCategory.find((c) => c.category === 'administrative_penalty') ?? { records: 0, public: 0 };
const gulou = (s: RecordStats) => s.byDivision.find((d) => d.division === '350102');
const kind = (s: CaseStats, k: string) => s.kinds.find((c) => c.kind === k);

beforeAll(async () => {
  t = await createTestApp();
  clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: DEMO_PASSWORD })).actor;
  admin = await sessionCookie(t.app, 'admin');
  auditor = await sessionCookie(t.app, 'auditor');
});

afterAll(async () => {
  await t.close();
});

describe('GET /api/stats/records', () => {
  it('counts the records in force by category and by the subject’s division', async () => {
    const before = await get<RecordStats>('/api/stats/records', admin);
    const summary = await t.container.ingest.ingestRecords(clerk, {
      department: 'FZ-SCJG',
      item: 'admin_penalty',
      records: [1, 2, 3].map((n) => penaltyRecord(company(n))),
    });
    expect(summary.rejected).toBe(0);
    const after = await get<RecordStats>('/api/stats/records', auditor);
    expect(after.total - before.total).toBe(3);
    expect(penalties(after).records - penalties(before).records).toBe(3);
    expect(penalties(after).public - penalties(before).public).toBe(3);
    expect((gulou(after)?.records ?? 0) - (gulou(before)?.records ?? 0)).toBe(3);
    expect(gulou(after)?.name).toBe('福建省福州市鼓楼区');

    await t.container.revocation.revoke(clerk, {
      department: 'FZ-SCJG',
      item: 'admin_penalty',
      documentNumber: company(1).行政处罚决定书文号,
      subjectCode: company(1).统一社会信用代码,
      reason: '行政复议决定撤销',
    });
    const revoked = await get<RecordStats>('/api/stats/records', admin);
    expect(penalties(revoked).records - penalties(before).records).toBe(2);
    expect((gulou(revoked)?.records ?? 0) - (gulou(before)?.records ?? 0)).toBe(2);
  });
});

describe('GET /api/stats/cases', () => {
  it('counts open cases by age in working days, and those past their deadline', async () => {
    const before = await get<CaseStats>('/api/stats/cases', admin);
    expect(before.buckets.map((b) => [b.from, b.to])).toEqual([
      [0, 5],
      [6, 10],
      [11, 20],
      [21, 60],
      [61, null],
    ]);
    const report = {
      subjectName: '福州某被举报统计样本有限公司',
      domain: 'market_supervision',
      description: '销售过期食品',
      reporter: { name: '匿名群众', contact: '13800000000' },
    };
    const fresh = await t.container.conductReports.file(report);
    const old = await t.container.conductReports.file({ ...report, description: '无照经营' });
    const answered = await t.container.conductReports.file({ ...report, description: '虚假宣传' });
    const rows = await t.container.database.db
      .selectFrom('conduct_report')
      .select(['id', 'description'])
      .where('subject_name', '=', report.subjectName)
      .execute();
    const idOf = (d: string) => rows.find((r) => r.description === d)?.id ?? 0;
    expect(fresh.report.status).toBe('received');
    expect(old.report.status).toBe('received');
    expect(answered.report.status).toBe('received');

    // One was received 50 calendar days ago and is past both its deadlines; one is answered (closed).
    const today = todayInShanghai();
    const receivedOn = addDays(today, -50);
    await sql`update conduct_report set received_on = ${receivedOn}::date,
        acknowledge_by = ${addDays(today, -45)}::date, answer_by = ${addDays(today, -20)}::date
      where id = ${idOf('无照经营')}`.execute(t.container.database.db);
    const reviewer = (await t.container.auth.login({ username: 'reviewer.scjg', password: DEMO_PASSWORD }))
      .actor;
    await t.container.conductReports.acknowledge(reviewer, idOf('虚假宣传'));
    await t.container.conductReports.answer(reviewer, idOf('虚假宣传'), '已核查，未发现所举报情形');

    const after = await get<CaseStats>('/api/stats/cases', auditor);
    const was = kind(before, 'conduct_report');
    const now = kind(after, 'conduct_report');
    expect((now?.open ?? 0) - (was?.open ?? 0)).toBe(2);
    expect((now?.overdue ?? 0) - (was?.overdue ?? 0)).toBe(1);
    const age = t.container.calendar.current().workingDaysBetween(receivedOn, today).value;
    const bucket = after.buckets.findIndex((b) => age >= b.from && (b.to === null || age <= b.to));
    expect(bucket).toBeGreaterThan(0);
    expect((now?.byAge[bucket] ?? 0) - (was?.byAge[bucket] ?? 0)).toBe(1);
    expect((now?.byAge[0] ?? 0) - (was?.byAge[0] ?? 0)).toBe(1);
    expect(now?.oldest).toBeGreaterThanOrEqual(age);
    // Designation cases have no deadline to be past.
    expect(kind(after, 'designation')?.overdue).toBeNull();
    expect(after.kinds.map((k) => k.kind)).toEqual(['objection', 'repair', 'conduct_report', 'designation']);
  });
});

describe('who may read them', () => {
  it('the administrator and the auditor; a clerk is refused with the rule, the public must sign in', async () => {
    const clerkCookie = await sessionCookie(t.app, 'clerk.scjg');
    for (const url of ['/api/stats/records', '/api/stats/cases']) {
      const refused = await t.app.inject({ method: 'GET', url, headers: { cookie: clerkCookie } });
      expect(refused.statusCode).toBe(403);
      expect(refused.json<{ rule: string }>().rule).toBe('policy.own_department');
      const anonymous = await t.app.inject({ method: 'GET', url });
      expect(anonymous.statusCode).toBe(401);
    }
  });
});
