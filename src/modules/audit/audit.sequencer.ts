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
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import { eventHash, type ChainEvent } from './audit.chain.ts';
import { AuditRepository } from './audit.repository.ts';

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
    const repo = new AuditRepository(this.db);
    const last = await repo.newestWaiting();
    const deadline = performance.now() + waitMs;
    for (let attempt = 0; ; attempt += 1) {
      const round = await this.enqueue(() => this.round());
      if (last === undefined) {
        return round.head;
      }
      if (!(await repo.waiting(last))) {
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
    return new AuditRepository(this.db).pending();
  }

  private head(): Promise<{ seq: number; hash: string }> {
    return new AuditRepository(this.db).head();
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
        if (await new AuditRepository(this.db).waiting()) {
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
      const repo = new AuditRepository(trx);
      if (!(await repo.trySequencing(SEQUENCER_LOCK))) {
        return { elected: false, chained: 0, head: await repo.head() };
      }
      const head = await repo.head(true);
      const rows = await repo.waitingEvents(this.options.round ?? ROUND);
      if (rows.length === 0) {
        return { elected: true, chained: 0, head };
      }
      let prev = head;
      const chained: Array<ChainEvent & { inboxId: number }> = rows.map((r) => {
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
      await repo.chain(chained);
      // Chained, not yet removed from the inbox, the head not yet moved: where a kill hurts most.
      await this.options.midRound?.(trx);
      const first = chained[0]?.inboxId ?? 0;
      const last = chained[chained.length - 1]?.inboxId ?? 0;
      await repo.sealed(first, last, prev);
      return { elected: true, chained: chained.length, head: prev };
    });
  }
}
