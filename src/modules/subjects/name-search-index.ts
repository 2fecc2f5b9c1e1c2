/**
 * The name index of this server process, derived from the database and kept current: built from
 * the subjects the public may find by name at start, then following the change feed (in
 * transaction order, reading only transactions older than every one still running, so a commit
 * that lands late is never skipped) and re-reading the subjects it names. Whether a provisional
 * subject can be found depends on the day (its records' display periods end at midnight without a
 * write), so on a new day in Asia/Shanghai those subjects are read again.
 *
 * It also keeps what a result shows of each subject it holds (kind, name, status, division, the code
 * shown), so a page of results needs no read of the subjects: only a check, in one small statement
 * shared by the pages asked meanwhile, that none of them changed after what the index has applied
 * (else the page is read from SQL).
 *
 * PostgreSQL stays the source of truth: until the index is ready, search asks SQL.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { todayInShanghai } from '../../platform/calendar/index.ts';
import type { Prepared, Schema } from '../../platform/db/index.ts';
import { ChangeQuestions, type FeedPoint } from './change-questions.ts';
import { NameIndex, type IndexMatches } from './name-index.ts';

export type IndexState = 'idle' | 'building' | 'ready' | 'failed' | 'stopped';

export interface IndexStatus {
  state: IndexState;
  /** Subjects findable by name in the index. */
  subjects: number;
  /** How long the build from the database took. */
  buildMs: number | null;
}

/** What a result shows of a subject, as the index keeps it. */
export interface SubjectCard {
  id: number;
  kind: string;
  name: string;
  status: string;
  division: string | null;
  code: string | null;
  code_kind: string | null;
}

export interface NameSearchIndexOptions {
  /** Whether a subject `s` may be found today (beyond not being a natural person). */
  findable: (today: string) => RawBuilder<unknown>;
  /** The columns `code` and `code_kind` of subject `s`: the code a result shows. */
  shownCode: RawBuilder<unknown>;
  /** Runs the page's check as a prepared statement; without it, an ordinary query. */
  prepared?: Prepared;
  today?: () => string;
  /** How often the change feed is read. */
  pollMs?: number;
  /** Changes read at once. */
  batch?: number;
  onError?: (err: unknown) => void;
}

type Cursor = FeedPoint;

/** Ids in one statement's IN list: well under any parameter limit. */
const CHUNK = 5000;

/** A subject as the index reads it: its search key, whether it may be found now, its card. */
type Read = SubjectCard & { name_key: string; findable: boolean };

/** The card's fields, in one string per subject (a fraction of the memory of an object). */
const SEP = '\u0001';
const pack = (r: Read): string =>
  [r.kind, r.status, r.division ?? '', r.code_kind ?? '', r.code ?? '', r.name].join(SEP);
function unpack(id: number, packed: string): SubjectCard {
  const [kind = '', status = '', division = '', codeKind = '', code = '', ...name] = packed.split(SEP);
  return {
    id,
    kind,
    name: name.join(SEP),
    status,
    division: division === '' ? null : division,
    code: codeKind === '' ? null : code,
    code_kind: codeKind === '' ? null : codeKind,
  };
}

