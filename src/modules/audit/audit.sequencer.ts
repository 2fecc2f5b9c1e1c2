/**
 * The audit chain's sequencer. Actions write their events into the inbox in their own
 * transactions, without any chain lock; the sequencer chains what has committed, in the inbox's
 * order, onto the head — every `delayMs` (the merge delay of Certificate Transparency logs), and
 * at once after a write when the platform asks for it (the embedded database, which one process
 * owns). One sequencer at a time across every process on the database: each round takes an
 * advisory lock and skips if another holds it. A round is one transaction: killed half-way, it
 * leaves the inbox as it was, and the next round chains the same events; `inbox_id` is unique in
 * the chain, so none is chained twice.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import { eventHash, type ChainEvent } from './audit.chain.ts';

/** The advisory lock of the sequencer (ingest's commit lock is 7531, the checkpoint's 7532). */
export const SEQUENCER_LOCK = 7533;

/** Events chained in one round at most; a backlog takes several. */
const ROUND = 2000;

export interface SequencerOptions {
  /** How long a committed event may wait before it is chained, at most (plus the round's time). */
  delayMs: number;
  /** Chain at once after each write (the embedded database), besides the periodic rounds. */
  afterWrites: boolean;
  onError?: (err: unknown) => void;
  /** Events chained in one round at most (default 2000). */
  round?: number;
  /** Tests: called in a round once its events are in the chain, before the inbox and head follow (to kill it there). */
  midRound?: (trx: Transaction<Schema>) => Promise<void>;
}

export interface Round {
  /** False when another session was chaining: nothing was done. */
  elected: boolean;
  chained: number;
  /** The chain's head after the round. */
  head: { seq: number; hash: string };
}

export interface Pending {
  events: number;
  /** When the oldest waiting event occurred (ISO 8601), if any wait. */
  oldest: string | null;
}

interface InboxRow {
  id: number;
  occurred_at: string;
  actor: string;
  actor_role: string | null;
  actor_department: string | null;
  action: string;
  target_kind: string | null;
  target_id: string | null;
  details: Record<string, unknown>;
}

export class AuditSequencer {
  private timer: NodeJS.Timeout | undefined;
  /** A round asked for after a write has not started yet: later writes are in it. */
  private roundAsked = false;
  private stopped = true;
  /** Rounds of this process, one after another. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly options: SequencerOptions,
  ) {}

  /** Starts the periodic rounds. */
  start(): void {
    if (!this.stopped) {
      return;
    }
    this.stopped = false;
    this.tick();
  }

  /** Stops the rounds and chains what waits (a process that wrote events chains them before it ends). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.queue;
    await this.sealAll().catch((err: unknown) => this.options.onError?.(err));
  }

  /**
   * Told by the writer that an event was written: on the embedded database, a round is asked for
   * at once. It waits for the connection the writing transaction holds (the pool serves in
   * order), so it runs right after that commit and before anything the writer does next.
   */
  written(): void {
    if (!this.options.afterWrites || this.roundAsked) {
      return;
    }
    this.roundAsked = true;
    void this.enqueue(() => {
      this.roundAsked = false;
      return this.round();
    }).catch((err: unknown) => this.options.onError?.(err));
  }

