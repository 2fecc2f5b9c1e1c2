/**
 * Public reads from a streaming replica (DATABASE_READ_URL). Every write and every audited read
 * stays on the primary; the public's reads (search, the public file, report verification, the
 * portal's figures) go to the replica while it follows closely enough, and to the primary when it
 * lags or is down. A monitor compares the two servers' WAL positions, so the lag it reports is how
 * long the replica has been missing something the primary had, not the time since the last write.
 */
import type pg from 'pg';

/**
 * in_use: public reads go to the replica. lagging: it is further behind than allowed; down: it
 * does not answer or is not a standby; starting: not checked yet. In all three, the primary serves.
 */
export type ReplicaState = 'starting' | 'in_use' | 'lagging' | 'down';

export interface ReplicaStatus {
  state: ReplicaState;
  /** How long the replica has been missing WAL the primary had (ms, to the monitor's interval); null when unknown. */
  lagMs: number | null;
  /** The longest lag allowed before public reads go back to the primary. */
  maxLagMs: number;
  /** When the replica was last checked (ISO), null before the first check. */
  checkedAt: string | null;
  /** Why it is down, in the server's words (an error code or `not_standby`). */
  reason?: string;
}

export interface ReplicaOptions {
  /** The longest lag (ms) at which the replica still serves (DATABASE_READ_MAX_LAG_MS). */
  maxLagMs: number;
  /** How often the monitor compares the two servers (ms). */
  checkMs: number;
  /** Told when the state changes. */
  onChange?: (status: ReplicaStatus) => void;
}

/** `X/Y` (pg_lsn as text) as a byte position. */
export function lsnPosition(lsn: string): bigint {
  const [high = '0', low = '0'] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

/**
 * The primary's WAL positions as the monitor saw them, with when: the replica's lag is the age of
 * the oldest position it has not replayed yet.
 */
export class LagClock {
  private readonly seen: Array<{ at: number; position: bigint }> = [];

  constructor(private readonly keep = 10_000) {}

  primaryAt(position: bigint, at: number): void {
    const last = this.seen.at(-1);
    if (last === undefined || position > last.position) {
      this.seen.push({ at, position });
      if (this.seen.length > this.keep) {
        this.seen.shift();
      }
    }
  }

  /** The lag at `now`, given the position the replica has replayed. */
  replicaAt(replayed: bigint, now: number): number {
    while (this.seen.length > 0 && (this.seen[0]?.position ?? 0n) <= replayed) {
      this.seen.shift();
    }
    const oldest = this.seen[0];
    return oldest === undefined ? 0 : now - oldest.at;
  }
}

type Client = pg.PoolClient;

/** Chooses, connection by connection, the pool the public's reads use. */
export class ReplicaRouter {
  private current: ReplicaStatus;
  private readonly clock = new LagClock();
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly primary: pg.Pool,
    private readonly replica: pg.Pool,
    private readonly options: ReplicaOptions,
  ) {
    this.current = { state: 'starting', lagMs: null, maxLagMs: options.maxLagMs, checkedAt: null };
  }

  status(): ReplicaStatus {
    return { ...this.current };
  }

  start(): void {
    const tick = () => {
      this.checking = this.check().finally(() => {
        this.checking = undefined;
        if (!this.stopped) {
          this.timer = setTimeout(tick, this.options.checkMs);
          this.timer.unref();
        }
      });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.checking;
  }

  /** A connection for a public read: the replica's while it is in use, else the primary's. */
  async connect(): Promise<Client> {
    if (this.current.state === 'in_use') {
      try {
        return await this.replica.connect();
      } catch (err) {
        this.set({ state: 'down', lagMs: null, reason: reasonOf(err) });
      }
    }
    return this.primary.connect();
  }

  /**
   * Compares the servers once: the primary's WAL position, then how far the replica has replayed.
   * The position is where the primary inserts WAL (not where it has written it): a commit made
   * without waiting for its flush (synchronous_commit off) already counts as something the
   * replica lacks.
   */
  async check(): Promise<void> {
    let primaryAt: string | undefined;
    try {
      const r = await this.primary.query<{ lsn: string }>('select pg_current_wal_insert_lsn()::text as lsn');
      primaryAt = r.rows[0]?.lsn;
    } catch {
      return; // the primary does not answer: nothing to compare with, nothing to serve either
    }
    const now = Date.now();
    if (primaryAt !== undefined) {
      this.clock.primaryAt(lsnPosition(primaryAt), now);
    }
    try {
      const r = await this.replica.query<{ standby: boolean; lsn: string | null }>(
        'select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn()::text as lsn',
      );
      const row = r.rows[0];
      if (row?.standby !== true || row.lsn === null) {
        this.set({ state: 'down', lagMs: null, reason: 'not_standby' });
        return;
      }
      const lagMs = this.clock.replicaAt(lsnPosition(row.lsn), Date.now());
      this.set({ state: lagMs > this.options.maxLagMs ? 'lagging' : 'in_use', lagMs });
    } catch (err) {
      this.set({ state: 'down', lagMs: null, reason: reasonOf(err) });
    }
  }

  private set(next: { state: ReplicaState; lagMs: number | null; reason?: string }): void {
    const changed = next.state !== this.current.state;
    this.current = {
      state: next.state,
      lagMs: next.lagMs,
      maxLagMs: this.options.maxLagMs,
      checkedAt: new Date().toISOString(),
      ...(next.reason === undefined ? {} : { reason: next.reason }),
    };
    if (changed) {
      this.options.onChange?.(this.status());
    }
  }
}

function reasonOf(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  return typeof e.code === 'string' ? e.code : String(e.message ?? err);
}