export class NameSearchIndex {
  private index = new NameIndex();
  /** The card of each subject in the index, packed. */
  private cards = new Map<number, string>();
  private state: IndexState = 'idle';
  private buildMs: number | null = null;
  private cursor: Cursor = { txid: 0n, id: 0 };
  private day = '';
  private timer: NodeJS.Timeout | undefined;
  /** Reads of the feed, one after another. */
  private queue: Promise<void> = Promise.resolve();
  private readonly today: () => string;
  private readonly pollMs: number;
  private readonly batch: number;
  /** Whether the subjects of a page changed since what the index applied: asked for many pages at once. */
  private readonly questions = new ChangeQuestions(
    (after, ids) => this.changedAfter(after, ids),
    () => this.cursor,
  );

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly options: NameSearchIndexOptions,
  ) {
    this.today = options.today ?? (() => todayInShanghai());
    this.pollMs = options.pollMs ?? 200;
    this.batch = options.batch ?? 10_000;
  }

  status(): IndexStatus {
    return { state: this.state, subjects: this.index.size, buildMs: this.buildMs };
  }

  /** The index's answer, or undefined while it is not ready (the caller asks SQL). */
  match(grams: readonly string[], take: number, count: number): IndexMatches | undefined {
    return this.state === 'ready' ? this.index.match(grams, take, count) : undefined;
  }

  /**
   * The cards of a page of matched subjects, or undefined when the page must be read from SQL:
   * the index is not ready, the day changed and the index has not yet re-checked it, or one of
   * them changed after what the index has applied (one small statement over the change feed asks,
   * so a subject that may no longer be found is never shown, even before the index catches up).
   */
  async page(ids: readonly number[]): Promise<SubjectCard[] | undefined> {
    if (this.state !== 'ready' || this.today() !== this.day) {
      return undefined;
    }
    if (ids.length === 0) {
      return [];
    }
    const changed = await this.questions.changedAmong(ids);
    // Read after the answer: the cards hold at least what was applied when the question started.
    const cards: SubjectCard[] = [];
    for (const id of ids) {
      const packed = this.cards.get(id);
      if (packed === undefined || changed.has(id)) {
        return undefined;
      }
      cards.push(unpack(id, packed));
    }
    return this.state === 'ready' && this.today() === this.day ? cards : undefined;
  }

  /** The subjects among `ids` with a change in the feed after `after`: one statement. */
  private async changedAfter(after: FeedPoint, ids: number[]): Promise<ReadonlySet<number>> {
    const query = sql<{ subject_id: number }>`
      select distinct c.subject_id from change_log c
      where (c.txid, c.id) > (${after.txid.toString()}::xid8, ${after.id}::bigint)
        and c.subject_id = any(${ids}::bigint[])`.compile(this.db);
    const rows =
      this.options.prepared === undefined
        ? (await this.db.executeQuery(query)).rows
        : await this.options.prepared('xinyong_search_page_changed', query);
    return new Set(rows.map((r) => Number(r.subject_id)));
  }

  /** Builds the index, then follows the feed until stopped. Resolves once built. */
  async start(): Promise<void> {
    if (this.state !== 'idle' && this.state !== 'failed') {
      return;
    }
    this.state = 'building';
    try {
      await this.build();
      this.state = 'ready';
    } catch (err) {
      this.state = 'failed';
      this.options.onError?.(err);
      return;
    }
    this.schedule();
  }

  /**
   * Reads the feed now and until every change committed before the call is in the index. A change
   * is read only once every transaction older than it has ended (anywhere on the server, on
   * PostgreSQL), so this may wait for them — at most `timeoutMs`, then it says so.
   */
  async catchUp(timeoutMs = 60_000): Promise<void> {
    const latest = await sql<{ txid: string; id: number }>`
      select txid::text as txid, id from change_log order by txid desc, id desc limit 1`.execute(this.db);
    const target = latest.rows[0];
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      await this.tick();
      const reached =
        target === undefined ||
        this.cursor.txid > BigInt(target.txid) ||
        (this.cursor.txid === BigInt(target.txid) && this.cursor.id >= Number(target.id));
      if (reached || this.state !== 'ready') {
        return;
      }
      if (performance.now() > deadline) {
        throw new Error(
          `the name index did not catch up within ${timeoutMs} ms: an older transaction is still open`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.timer);
    await this.queue;
  }

  /** One read of the feed, after any under way; a failure is reported and the next read retries. */
  private tick(): Promise<void> {
    this.queue = this.queue.then(async () => {
      if (this.state === 'ready') {
        await this.follow().catch((err: unknown) => this.options.onError?.(err));
      }
    });
    return this.queue;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      void this.tick().then(() => {
        if (this.state === 'ready') {
          this.schedule();
        }
      });
    }, this.pollMs);
    this.timer.unref();
  }

  private async build(): Promise<void> {
    const started = performance.now();
    // Changes of transactions still running when the build reads are read again from the feed.
    const horizon = await sql<{ xmin: string }>`
      select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`.execute(this.db);
    this.cursor = { txid: BigInt(horizon.rows[0]?.xmin ?? '1') - 1n, id: Number.MAX_SAFE_INTEGER };
    this.day = this.today();
    const rows = await sql<Read>`
      select ${this.columns()}, true as findable from subject s
      where s.kind <> 'natural_person' and ${this.options.findable(this.day)}`.execute(this.db);
    const index = new NameIndex();
    index.load(rows.rows.map((r) => [Number(r.id), r.name_key] as const));
    this.cards = new Map(rows.rows.map((r) => [Number(r.id), pack(r)]));
    this.index = index;
    this.buildMs = Math.round(performance.now() - started);
  }

  private async follow(): Promise<void> {
    for (;;) {
      const today = this.today();
      if (today !== this.day) {
        await this.newDay(today);
      }
      const changes = await sql<{ txid: string; id: number; subject_id: number; record_id: number | null }>`
        select c.txid::text as txid, c.id, c.subject_id, c.record_id from change_log c
        where (c.txid, c.id) > (${this.cursor.txid.toString()}::xid8, ${this.cursor.id}::bigint)
          and c.txid < pg_snapshot_xmin(pg_current_snapshot())
        order by c.txid, c.id
        limit ${this.batch}`.execute(this.db);
      const last = changes.rows.at(-1);
      if (last === undefined) {
        return;
      }
      const subjects = new Set<number>();
      const recorded = new Set<number>();
      for (const c of changes.rows) {
        (c.record_id === null ? subjects : recorded).add(Number(c.subject_id));
      }
      // A record changes whether a provisional subject can be found; a registered one is found anyway.
      await this.reread(
        [...subjects],
        [...recorded].filter((id) => !subjects.has(id)),
      );
      this.cursor = { txid: BigInt(last.txid), id: Number(last.id) };
      if (changes.rows.length < this.batch) {
        return;
      }
    }
  }

  /** Reads these subjects again: the first whatever changed, the second if provisional. */
  private async reread(changed: number[], recorded: number[]): Promise<void> {
    for (let i = 0; i < changed.length; i += CHUNK) {
      await this.apply(changed.slice(i, i + CHUNK), sql`true`);
    }
    for (let i = 0; i < recorded.length; i += CHUNK) {
      await this.apply(recorded.slice(i, i + CHUNK), sql`s.status = 'provisional'`);
    }
  }

  private async apply(ids: number[], which: RawBuilder<unknown>): Promise<void> {
    if (ids.length === 0) {
      return;
    }
    const rows = await sql<Read>`
      select ${this.columns()}, (s.kind <> 'natural_person' and ${this.options.findable(this.day)}) as findable
      from subject s where s.id in (${sql.join(ids)}) and ${which}`.execute(this.db);
    this.place(rows.rows);
  }

  /**
   * A new day: provisional subjects a record of which stopped being displayed since the last day
   * seen may no longer be found.
   */
  private async newDay(today: string): Promise<void> {
    const since = this.day;
    const rows = await sql<Read>`
      select ${this.columns()}, ${this.options.findable(today)} as findable
      from subject s
      where s.kind <> 'natural_person' and s.status = 'provisional'
        and s.id in (select r.subject_id from record r
                     where r.is_current and r.longest_until > ${since} and r.longest_until <= ${today})`.execute(
      this.db,
    );
    this.place(rows.rows);
    // Only now: until the day's re-check is applied, pages are read from SQL.
    this.day = today;
  }

  /** What the index reads of a subject `s`: its key and its card. */
  private columns(): RawBuilder<unknown> {
    return sql`s.id, s.name_key, s.kind, s.name, s.status, s.division, ${this.options.shownCode}`;
  }

  /** Each subject in the index if the public may find it by name now, out of it if not. */
  private place(rows: readonly Read[]): void {
    for (const r of rows) {
      const id = Number(r.id);
      if (r.findable) {
        this.index.put(id, r.name_key);
        this.cards.set(id, pack(r));
      } else {
        this.index.delete(id);
        this.cards.delete(id);
      }
    }
  }
}
