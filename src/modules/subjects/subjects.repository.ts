/**
 * What the subject registry reads: a subject by one of its codes; and what the name index reads:
 * subjects with their search key and card, and the change feed.
 */
import { sql, type Kysely, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import { unprepared, type Prepared, type Schema } from '../../platform/db/index.ts';
import type { SubjectTable } from '../../platform/db/schema.ts';
import type { FeedPoint } from './change-questions.ts';

export type SubjectRow = Selectable<SubjectTable>;

export class SubjectRepository {
  constructor(private readonly db: Kysely<Schema> | Transaction<Schema>) {}

  /** The subject one of these (kind, keyed hash) pairs names, if any. */
  async byCode(hashes: ReadonlyArray<{ kind: string; hash: string }>): Promise<SubjectRow | undefined> {
    if (hashes.length === 0) {
      return undefined;
    }
    return this.db
      .selectFrom('subject_code as sc')
      .innerJoin('subject as s', 's.id', 'sc.subject_id')
      .selectAll('s')
      .where((eb) =>
        eb.or(hashes.map((h) => eb.and([eb('sc.kind', '=', h.kind), eb('sc.value_hash', '=', h.hash)]))),
      )
      .executeTakeFirst();
  }
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

/** A subject as the index reads it: its search key, whether it may be found now, its card. */
export type IndexedSubject = SubjectCard & { name_key: string; findable: boolean };

/** A change in the feed: its place, its subject, and its record when a record changed. */
export interface FeedChange {
  txid: string;
  id: number;
  subject_id: number;
  record_id: number | null;
}

export interface NameIndexRules {
  /** Whether a subject `s` may be found today (beyond not being a natural person). */
  findable: (today: string) => RawBuilder<unknown>;
  /** The columns `code` and `code_kind` of subject `s`: the code a result shows. */
  shownCode: RawBuilder<unknown>;
  /** Runs the page's check as a prepared statement; without it, an ordinary query. */
  prepared?: Prepared;
}

export class NameIndexRepository {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly rules: NameIndexRules,
  ) {}

  /** The oldest transaction still running on the server: no change of it or after it is read yet. */
  async horizon(): Promise<bigint> {
    const r = await sql<{ xmin: string }>`
      select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`.execute(this.db);
    return BigInt(r.rows[0]?.xmin ?? '1');
  }

  /** The newest change in the feed, if any. */
  async latest(): Promise<FeedPoint | undefined> {
    const r = await sql<{ txid: string; id: number }>`
      select c.txid::text as txid, c.id from change_log c order by c.txid desc, c.id desc limit 1`.execute(
      this.db,
    );
    const row = r.rows[0];
    return row === undefined ? undefined : { txid: BigInt(row.txid), id: Number(row.id) };
  }

  /** Every subject the public may find by name on `day`. */
  async findable(day: string): Promise<IndexedSubject[]> {
    const r = await sql<IndexedSubject>`
      select ${this.columns()}, true as findable from subject s
      where s.kind <> 'natural_person' and ${this.rules.findable(day)}`.execute(this.db);
    return r.rows;
  }

  /** Changes after `after` of transactions older than every one still running, in feed order. */
  async changesAfter(after: FeedPoint, limit: number): Promise<FeedChange[]> {
    const r = await sql<FeedChange>`
      select c.txid::text as txid, c.id, c.subject_id, c.record_id from change_log c
      where (c.txid, c.id) > (${after.txid.toString()}::xid8, ${after.id}::bigint)
        and c.txid < pg_snapshot_xmin(pg_current_snapshot())
      order by c.txid, c.id
      limit ${limit}`.execute(this.db);
    return r.rows;
  }

  /** These subjects as they are now (only the provisional ones when `provisionalOnly`), on `day`. */
  async subjects(ids: readonly number[], day: string, provisionalOnly: boolean): Promise<IndexedSubject[]> {
    if (ids.length === 0) {
      return [];
    }
    const r = await sql<IndexedSubject>`
      select ${this.columns()}, (s.kind <> 'natural_person' and ${this.rules.findable(day)}) as findable
      from subject s where s.id in (${sql.join(ids)})
        and (${!provisionalOnly}::boolean or s.status = 'provisional')`.execute(this.db);
    return r.rows;
  }

  /** Provisional subjects a record of which stopped being displayed after `since`, up to `today`. */
  async displayEnded(since: string, today: string): Promise<IndexedSubject[]> {
    const r = await sql<IndexedSubject>`
      select ${this.columns()}, ${this.rules.findable(today)} as findable
      from subject s
      where s.kind <> 'natural_person' and s.status = 'provisional'
        and s.id in (select r.subject_id from record r
                     where r.is_current and r.longest_until > ${since} and r.longest_until <= ${today})`.execute(
      this.db,
    );
    return r.rows;
  }

  /** The subjects among `ids` with a change in the feed after `after`: one prepared statement. */
  async changedAmong(after: FeedPoint, ids: readonly number[]): Promise<ReadonlySet<number>> {
    const query = sql<{ subject_id: number }>`
      select distinct c.subject_id from change_log c
      where (c.txid, c.id) > (${after.txid.toString()}::xid8, ${after.id}::bigint)
        and c.subject_id = any(${ids}::bigint[])`.compile(this.db);
    const rows = await (this.rules.prepared ?? unprepared(this.db))('xinyong_search_page_changed', query);
    return new Set(rows.map((r) => Number(r.subject_id)));
  }

  /** What the index reads of a subject `s`: its key and its card. */
  private columns(): RawBuilder<unknown> {
    return sql`s.id, s.name_key, s.kind, s.name, s.status, s.division, ${this.rules.shownCode}`;
  }
}
