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
import type { Kysely } from 'kysely';
import { todayInShanghai } from '../../platform/calendar/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { ChangeQuestions, type FeedPoint } from './change-questions.ts';
import { NameIndex, type IndexMatches } from './name-index.ts';
import {
  NameIndexRepository,
  type IndexedSubject,
  type NameIndexRules,
  type SubjectCard,
} from './subjects.repository.ts';

export type IndexState = 'idle' | 'building' | 'ready' | 'failed' | 'stopped';

export interface IndexStatus {
  state: IndexState;
  /** Subjects findable by name in the index. */
  subjects: number;
  /** How long the build from the database took. */
  buildMs: number | null;
}

export interface NameSearchIndexOptions extends NameIndexRules {
  today?: () => string;
  /** How often the change feed is read. */
  pollMs?: number;
  /** Changes read at once. */
  batch?: number;
  onError?: (err: unknown) => void;
}

/** Ids in one statement's IN list: well under any parameter limit. */
const CHUNK = 5000;

/** The card's fields, in one string per subject (a fraction of the memory of an object). */
const SEP = '\u0001';
const pack = (r: IndexedSubject): string =>
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
  private cursor: FeedPoint = { txid: 0n, id: 0 };
  private day = '';
  private timer: NodeJS.Timeout | undefined;
  /** Reads of the feed, one after another. */
  private queue: Promise<void> = Promise.resolve();
  private readonly today: () => string;
  private readonly pollMs: number;
  private readonly batch: number;
  private readonly repository: NameIndexRepository;
  /** Whether the subjects of a page changed since what the index applied: asked for many pages at once. */
  private readonly questions = new ChangeQuestions(
    (after, ids) => this.repository.changedAmong(after, ids),
    () => this.cursor,
  );

  constructor(
    db: Kysely<Schema>,
    private readonly options: NameSearchIndexOptions,
  ) {
    this.today = options.today ?? (() => todayInShanghai());
    this.pollMs = options.pollMs ?? 200;
    this.batch = options.batch ?? 10_000;
    this.repository = new NameIndexRepository(db, options);
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
    const target = await this.repository.latest();
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      await this.tick();
      const reached =
        target === undefined ||
        this.cursor.txid > target.txid ||
        (this.cursor.txid === target.txid && this.cursor.id >= target.id);
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
    this.cursor = { txid: (await this.repository.horizon()) - 1n, id: Number.MAX_SAFE_INTEGER };
    this.day = this.today();
    const rows = await this.repository.findable(this.day);
    const index = new NameIndex();
    index.load(rows.map((r) => [Number(r.id), r.name_key] as const));
    this.cards = new Map(rows.map((r) => [Number(r.id), pack(r)]));
    this.index = index;
    this.buildMs = Math.round(performance.now() - started);
  }

  private async follow(): Promise<void> {
    for (;;) {
      const today = this.today();
      if (today !== this.day) {
        await this.newDay(today);
      }
      const changes = await this.repository.changesAfter(this.cursor, this.batch);
      const last = changes.at(-1);
      if (last === undefined) {
        return;
      }
      const subjects = new Set<number>();
      const recorded = new Set<number>();
      for (const c of changes) {
        (c.record_id === null ? subjects : recorded).add(Number(c.subject_id));
      }
      // A record changes whether a provisional subject can be found; a registered one is found anyway.
      await this.reread(
        [...subjects],
        [...recorded].filter((id) => !subjects.has(id)),
      );
      this.cursor = { txid: BigInt(last.txid), id: Number(last.id) };
      if (changes.length < this.batch) {
        return;
      }
    }
  }

  /** Reads these subjects again: the first whatever changed, the second if provisional. */
  private async reread(changed: number[], recorded: number[]): Promise<void> {
    for (let i = 0; i < changed.length; i += CHUNK) {
      this.place(await this.repository.subjects(changed.slice(i, i + CHUNK), this.day, false));
    }
    for (let i = 0; i < recorded.length; i += CHUNK) {
      this.place(await this.repository.subjects(recorded.slice(i, i + CHUNK), this.day, true));
    }
  }

  /**
   * A new day: provisional subjects a record of which stopped being displayed since the last day
   * seen may no longer be found.
   */
  private async newDay(today: string): Promise<void> {
    const since = this.day;
    this.place(await this.repository.displayEnded(since, today));
    // Only now: until the day's re-check is applied, pages are read from SQL.
    this.day = today;
  }

  /** Each subject in the index if the public may find it by name now, out of it if not. */
  private place(rows: readonly IndexedSubject[]): void {
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
