/**
 * Batches whose process died: the list and one batch say the same thing about them, and their
 * staged rows are purged after the retention period, leaving committed batches' rows alone.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { penaltyRecord } from '../../../test/support/records.ts';
import type { Actor } from '../auth/index.ts';

let t: TestApp;
let clerk: Actor;
const SYSTEM: Actor = { kind: 'system', name: 'test' };

beforeAll(async () => {
  t = await createTestApp();
  clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' })).actor;
});

afterAll(async () => {
  await t.close();
});

/** A batch sent, committed, then put back as if its process had died while `status`, `ago` seconds ago. */
async function abandoned(documentNumber: string, status: 'staging' | 'validated' | 'failed', ago: number) {
  const summary = await t.container.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'admin_penalty',
    records: [penaltyRecord({ 行政处罚决定书文号: documentNumber }), { 行政相对人名称: '缺列的行' }],
  });
  const db = t.container.database.db;
  await sql`delete from record where batch_id = ${summary.batchId}`.execute(db);
  await sql`
    update batch set status = ${status}, committed_at = null,
      progress_at = now() - make_interval(secs => ${ago})
    where id = ${summary.batchId}`.execute(db);
  return summary.batchId;
}

async function stagedRows(batchId: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from batch_row where batch_id = ${batchId}`.execute(t.container.database.db);
  return rows[0]?.n ?? 0;
}

describe('an abandoned batch', () => {
  it('reads interrupted in the department list exactly as on its own', async () => {
    const id = await abandoned('榕市监处〔2025〕801号', 'staging', 300);
    const one = await t.container.ingest.batch(clerk, id);
    const listed = (await t.container.ingest.batches(clerk, 'FZ-SCJG')).find((b) => b.batchId === id);
    expect(one.status).toBe('interrupted');
    expect(listed).toEqual(one);
  });

  it('has its staged rows purged after the retention period, one audit event, committed batches untouched', async () => {
    const old = await abandoned('榕市监处〔2025〕802号', 'staging', 3 * 86_400);
    const oldFailed = await abandoned('榕市监处〔2025〕803号', 'failed', 3 * 86_400);
    const recentFailed = await abandoned('榕市监处〔2025〕804号', 'failed', 60);
    const live = await abandoned('榕市监处〔2025〕805号', 'staging', 5);
    const committed = await t.container.ingest.ingestRecords(clerk, {
      department: 'FZ-SCJG',
      item: 'admin_penalty',
      records: [
        penaltyRecord({ 行政处罚决定书文号: '榕市监处〔2025〕806号' }),
        { 行政相对人名称: '缺列的行' },
      ],
    });
    expect(await stagedRows(committed.batchId)).toBe(2);

    const result = await t.container.ingest.purgeAbandoned(SYSTEM, 2);
    expect(result.batches).toEqual(expect.arrayContaining([old, oldFailed]));
    expect(result.batches).not.toContain(recentFailed);
    expect(result.batches).not.toContain(live);
    expect(result.batches).not.toContain(committed.batchId);
    expect(await stagedRows(old)).toBe(0);
    expect(await stagedRows(oldFailed)).toBe(0);
    expect(await stagedRows(recentFailed)).toBe(2);
    expect(await stagedRows(live)).toBe(2);
    expect(await stagedRows(committed.batchId)).toBe(2);

    const shown = await t.container.ingest.batch(clerk, old);
    expect(shown.status).toBe('failed');
    expect(shown.message).toMatch(
      /staged rows were purged on \d{4}-\d{2}-\d{2} \(abandoned batches are kept 2 days\)/,
    );
    const events = await t.container.audit.query(SYSTEM, { action: 'batch.purge_abandoned', limit: 10 });
    expect(events[0]?.details).toMatchObject({ retentionDays: 2, rows: 4 });

    // Retention 0 takes an abandoned batch as soon as it reads abandoned, never a live one.
    const zero = await t.container.ingest.purgeAbandoned(SYSTEM, 0);
    expect(zero.batches).toContain(recentFailed);
    expect(zero.batches).not.toContain(live);
  });

  it('cannot be purged by a data clerk', async () => {
    await expect(t.container.ingest.purgeAbandoned(clerk, 0)).rejects.toMatchObject({ status: 403 });
  });
});
