/** The audit tables. Reads return events exactly as hashed (microsecond timestamps as text). */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import type { ChainEvent } from './audit.chain.ts';

type Executor = Kysely<Schema> | Transaction<Schema>;

/**
 * The advisory lock that elects the one process signing a scheduled checkpoint (the commit lock of
 * ingest is 7531).
 */
export const CHECKPOINT_LOCK = 7532;

export interface EventFilter {
  actor?: string;
  action?: string;
  targetKind?: string;
  targetId?: string;
  from?: string;
  to?: string;
  afterSeq?: number;
  /** Only events before this one: the cursor of a listing read newest first. */
  beforeSeq?: number;
  throughSeq?: number;
  limit: number;
  /** `asc` (default): in chain order, as verification reads; `desc`: newest first, as people read. */
  order?: 'asc' | 'desc';
}

/** What an event says, as it is hashed: its time as text, its details parsed. */
interface EventContentRow {
  occurred_at: string;
  actor: string;
  actor_role: string | null;
  actor_department: string | null;
  action: string;
  target_kind: string | null;
  target_id: string | null;
  details: Record<string, unknown>;
}

/** An event waiting in the inbox. */
export interface InboxRow extends EventContentRow {
  id: number;
}

/** An event in the chain. */
interface EventRow extends EventContentRow {
  seq: number;
  prev_hash: string;
  hash: string;
}

