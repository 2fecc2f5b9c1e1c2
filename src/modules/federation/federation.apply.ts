/**
 * The national node's applier: what the subscriptions deliver into `federation_share` becomes the
 * nation's own subjects and records, in the same tables and through the same triggers as any other
 * write, so the change feed, the name index, files and credit checks take it up as they take up an
 * ingest. Idempotent: a record is keyed by (origin, origin record id), and a change older than the
 * one applied is not applied again. A row that cannot be held is kept with its reason.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { FederationShareTable } from '../../platform/db/index.ts';
import {
  msg,
  Poller,
  render,
  SYSTEM_ACTOR,
  type AuditWriter,
  type DataProtector,
  type Schema,
} from '../../platform/index.ts';

/** A change as the province sent it (the columns of the publication). */
type ShareRow = Omit<
  Selectable<FederationShareTable>,
  | 'recorded_at'
  | 'batch_id'
  | 'status_reason'
  | 'received_at'
  | 'applied_at'
  | 'applied_record_id'
  | 'apply_error'
>;

const PAGE = 500;

/** The nation's code for a province's department: the province's division before it. */
export const federatedDepartment = (origin: string, code: string) => `${origin}-${code}`.slice(0, 40);

export interface Applied {
  applied: number;
  failed: number;
}

