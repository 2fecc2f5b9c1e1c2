/**
 * The portal's figures count what the public sees and nothing else: a minor penalty (never
 * public), a revoked one, one whose display ended, are not counted; the window of the last 7 and
 * 30 days follows when a record arrived.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { codes, penaltyRecord } from '../../../test/support/records.ts';
import { addDays, todayInShanghai } from '../../platform/calendar/index.ts';
import { DEMO_PASSWORD, type Actor } from '../auth/index.ts';
import { PortalStatsService, type PortalStats } from './index.ts';

let t: TestApp;
let clerk: Actor;

const company = (n: number) => ({
  行政相对人名称: `闽江统计样本${n}号有限公司`,
  统一社会信用代码: codes.uscc('91350100', `TJ00000${n}`),
  行政处罚决定书文号: `榕市监统〔2026〕${n}号`,
  处罚决定日期: addDays(todayInShanghai(), -10),
  失信程度: '一般',
});

/** The figures now, read afresh (the route keeps them for a minute). */
const penalties = async () => {
  const stats: PortalStats = await new PortalStatsService(t.container.database.db).stats();
  return (
    stats.categories.find((c) => c.category === 'administrative_penalty') ?? {
      public: 0,
      last7Days: 0,
      last30Days: 0,
    }
  );
};

beforeAll(async () => {
  t = await createTestApp();
  clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: DEMO_PASSWORD })).actor;
});

afterAll(async () => {
  await t.close();
});

describe('the portal figures', () => {
  it('count the public penalties, and when they arrived', async () => {
    const before = await penalties();
    const summary = await t.container.ingest.ingestRecords(clerk, {
      department: 'FZ-SCJG',
      item: 'admin_penalty',
      records: [
        penaltyRecord(company(1)),
        penaltyRecord(company(2)),
        penaltyRecord(company(3)),
        penaltyRecord({ ...company(4), 失信程度: '轻微' }),
      ],
    });
    expect(summary.rejected).toBe(0);
    const after = await penalties();
    // Three public (the minor one is shown to nobody but its subject and the government).
    expect(after.public - before.public).toBe(3);
    expect(after.last7Days - before.last7Days).toBe(3);
    expect(after.last30Days - before.last30Days).toBe(3);

    // One arrived 20 days ago: in the month, not the week.
    await sql`update record set received_at = now() - interval '20 days'
      where subject_id = (select subject_id from subject_code where value = ${company(2).统一社会信用代码})`.execute(
      t.container.database.db,
    );
    // One was revoked; one's display ended yesterday.
    await t.container.revocation.revoke(clerk, {
      department: 'FZ-SCJG',
      item: 'admin_penalty',
      documentNumber: company(1).行政处罚决定书文号,
      subjectCode: company(1).统一社会信用代码,
      reason: '行政复议决定撤销',
    });
    await sql`update record set longest_until = ${addDays(todayInShanghai(), -1)}::date
      where is_current and subject_id = (select subject_id from subject_code where value = ${company(3).统一社会信用代码})`.execute(
      t.container.database.db,
    );
    const later = await penalties();
    expect(later.public - before.public).toBe(1);
    expect(later.last7Days - before.last7Days).toBe(0);
    expect(later.last30Days - before.last30Days).toBe(1);
  });

  it('are public, in the API’s shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/public/stats' });
    expect(res.statusCode).toBe(200);
    const body = res.json<PortalStats>();
    expect(body.asOf).toBe(todayInShanghai());
    expect(body.categories.map((c) => c.category)).toContain('administrative_penalty');
  });
});