/** An event's time as it is hashed: ISO 8601 UTC with microseconds. */
function occurredAtText() {
  return sql<string>`to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

function toEvent(r: EventRow): ChainEvent {
  return {
    seq: r.seq,
    occurredAt: r.occurred_at,
    actor: r.actor,
    actorRole: r.actor_role,
    actorDepartment: r.actor_department,
    action: r.action,
    targetKind: r.target_kind,
    targetId: r.target_id,
    details: r.details,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export class AuditRepository {
  constructor(private readonly db: Executor) {}

  /** The chain's head: the last event chained (locked to the end of the transaction when `forUpdate`). */
  async head(forUpdate = false): Promise<{ seq: number; hash: string }> {
    const query = this.db.selectFrom('audit_head').select(['seq', 'hash']);
    return (forUpdate ? query.forUpdate() : query).executeTakeFirstOrThrow();
  }

  async events(filter: EventFilter): Promise<ChainEvent[]> {
    let query = this.db
      .selectFrom('audit_event')
      .select([
        'seq',
        occurredAtText().as('occurred_at'),
        'actor',
        'actor_role',
        'actor_department',
        'action',
        'target_kind',
        'target_id',
        sql<Record<string, unknown>>`details`.as('details'),
        'prev_hash',
        'hash',
      ])
      .orderBy('seq', filter.order ?? 'asc')
      .limit(filter.limit);
    if (filter.actor !== undefined) {
      query = query.where('actor', '=', filter.actor);
    }
    if (filter.action !== undefined) {
      query = query.where('action', '=', filter.action);
    }
    if (filter.targetKind !== undefined) {
      query = query.where('target_kind', '=', filter.targetKind);
    }
    if (filter.targetId !== undefined) {
      query = query.where('target_id', '=', filter.targetId);
    }
    if (filter.from !== undefined) {
      query = query.where('occurred_at', '>=', sql<Date>`${filter.from}::timestamptz`);
    }
    if (filter.to !== undefined) {
      query = query.where('occurred_at', '<', sql<Date>`${filter.to}::timestamptz`);
    }
    if (filter.afterSeq !== undefined) {
      query = query.where('seq', '>', filter.afterSeq);
    }
    if (filter.beforeSeq !== undefined) {
      query = query.where('seq', '<', filter.beforeSeq);
    }
    if (filter.throughSeq !== undefined) {
      query = query.where('seq', '<=', filter.throughSeq);
    }
    return (await query.execute()).map((r) => toEvent(r));
  }

  /** Every event from `afterSeq` on, in pages, in seq order. */
  async *stream(afterSeq: number, throughSeq?: number, page = 1000): AsyncGenerator<ChainEvent> {
    let after = afterSeq;
    for (;;) {
      const batch = await this.events({ afterSeq: after, throughSeq, limit: page });
      yield* batch;
      const last = batch[batch.length - 1];
      if (last === undefined || batch.length < page) {
        return;
      }
      after = last.seq;
    }
  }

  /**
   * Takes the checkpoint lock until the transaction ends, unless another session holds it: then
   * false at once, never a wait.
   */
  async tryLockCheckpoints(): Promise<boolean> {
    const { rows } = await sql<{ got: boolean }>`
      select pg_try_advisory_xact_lock(${CHECKPOINT_LOCK}) as got`.execute(this.db);
    return rows[0]?.got === true;
  }

  /** The latest event of `action` (by the index on action and seq): its seq and time. */
  async latestOf(action: string): Promise<{ seq: number; occurredAt: string } | undefined> {
    return this.db
      .selectFrom('audit_event')
      .select(['seq', occurredAtText().as('occurredAt')])
      .where('action', '=', action)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** The first event still held (after an archived prefix): its seq and time. */
  async first(): Promise<{ seq: number; occurredAt: string } | undefined> {
    return this.db
      .selectFrom('audit_event')
      .select(['seq', occurredAtText().as('occurredAt')])
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
  }

  /** Where verification starts: after the last archived prefix, or at the beginning. */
  async archivedThrough(): Promise<
    | { seq: number; hash: string; manifest: unknown; signature: string | null; keyId: string | null }
    | undefined
  > {
    const row = await this.db
      .selectFrom('audit_archive')
      .select(['through_seq', 'last_hash', 'manifest', 'signature', 'key_id'])
      .orderBy('through_seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : {
          seq: row.through_seq,
          hash: row.last_hash,
          manifest: row.manifest,
          signature: row.signature,
          keyId: row.key_id,
        };
  }

  async lastSeqBefore(before: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('audit_event')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('occurred_at', '<', sql<Date>`${before}::timestamptz`)
      .executeTakeFirst();
    return row?.seq ?? undefined;
  }

  /** Records an archived prefix and prunes it; the trigger allows exactly that prefix. */
  async pruneArchived(
    throughSeq: number,
    lastHash: string,
    fileDigest: string,
    count: number,
    signed: { manifest: string; signature: string; keyId: string },
  ): Promise<number> {
    await this.db
      .insertInto('audit_archive')
      .values({
        through_seq: throughSeq,
        last_hash: lastHash,
        file_digest: fileDigest,
        event_count: count,
        manifest: signed.manifest,
        signature: signed.signature,
        key_id: signed.keyId,
      })
      .execute();
    await sql`select set_config('xinyong.audit_prune', 'on', true)`.execute(this.db);
    const deleted = await this.db.deleteFrom('audit_event').where('seq', '<=', throughSeq).executeTakeFirst();
    await sql`select set_config('xinyong.audit_prune', 'off', true)`.execute(this.db);
    return Number(deleted.numDeletedRows);
  }

  // ---- the inbox and the sequencer ------------------------------------------------------------

  /** The newest event in the inbox, if any. */
  async newestWaiting(): Promise<number | undefined> {
    const r = await sql<{ id: number | null }>`select max(id) as id from audit_inbox`.execute(this.db);
    const id = r.rows[0]?.id;
    return id === null || id === undefined ? undefined : Number(id);
  }

  /** Whether any event waits, or any up to the inbox id `upTo`. */
  async waiting(upTo?: number): Promise<boolean> {
    const r = await sql<{ any: boolean }>`
      select exists (select 1 from audit_inbox where ${upTo ?? null}::bigint is null or id <= ${upTo ?? null}) as any`.execute(
      this.db,
    );
    return r.rows[0]?.any === true;
  }

  /** How many events wait, and when the oldest occurred (ISO 8601). */
  async pending(): Promise<{ events: number; oldest: string | null }> {
    const r = await sql<{ n: number; oldest: string | null }>`
      select count(*) as n, min(${occurredAtText()}) as oldest from audit_inbox`.execute(this.db);
    return { events: Number(r.rows[0]?.n ?? 0), oldest: r.rows[0]?.oldest ?? null };
  }

  /**
   * The advisory lock `lock` to the end of the transaction if free, and leave for the transaction
   * to delete from the inbox what it chains.
   */
  async trySequencing(lock: number): Promise<boolean> {
    const r = await sql<{ got: boolean }>`
      select pg_try_advisory_xact_lock(${lock}) as got,
        set_config('xinyong.audit_seal', 'on', true) as sealing`.execute(this.db);
    return r.rows[0]?.got === true;
  }

  /** The first `limit` committed events waiting, in inbox order, as they will be hashed. */
  async waitingEvents(limit: number): Promise<InboxRow[]> {
    const r = await sql<InboxRow>`
      select id, ${occurredAtText()} as occurred_at,
        actor, actor_role, actor_department, action, target_kind, target_id, details
      from audit_inbox order by id limit ${limit}`.execute(this.db);
    return r.rows;
  }

  /** Copies these inbox events into the chain at their places, with their hashes (computed by the caller). */
  async chain(
    chained: ReadonlyArray<{ inboxId: number; seq: number; prevHash: string; hash: string }>,
  ): Promise<void> {
    // The events are copied from the inbox by the database; only their places and hashes are sent.
    await sql`
      insert into audit_event (seq, occurred_at, actor, actor_role, actor_department, action,
        target_kind, target_id, details, prev_hash, hash, inbox_id, txid)
      select c.seq, i.occurred_at, i.actor, i.actor_role, i.actor_department, i.action,
        i.target_kind, i.target_id, i.details, c.prev_hash, c.hash, i.id, i.txid
      from unnest(${chained.map((e) => e.inboxId)}::bigint[], ${chained.map((e) => e.seq)}::bigint[],
        ${chained.map((e) => e.prevHash)}::text[], ${chained.map((e) => e.hash)}::text[])
        as c(id, seq, prev_hash, hash)
      join audit_inbox i on i.id = c.id`.execute(this.db);
  }

  /**
   * The chained events of the inbox range [first, last] leave the inbox (only chained ones: a row
   * committed meanwhile inside the range stays), and the head moves, in one statement.
   */
  async sealed(first: number, last: number, head: { seq: number; hash: string }): Promise<void> {
    await sql`
      with chained as (
        delete from audit_inbox i using audit_event e
        where i.id between ${first} and ${last} and e.inbox_id = i.id)
      update audit_head set seq = ${head.seq}, hash = ${head.hash} where singleton`.execute(this.db);
  }
}
