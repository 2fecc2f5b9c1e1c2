import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { penaltyRecord } from '../../../test/support/records.ts';
import { addDays, todayInShanghai } from '../../platform/calendar/index.ts';
import type { Actor } from '../auth/index.ts';
import type { QualityRow } from './ingest.quality.ts';

let t: TestApp;
let clerk: Actor;
const ADMIN: Actor = { kind: 'system', name: 'test' };
let token: { scjg: string; sw: string };
let auditor: Actor;

beforeAll(async () => {
  t = await createTestApp();
  clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' })).actor;
  token = {
    scjg: (
      await t.container.auth.createToken(ADMIN, { name: 'q1', role: 'data_clerk', department: 'FZ-SCJG' })
    ).token,
    sw: (await t.container.auth.createToken(ADMIN, { name: 'q2', role: 'data_clerk', department: 'FZ-SW' }))
      .token,
  };
  auditor = (await t.container.auth.login({ username: 'auditor', password: 'xinyong-demo-2026' })).actor;
  const today = todayInShanghai();
  await t.container.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'admin_penalty',
    records: [
      penaltyRecord({ 行政处罚决定书文号: 'Q-1', 处罚决定日期: addDays(today, -1), 备注: '及时' }),
      penaltyRecord({ 行政处罚决定书文号: 'Q-2', 处罚决定日期: addDays(today, -60) }),
      penaltyRecord({ 行政处罚决定书文号: 'Q-2', 处罚决定日期: addDays(today, -60) }),
      penaltyRecord({ 行政处罚决定书文号: '', 处罚决定日期: addDays(today, -3) }),
    ],
  });
});

afterAll(async () => {
  await t.close();
});

const get = (url: string, who: string) =>
  t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${who}` } });

describe('GET /api/quality', () => {
  it('gives a department its own month: error rate, duplicates, timeliness and completeness', async () => {
    const response = await get('/api/quality', token.scjg);
    expect(response.statusCode).toBe(200);
    const [row] = response.json<QualityRow[]>();
    expect(row).toMatchObject({
      department: 'FZ-SCJG',
      month: todayInShanghai().slice(0, 7),
      rows: 4,
      accepted: 2,
      rejected: 1,
      duplicates: 1,
      errorRate: 0.25,
      timed: 2,
      late: 1, // 60 days is more than 7 working days; yesterday is not
      timelinessRate: 0.5,
    });
    // One record fills 备注 as well: the two records fill different shares of the optional fields.
    expect(row?.completeness).toBeGreaterThan(0);
    expect(row?.completeness).toBeLessThan(1);
  });

  it("refuses another department's figures, and lets the auditor see every department's", async () => {
    const other = await get('/api/quality?department=FZ-SCJG', token.sw);
    expect(other.statusCode).toBe(403);
    const own = await get('/api/quality', token.sw);
    expect(own.json()).toEqual([]);
    const all = await t.container.quality.report(auditor, {});
    expect(all.map((r) => r.department)).toEqual(['FZ-SCJG']);
  });

  it('names a badly written month', async () => {
    const response = await get('/api/quality?from=2026-13', token.scjg);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'from', rule: 'month.format' });
  });

  it('flags the late record itself', async () => {
    const { rows } = await t.container.database.db
      .selectFrom('record')
      .select(['identity_key', 'late', 'working_days'])
      .orderBy('identity_key')
      .execute()
      .then((r) => ({ rows: r }));
    expect(rows.map((r) => [r.identity_key, r.late])).toEqual([
      ['Q-1', false],
      ['Q-2', true],
    ]);
    expect(rows[1]?.working_days).toBeGreaterThan(7);
  });
});