export class FederationApplier {
  private readonly poller: Poller<Applied>;

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly protector: DataProtector,
    options: { pollMs?: number; onError?: (err: unknown) => void } = {},
  ) {
    this.poller = new Poller(() => this.applyWaiting(), {
      pollMs: options.pollMs ?? 500,
      ...(options.onError === undefined ? {} : { onError: options.onError }),
    });
  }

  start(): void {
    this.poller.start();
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Applies what has arrived, after any round under way. */
  tick(): Promise<Applied> {
    return this.poller.tick();
  }

  /** Every row waiting, a page at a time; a page that fails is applied row by row, failures kept. */
  private async applyWaiting(): Promise<Applied> {
    const total: Applied = { applied: 0, failed: 0 };
    for (;;) {
      const rows = await this.waiting();
      if (rows.length === 0) {
        return total;
      }
      try {
        await this.db.transaction().execute((trx) => this.applyPage(trx, rows));
        total.applied += rows.length;
      } catch {
        for (const row of rows) {
          try {
            await this.db.transaction().execute((trx) => this.applyPage(trx, [row]));
            total.applied += 1;
          } catch (err) {
            await this.fail(row, (err as Error).message);
            total.failed += 1;
          }
        }
      }
    }
  }

  private async waiting(): Promise<ShareRow[]> {
    const r = await sql<ShareRow>`
      select origin, seq, record_id, previous_record_id, origin_txid, change, subject_code, subject_kind,
        subject_name, subject_division, item_code, sharing, department_code, department_name,
        department_division, department_level, identity_key, version, is_current, status, repair_outcome,
        tier, tier_source, decision_date, display_from, shortest_until, longest_until, display_public,
        payload, payload_digest
      from federation_share where applied_at is null and apply_error is null
      order by origin, seq limit ${PAGE}`.execute(this.db);
    return r.rows;
  }

  /** Keeps `row` unapplied with its reason (in `trx`, or on its own). */
  private async fail(row: ShareRow, reason: string, trx: Kysely<Schema> = this.db): Promise<void> {
    await sql`update federation_share set apply_error = ${reason}
      where origin = ${row.origin} and seq = ${row.seq}`.execute(trx);
  }

  private async applyPage(trx: Transaction<Schema>, rows: ShareRow[]): Promise<void> {
    // Within one of the province's transactions, a record made current again after another stopped
    // being current: the changes of existing records first, then the new ones.
    const ordered = [...rows].sort(
      (a, b) =>
        a.origin.localeCompare(b.origin) ||
        (a.origin_txid === b.origin_txid ? Number(isNew(a)) - Number(isNew(b)) : 0) ||
        a.seq - b.seq,
    );
    const applied: Array<{
      origin: string;
      seq: number;
      record: number;
      txid: string;
      change: string;
      at: number | null;
    }> = [];
    for (const row of ordered) {
      const refused = refusal(row);
      if (refused !== undefined) {
        await this.fail(row, refused, trx);
        continue;
      }
      const at = await this.applyRow(trx, row);
      applied.push({
        origin: row.origin,
        seq: row.seq,
        record: row.record_id,
        txid: row.origin_txid,
        change: row.change,
        at,
      });
    }
    if (applied.length > 0) {
      await this.audit.append(trx, {
        actor: SYSTEM_ACTOR,
        action: 'federation.apply',
        details: { changes: applied },
      });
    }
  }

  /** One change: the department and subject made if new, the record inserted or its state moved on. */
  private async applyRow(trx: Transaction<Schema>, row: ShareRow): Promise<number | null> {
    const item = await trx
      .selectFrom('catalog_item')
      .select('version_id')
      .where('code', '=', row.item_code)
      .executeTakeFirst();
    if (item === undefined) {
      await this.fail(row, render('en', msg('federation.unknown_item', { item: row.item_code })), trx);
      return null;
    }
    const department = federatedDepartment(row.origin, row.department_code);
    await sql`
      insert into department (code, name, division, level)
      values (${department}, ${row.department_name}, ${row.department_division}, ${row.department_level})
      on conflict (code) do nothing`.execute(trx);
    const subjectId = await this.subject(trx, row);
    const existing = await trx
      .selectFrom('record')
      .select(['id', 'origin_seq'])
      .where('origin', '=', row.origin)
      .where('origin_record_id', '=', row.record_id)
      .executeTakeFirst();
    let recordId: number;
    if (existing !== undefined) {
      recordId = existing.id;
      if ((existing.origin_seq ?? 0) < row.seq) {
        await trx
          .updateTable('record')
          .set({
            status: row.status as 'active',
            repair_outcome: row.repair_outcome,
            is_current: row.is_current,
            origin_seq: row.seq,
          })
          .where('id', '=', existing.id)
          .execute();
      }
    } else {
      const previous =
        row.previous_record_id === null
          ? undefined
          : await trx
              .selectFrom('record')
              .select('id')
              .where('origin', '=', row.origin)
              .where('origin_record_id', '=', row.previous_record_id)
              .executeTakeFirst();
      const inserted = await trx
        .insertInto('record')
        .values({
          subject_id: subjectId,
          department_code: department,
          item_code: row.item_code,
          catalog_version_id: item.version_id,
          identity_key: row.identity_key,
          version: row.version,
          previous_id: previous?.id ?? null,
          is_current: row.is_current,
          payload: JSON.stringify(row.payload),
          payload_digest: row.payload_digest,
          decision_date: row.decision_date,
          tier: row.tier,
          tier_source: row.tier_source,
          display_from: row.display_from,
          shortest_until: row.shortest_until,
          longest_until: row.longest_until,
          display_public: row.display_public,
          status: row.status as 'active',
          repair_outcome: row.repair_outcome,
          batch_id: null,
          row_no: null,
          origin: row.origin,
          origin_record_id: row.record_id,
          origin_seq: row.seq,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      recordId = inserted.id;
    }
    await sql`update federation_share set applied_at = now(), applied_record_id = ${recordId}
      where origin = ${row.origin} and seq = ${row.seq}`.execute(trx);
    return recordId;
  }

  /** The nation's subject for the unified code: one subject whatever province names it. */
  private async subject(trx: Transaction<Schema>, row: ShareRow): Promise<number> {
    const code = row.subject_code ?? '';
    const hash = this.protector.hash('uscc', code);
    const found = await trx
      .selectFrom('subject_code')
      .select('subject_id')
      .where('kind', '=', 'uscc')
      .where('value_hash', '=', hash)
      .executeTakeFirst();
    if (found !== undefined) {
      return found.subject_id;
    }
    const made = await trx
      .insertInto('subject')
      .values({
        kind: row.subject_kind,
        name: row.subject_name,
        division: row.subject_division,
        status: 'registered',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('subject_code')
      .values({ subject_id: made.id, kind: 'uscc', value_hash: hash, value: code, masked: code })
      .execute();
    return made.id;
  }
}

const isNew = (row: ShareRow) => row.change === 'new_record' || row.change === 'new_version';

/** Why a row must not be held here (the publication's filter should never let one through). */
function refusal(row: ShareRow): string | undefined {
  if (
    row.subject_code === null ||
    row.subject_kind === 'natural_person' ||
    (row.sharing !== 'unconditional' && row.sharing !== 'conditional')
  ) {
    return render('en', msg('federation.not_shareable'));
  }
  return undefined;
}