  /**
   * Chains every event committed before the call; waits for another process's sequencer if it
   * holds the lock, at most `waitMs`. Resolves with the head.
   */
  async sealAll(waitMs = 30_000): Promise<{ seq: number; hash: string }> {
    const upTo = await sql<{ id: number | null }>`select max(id) as id from audit_inbox`.execute(this.db);
    const last = upTo.rows[0]?.id;
    const deadline = performance.now() + waitMs;
    for (let attempt = 0; ; attempt += 1) {
      const round = await this.enqueue(() => this.round());
      if (last === null || last === undefined) {
        return round.head;
      }
      const left = await sql<{ n: number }>`
        select count(*) as n from audit_inbox where id <= ${last}`.execute(this.db);
      if (Number(left.rows[0]?.n ?? 0) === 0) {
        return round.elected ? round.head : await this.head();
      }
      if (performance.now() > deadline) {
        // Another process holds the sequencer and has not chained them yet: what is chained is
        // what the caller gets (verification reports what still waits).
        return this.head();
      }
      // Another process is chaining them: give it a moment.
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, 5 * (attempt + 1))));
    }
  }

  /** What waits in the inbox. */
  async pending(): Promise<Pending> {
    const r = await sql<{ n: number; oldest: string | null }>`
      select count(*) as n,
        to_char(min(occurred_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as oldest
      from audit_inbox`.execute(this.db);
    return { events: Number(r.rows[0]?.n ?? 0), oldest: r.rows[0]?.oldest ?? null };
  }

  private async head(): Promise<{ seq: number; hash: string }> {
    return this.db.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirstOrThrow();
  }

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private tick(): void {
    this.timer = setTimeout(() => {
      void this.enqueue(async () => {
        // A round only when something waits: an idle platform asks one cheap question.
        const waiting = await sql<{ any: boolean }>`select exists (select 1 from audit_inbox) as any`.execute(
          this.db,
        );
        if (waiting.rows[0]?.any === true) {
          for (;;) {
            const round = await this.round();
            if (round.chained < (this.options.round ?? ROUND)) {
              break;
            }
          }
        }
      })
        .catch((err: unknown) => this.options.onError?.(err))
        .finally(() => {
          if (!this.stopped) {
            this.tick();
          }
        });
    }, this.options.delayMs);
    this.timer.unref();
  }

  /** One round: the lock, the head, the committed events in inbox order, chained and removed. */
  private round(): Promise<Round> {
    return this.db.transaction().execute(async (trx) => {
      // The lock, and leave for this transaction to delete from the inbox what it chains.
      const lock = await sql<{ got: boolean }>`
        select pg_try_advisory_xact_lock(${SEQUENCER_LOCK}) as got,
          set_config('xinyong.audit_seal', 'on', true) as sealing`.execute(trx);
      if (lock.rows[0]?.got !== true) {
        const head = await trx.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirstOrThrow();
        return { elected: false, chained: 0, head };
      }
      const head = await trx
        .selectFrom('audit_head')
        .select(['seq', 'hash'])
        .forUpdate()
        .executeTakeFirstOrThrow();
      const rows = await sql<InboxRow>`
        select id, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as occurred_at,
          actor, actor_role, actor_department, action, target_kind, target_id, details
        from audit_inbox order by id limit ${this.options.round ?? ROUND}`.execute(trx);
      if (rows.rows.length === 0) {
        return { elected: true, chained: 0, head };
      }
      let prev = head;
      const chained: Array<ChainEvent & { inboxId: number }> = rows.rows.map((r) => {
        const event: Omit<ChainEvent, 'hash'> = {
          seq: prev.seq + 1,
          occurredAt: r.occurred_at,
          actor: r.actor,
          actorRole: r.actor_role,
          actorDepartment: r.actor_department,
          action: r.action,
          targetKind: r.target_kind,
          targetId: r.target_id,
          details: r.details,
          prevHash: prev.hash,
        };
        const hash = eventHash(event);
        prev = { seq: event.seq, hash };
        return { ...event, hash, inboxId: Number(r.id) };
      });
      // The events are copied from the inbox by the database; only their places and hashes are sent.
      await sql`
        insert into audit_event (seq, occurred_at, actor, actor_role, actor_department, action,
          target_kind, target_id, details, prev_hash, hash, inbox_id)
        select c.seq, i.occurred_at, i.actor, i.actor_role, i.actor_department, i.action,
          i.target_kind, i.target_id, i.details, c.prev_hash, c.hash, i.id
        from unnest(${chained.map((e) => e.inboxId)}::bigint[], ${chained.map((e) => e.seq)}::bigint[],
          ${chained.map((e) => e.prevHash)}::text[], ${chained.map((e) => e.hash)}::text[])
          as c(id, seq, prev_hash, hash)
        join audit_inbox i on i.id = c.id`.execute(trx);
      // Chained, not yet removed from the inbox, the head not yet moved: where a kill hurts most.
      await this.options.midRound?.(trx);
      const first = chained[0]?.inboxId ?? 0;
      const last = chained[chained.length - 1]?.inboxId ?? 0;
      // The rows just chained leave the inbox (only chained ones: a row committed meanwhile inside
      // the range stays), and the head moves, in one statement.
      await sql`
        with chained as (
          delete from audit_inbox i using audit_event e
          where i.id between ${first} and ${last} and e.inbox_id = i.id)
        update audit_head set seq = ${prev.seq}, hash = ${prev.hash} where singleton`.execute(trx);
      return { elected: true, chained: chained.length, head: prev };
    });
  }
}
