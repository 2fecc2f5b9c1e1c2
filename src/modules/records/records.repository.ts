/**
 * Where a record changes outside a batch's commit: a new current version in place of the old one,
 * or its status set in place. And what "shown" means of a current record, for readers' SQL.
 */
import { sql, type Kysely, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import type { RecordTable } from '../../platform/db/schema.ts';
import type { RecordStatus, RepairOutcome } from './records.types.ts';

type Executor = Kysely<Schema> | Transaction<Schema>;

export type RecordRow = Selectable<RecordTable>;

/**
 * Conditions on a current record `r`, as decide() reads them: not revoked and not repaired away
 * (a repair that marks keeps it shown); and, on a day, also within its display period.
 */
export const notWithdrawn = sql`r.status <> 'revoked'
  and coalesce(r.repair_outcome, case when r.status = 'repaired' then 'end_disclosure' end, 'mark_repaired') = 'mark_repaired'`;

export function shownOn(today: string): RawBuilder<unknown> {
  return sql`${notWithdrawn} and (r.longest_until is null or r.longest_until > ${today})`;
}

export class RecordRepository {
  constructor(private readonly db: Executor) {}

  /** The record, if it is the current version of its record, locked for the transaction. */
  async currentForUpdate(id: number): Promise<RecordRow | undefined> {
    return this.db
      .selectFrom('record')
      .selectAll()
      .where('id', '=', id)
      .where('is_current', '=', true)
      .forUpdate()
      .executeTakeFirst();
  }

  /** A new current version of `current` with its status changed; the old version is kept. */
  async supersede(
    current: RecordRow,
    change: { status: 'revoked' | 'repaired'; reason: string; repairOutcome: RepairOutcome | null },
  ): Promise<number> {
    await this.db.updateTable('record').set({ is_current: false }).where('id', '=', current.id).execute();
    const { id: _old, received_at: _at, payload, ...rest } = current;
    const r = await this.db
      .insertInto('record')
      .values({
        ...rest,
        payload: JSON.stringify(payload),
        version: current.version + 1,
        previous_id: current.id,
        is_current: true,
        status: change.status,
        status_reason: change.reason,
        repair_outcome: change.repairOutcome,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  /** The record's status and its reason, changed in place: the same version, no new one. */
  async setStatus(id: number, status: RecordStatus, reason: string): Promise<void> {
    await this.db.updateTable('record').set({ status, status_reason: reason }).where('id', '=', id).execute();
  }
}
