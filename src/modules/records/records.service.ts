/**
 * A record's status and its transitions. A revocation or a list entry's removal makes a new
 * current version with the new status, the old one kept as history; a status set in place (an
 * objection under way, its outcome) keeps the version. Either runs inside the caller's
 * transaction: the caller has decided that the change may be made.
 */
import type { Kysely, Transaction } from 'kysely';
import { ConflictError, msg, type AuditWriter } from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { toAuditActor, type Actor } from '../auth/index.ts';
import { RecordRepository } from './records.repository.ts';
import type { RecordStatus, RepairOutcome } from './records.types.ts';

export interface StatusChange {
  recordId: number;
  status: RecordStatus;
  reason: string;
}

/**
 * A new current version of record `id` with its status changed (revoked, or repaired with its
 * outcome), the old version kept; the caller holds the writers' lock (lockCommits). Undefined, and
 * nothing written, when `id` is not the current version of its record.
 */
export async function supersedeRecord(
  db: Kysely<Schema> | Transaction<Schema>,
  id: number,
  change: { status: 'revoked' | 'repaired'; reason: string; repairOutcome: RepairOutcome | null },
): Promise<number | undefined> {
  const repo = new RecordRepository(db);
  const current = await repo.currentForUpdate(id);
  return current === undefined ? undefined : repo.supersede(current, change);
}

export class RecordService {
  constructor(private readonly audit: AuditWriter) {}

  /**
   * Sets the status of a current record in place (no new version), with its audit event, inside
   * `trx`; returns the status it had. The row is locked: a batch that would supersede it waits, and
   * a record superseded meanwhile is refused as not current.
   */
  async setStatus(trx: Transaction<Schema>, actor: Actor, change: StatusChange): Promise<RecordStatus> {
    const repo = new RecordRepository(trx);
    const current = await repo.currentForUpdate(change.recordId);
    if (current === undefined) {
      throw new ConflictError(msg('records.not_current', { record: change.recordId }), {
        field: 'recordId',
        value: change.recordId,
        rule: 'record.current',
      });
    }
    await repo.setStatus(current.id, change.status, change.reason);
    await this.audit.append(trx, {
      actor: toAuditActor(actor),
      action: 'record.status',
      target: { kind: 'record', id: String(current.id) },
      details: { from: current.status, to: change.status, reason: change.reason },
    });
    return current.status;
  }
}
