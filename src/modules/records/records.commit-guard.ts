/**
 * The guard rails of a commit. Records have one writer at a time (a batch's commit, a revocation,
 * a list entry made or removed): an advisory lock held to the end of the writer's transaction. A commit whose client is gone (its process killed, its connection
 * cut) can go on running inside PostgreSQL, holding that lock, until it next writes to its socket:
 * every later writer would wait for it. So a commit names its batch in `application_name` (visible
 * in pg_stat_activity), carries a statement timeout scaled to its size, and a writer that finds the
 * lock taken by the commit of a batch that failed or was interrupted ends that backend instead of
 * waiting for it. (PostgreSQL also checks the client every 2 seconds while a statement runs:
 * `client_connection_check_interval`, set when the platform connects.)
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';

type Executor = Kysely<Schema> | Transaction<Schema>;

const COMMIT_LOCK = 7531;

/** `application_name` of a transaction committing a batch: the prefix and the batch id. */
const COMMIT_APPLICATION = 'xinyong:commit:';

/** A staging batch writes its progress at least this often; silence longer than this means it died. */
export const STALL_MS = 60_000;

/**
 * How long the commit of a batch of `rows` rows may take: a minute, and a millisecond a row on top.
 * Past it the commit's statement is cancelled, and the batch reads `interrupted`.
 */
export function commitAllowanceMs(rows: number): number {
  return STALL_MS + rows;
}

/** Names the transaction as the commit of `batchId` and bounds its statements' time. */
export async function beginCommit(trx: Transaction<Schema>, batchId: number, rows: number): Promise<void> {
  // set_config(…, true) is SET LOCAL with parameters: both revert when the transaction ends.
  await sql`
    select set_config('application_name', ${`${COMMIT_APPLICATION}${batchId}`}, true),
      set_config('statement_timeout', ${String(commitAllowanceMs(rows))}, true)`.execute(trx);
}

export interface EndedCommit {
  pid: number;
  batchId: number;
}

/**
 * Ends the backends still running the commit of a batch that failed (its owner saw its connection
 * fail and said so) or was interrupted (no word from its owner within the allowance). Returns
 * what it ended.
 */
export async function endOrphanedCommits(db: Executor): Promise<EndedCommit[]> {
  const { rows } = await sql<{ pid: number; batch_id: number }>`
    select a.pid, b.id as batch_id, pg_terminate_backend(a.pid) as ended
    from pg_stat_activity a
    join batch b on a.application_name = ${COMMIT_APPLICATION} || b.id::text
    where a.datname = current_database() and a.pid <> pg_backend_pid() and a.state <> 'idle'
      and b.status <> 'committed'
      and (b.status = 'failed'
        or b.progress_at < now() - make_interval(secs => (${STALL_MS} + b.rows_read) / 1000.0))`.execute(db);
  return rows.map((r) => ({ pid: r.pid, batchId: r.batch_id }));
}

/**
 * One writer of records at a time, until the transaction ends: two batches must not both create
 * the subject of a new code, nor a revocation and a batch both add a version of one record. When
 * the lock is taken, orphaned commits are ended first, then the writer waits its turn.
 */
export async function lockCommits(db: Executor): Promise<EndedCommit[]> {
  const { rows } = await sql<{ got: boolean }>`
    select pg_try_advisory_xact_lock(${COMMIT_LOCK}) as got`.execute(db);
  if (rows[0]?.got === true) {
    return [];
  }
  const ended = await endOrphanedCommits(db);
  await sql`select pg_advisory_xact_lock(${COMMIT_LOCK})`.execute(db);
  return ended;
}
