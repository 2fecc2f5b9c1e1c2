/**
 * Abandoned batches: a batch that failed, or whose process died while it was staging, validating
 * or committing (it reads `interrupted`), committed nothing, yet its staged rows stay in
 * `batch_row`. After the retention period they are purged, in one audited transaction: the batch
 * itself stays, marked failed with a message saying when its rows went and why.
 */
import { sql, type Kysely } from 'kysely';
import { SYSTEM_ACTOR, t, type AuditWriter } from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { STALL_MS } from '../records/index.ts';
import { sqlFormat } from './ingest.reasons.ts';

export interface PurgeResult {
  /** The batches whose staged rows were purged. */
  batches: number[];
  /** Staged rows deleted. */
  rows: number;
}

/**
 * Purges the staged rows of batches abandoned at least `days` days ago (0: as soon as abandoned).
 * A batch is abandoned when it failed, or when it has given no sign of progress within its
 * allowance (a minute, plus a millisecond a row while committing) — the rule that makes it read
 * `interrupted`.
 */
export async function purgeAbandonedBatches(
  db: Kysely<Schema>,
  audit: AuditWriter,
  days: number,
): Promise<PurgeResult> {
  return db.transaction().execute(async (trx) => {
    const { rows: abandoned } = await sql<{ id: number }>`
      select b.id from batch b
      where b.status in ('staging', 'validated', 'failed')
        and b.progress_at < now() - make_interval(days => ${days})
        and (b.status = 'failed'
          or b.progress_at < now() - make_interval(secs => (${STALL_MS}
            + case when b.status = 'validated' then b.rows_read else 0 end) / 1000.0))
        and exists (select 1 from batch_row br where br.batch_id = b.id)
      order by b.id
      for update skip locked`.execute(trx);
    const ids = abandoned.map((b) => b.id);
    if (ids.length === 0) {
      return { batches: [], rows: 0 };
    }
    const deleted = await sql`delete from batch_row where batch_id = any(${ids}::bigint[])`.execute(trx);
    const rows = Number(deleted.numAffectedRows ?? 0);
    // The message says what the batch said before (by key when it had one), then when and why
    // its rows went: in English, and by key for readers of other languages.
    await sql`
      update batch set status = 'failed',
        message = format(${sqlFormat('ingest.batch.purged', ['earlier', 'date', 'days'])}::text,
          coalesce(message, ${t('en', 'ingest.batch.process_stopped')}::text), to_char(now(), 'YYYY-MM-DD'), ${days}::int),
        message_key = jsonb_build_object('key', 'ingest.batch.purged', 'params', jsonb_build_object(
          'earlier', coalesce(message_key, to_jsonb(message), '{"key": "ingest.batch.process_stopped"}'::jsonb),
          'date', to_char(now(), 'YYYY-MM-DD'), 'days', ${days}::int))
      where id = any(${ids}::bigint[])`.execute(trx);
    await audit.append(trx, {
      actor: SYSTEM_ACTOR,
      action: 'batch.purge_abandoned',
      details: { batches: ids, rows, retentionDays: days },
    });
    return { batches: ids, rows };
  });
}
