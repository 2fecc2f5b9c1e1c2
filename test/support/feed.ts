import { sql } from 'kysely';
import type { TestApp } from './app.ts';

/**
 * Waits until every change written so far is below the feed's horizon. On PostgreSQL the horizon is
 * the oldest transaction open anywhere on the server (the feed never passes one that may still
 * commit below it), and other test files share the server: their transactions hold it back for a
 * moment. The feed then delivers late, never out of order or incomplete, which is what is tested.
 */
export async function horizonPassed(t: TestApp): Promise<void> {
  if (t.container.database.kind !== 'postgresql') {
    return;
  }
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const { rows } = await sql<{ passed: boolean }>`
      select coalesce(max(txid) < pg_snapshot_xmin(pg_current_snapshot()), true) as passed from change_log`.execute(
      t.container.database.db,
    );
    if (rows[0]?.passed === true) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
