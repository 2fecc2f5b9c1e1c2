/**
 * Public search (no sign-in): by code, or by name in Chinese. Names are cut into character
 * bigrams by the database (`xinyong_name_grams`), legal-form words left out, full-width and
 * half-width alike; a name matches when it holds every bigram of the query, and results are
 * ranked by closeness: the fewest bigrams besides the query's first, so the same name comes
 * first. Matches are counted up to 200. Only subjects the public may see are listed; natural
 * persons are found by code only.
 *
 * A name is matched from the server's in-memory index (name-search-index.ts) once it is built,
 * and one primary-key read fetches the page; until then, and as the reference the index is tested
 * against, from SQL (subject_gram and the GIN index on the bigrams), with the same answers.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { todayInShanghai } from '../../platform/calendar/index.ts';
import { msg, ValidationError, type DataProtector } from '../../platform/index.ts';
import { unprepared, type Prepared, type Schema } from '../../platform/db/index.ts';
import { echoed, lookupDivision, validate as validateCode } from '../identifiers/index.ts';
import { shownOn } from '../records/index.ts';
import type { IndexMatches } from './name-index.ts';
import { nameGrams } from './name-key.ts';
import type { SubjectCard } from './subjects.repository.ts';

export const MAX_QUERY = 100;
export const PAGE_SIZE_MAX = 50;
/** Matches are counted up to this many; beyond it a search says there are more. */
export const MAX_COUNTED = 200;
/** A bigram held by this many names or more is read from subject_gram in order, not intersected. */
const DENSE = 500;

export interface SearchHit {
  code: string | null;
  codeKind: string | null;
  name: string;
  kind: string;
  status: string;
  division: { code: string; name: string | null } | null;
}

export interface SearchResult {
  query: string;
  by: 'code' | 'name';
  /** Matches counted up to MAX_COUNTED; `more`: there are more than that. */
  total: number;
  more: boolean;
  page: number;
  pageSize: number;
  results: SearchHit[];
}

/** Where names are matched from memory: undefined while that is not ready. */
export interface NameMatcher {
  match(grams: readonly string[], take: number, count: number): IndexMatches | undefined;
  /** The rows of a matched page from memory, or undefined when they must be read from SQL. */
  page?(ids: readonly number[]): Promise<SearchRow[] | undefined>;
}

/**
 * A subject `s` the public may know of on `today`: an organisation on the register, or anyone with
 * a current record the public may see that day (the credit file decides the details record by record).
 */
export function publiclyFindable(today: string): RawBuilder<unknown> {
  return sql`(
      (s.kind <> 'natural_person' and s.status <> 'provisional')
      or exists (
        select 1 from record r
        where r.subject_id = s.id and r.is_current and r.display_public and ${shownOn(today)}))`;
}

/** Codes shown in a result, best first: a person's citizen ID is never one of them. */
const SHOWN_CODES = ['uscc', 'reg_no15', 'org_code', 'taxpayer_id15', 'institution_cert12'];

export interface SearchOptions {
  today?: () => string;
  /** From how many holders a bigram is read in order rather than intersected (tests lower it). */
  dense?: number;
  /** The in-memory index of names; without it, or while it is built, names are matched in SQL. */
  names?: NameMatcher;
  /** Runs the page read of an index match as a prepared statement (planned once per connection). */
  prepared?: Prepared;
}

export class SearchService {
  private readonly today: () => string;
  private readonly dense: number;
  private readonly names: NameMatcher | undefined;
  private readonly prepared: Prepared;

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly protector: DataProtector,
    options: SearchOptions = {},
  ) {
    this.today = options.today ?? (() => todayInShanghai());
    this.dense = options.dense ?? DENSE;
    this.names = options.names;
    this.prepared = options.prepared ?? unprepared(db);
  }

  async search(input: { q?: string; page?: number; pageSize?: number }): Promise<SearchResult> {
    const q = (input.q ?? '').trim();
    if (q === '') {
      throw new ValidationError(msg('disclosure.search.empty'), {
        field: 'q',
        rule: 'search.query',
      });
    }
    if ([...q].length > MAX_QUERY) {
      throw new ValidationError(msg('disclosure.search.too_long', { max: MAX_QUERY }), {
        field: 'q',
        value: `${[...q].slice(0, 32).join('')}…`,
        rule: 'search.query',
      });
    }
    const page = input.page ?? 1;
    const pageSize = Math.min(input.pageSize ?? 20, PAGE_SIZE_MAX);
    const code = validateCode(q);
    const found = code.valid
      ? await this.byCode(
          [code.kind, ...code.alternatives.map((a) => a.kind)],
          code.normalized,
          pageSize,
          page,
        )
      : await this.byName(q, pageSize, (page - 1) * pageSize);
    const pages = Math.max(1, Math.ceil(found.total / pageSize));
    if (page > pages) {
      throw new ValidationError(
        msg(found.more ? 'disclosure.search.beyond_counted' : 'disclosure.search.beyond', {
          page,
          pages,
          total: found.total,
        }),
        { field: 'page', value: String(page), rule: 'search.page' },
      );
    }
    return {
      query: echoed(q, code),
      by: code.valid ? 'code' : 'name',
      total: found.total,
      more: found.more,
      page,
      pageSize,
      results: found.hits,
    };
  }

  /**
   * Names holding every bigram of the query, fewest bigrams first (the same name first): read in
   * order from subject_gram for the query's rarest bigram, stopping at the page; the total is
   * counted up to MAX_COUNTED.
   */
  private async byName(q: string, limit: number, offset: number): Promise<Found> {
    const grams = nameGrams(q);
    if (grams.length === 0) {
      throw new ValidationError(msg('disclosure.search.name_too_short'), {
        field: 'q',
        value: q,
        rule: 'search.query',
      });
    }
    const matches = this.names?.match(grams, offset + limit, MAX_COUNTED + 1);
    return matches === undefined
      ? this.byNameInSql(q, limit, offset)
      : this.fromIndex(matches, limit, offset);
  }

  /** A page the index matched: its subjects read by id, still only those the public may find now. */
  private async fromIndex(matches: IndexMatches, limit: number, offset: number): Promise<Found> {
    const ids = matches.ids.slice(offset, offset + limit);
    // The same text for every page (the ids are one array parameter): planned once per connection.
    const query = sql<SearchRow>`
      select s.id, s.kind, s.name, s.status, s.division, ${shownCode}
      from subject s
      where s.id = any(${ids}::bigint[]) and s.kind <> 'natural_person' and ${this.findable()}`;
    const rows =
      (await this.names?.page?.(ids)) ??
      (ids.length === 0 ? [] : await this.prepared('xinyong_search_page', query.compile(this.db)));
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    const page = ids.flatMap((id) => byId.get(id) ?? []);
    return {
      total: Math.min(matches.counted, MAX_COUNTED),
      more: matches.counted > MAX_COUNTED,
      hits: this.hits(page),
    };
  }

  /** The same match in SQL: the reference, and the answer while the index is not ready. */
  private async byNameInSql(q: string, limit: number, offset: number): Promise<Found> {
    // The query's key and bigrams, and its two rarest bigrams with how many names hold each
    // (counted up to `dense`), in one round trip.
    const rarest = await sql<{ grams: string[]; gram: string | null; n: string | null }>`
      with q as (select xinyong_name_grams(${q}) as grams)
      select q.grams, r.gram, r.n
      from q left join lateral (
        select g.gram, (select count(*) from (select 1 from subject_gram sg where sg.gram = g.gram limit ${this.dense}) c) as n
        from unnest(q.grams) as g(gram)
        order by 2, 1
        limit 2) r on true`.execute(this.db);
    const grams = rarest.rows[0]?.grams ?? [];
    if (grams.length === 0) {
      throw new ValidationError(msg('disclosure.search.name_too_short'), {
        field: 'q',
        value: q,
        rule: 'search.query',
      });
    }
    const gram = rarest.rows[0]?.gram ?? '';
    let n: number;
    let rows: SearchRow[];
    if (Number(rarest.rows[0]?.n ?? 0) < this.dense) {
      // Few names hold the rarest: the GIN index intersects the two rarest bigrams (the common ones
      // would only make it read long lists), the rest are checked on the rows, and the matches ranked.
      const selective = sql`s.name_grams @> ${rarest.rows.map((r) => r.gram)}::text[]
        and coalesce(s.name_grams, '{}') @> ${grams}::text[] and s.kind <> 'natural_person' and ${this.findable()}`;
      [n, rows] = await Promise.all([
        this.count(sql`select 1 from subject s where ${selective}`),
        this.rows(
          sql`from subject s where ${selective} order by cardinality(s.name_grams), s.id`,
          limit,
          offset,
        ),
      ]);
    } else {
      // Thousands hold even the rarest (a brand): the page is read in order from subject_gram,
      // closest names first, and the reading stops as soon as the page is full.
      // (coalesce keeps the planner from intersecting through the GIN index here: that would rank every match.)
      const walk = sql`from subject_gram sg join subject s on s.id = sg.subject_id
        where sg.gram = ${gram} and coalesce(s.name_grams, '{}') @> ${grams}::text[]
          and s.kind <> 'natural_person' and ${this.findable()}`;
      [n, rows] = await Promise.all([
        this.count(sql`select 1 ${walk} order by sg.grams, sg.subject_id`),
        this.rows(sql`${walk} order by sg.grams, sg.subject_id`, limit, offset),
      ]);
    }
    return { total: Math.min(n, MAX_COUNTED), more: n > MAX_COUNTED, hits: this.hits(rows) };
  }

  /** Matches counted up to one more than MAX_COUNTED. */
  private async count(matches: RawBuilder<unknown>): Promise<number> {
    const r = await sql<{
      n: string;
    }>`select count(*) as n from (${matches} limit ${MAX_COUNTED + 1}) c`.execute(this.db);
    return Number(r.rows[0]?.n ?? 0);
  }

  private async rows(from: RawBuilder<unknown>, limit: number, offset: number): Promise<SearchRow[]> {
    const r = await sql<SearchRow>`
      select s.id, s.kind, s.name, s.status, s.division, ${shownCode}
      ${from}
      limit ${limit} offset ${offset}`.execute(this.db);
    return r.rows;
  }

  private async byCode(kinds: string[], value: string, pageSize: number, page: number): Promise<Found> {
    const hashes = kinds.map((kind) => this.protector.hash(kind, value));
    const rows = (await this.byCodeFromIndex(kinds, hashes)) ?? (await this.byCodeInSql(kinds, hashes));
    const hits = this.hits(rows);
    return { total: hits.length, more: false, hits: hits.slice((page - 1) * pageSize, page * pageSize) };
  }

  /**
   * The subjects bearing a code, shown from the name index's cards: one read of the codes (an
   * index lookup), then the index's check that none of them changed since it applied them.
   * Undefined when the index cannot answer for every one of them (a person, a subject it does
   * not hold, a change not yet applied): SQL answers.
   */
  private async byCodeFromIndex(kinds: string[], hashes: string[]): Promise<SearchRow[] | undefined> {
    if (this.names?.page === undefined) {
      return undefined;
    }
    const query = sql<{ subject_id: number }>`
      select distinct sc.subject_id from subject_code sc
      join unnest(${kinds}::text[], ${hashes}::text[]) as c(kind, value_hash)
        on sc.kind = c.kind and sc.value_hash = c.value_hash
      order by sc.subject_id`.compile(this.db);
    const found = await this.prepared('xinyong_search_code_ids', query);
    return found.length === 0 ? [] : this.names.page(found.map((r) => Number(r.subject_id)));
  }

  private async byCodeInSql(kinds: string[], hashes: string[]): Promise<SearchRow[]> {
    // The kinds and their keyed hashes as two array parameters: one text for every code, so it
    // can be planned once per connection.
    const query = sql<SearchRow>`
      select s.id, s.kind, s.name, s.status, s.division, ${shownCode}
      from subject s
      where s.id in (
          select sc.subject_id
          from subject_code sc
          join unnest(${kinds}::text[], ${hashes}::text[])
            as c(kind, value_hash) on sc.kind = c.kind and sc.value_hash = c.value_hash)
        and ${this.findable()}
      order by s.id`;
    return this.prepared('xinyong_search_code', query.compile(this.db));
  }

  private findable() {
    return publiclyFindable(this.today());
  }

  private hits(rows: SearchRow[]): SearchHit[] {
    return rows.map((r) => ({
      code: r.code,
      codeKind: r.code_kind,
      name: r.name,
      kind: r.kind,
      status: r.status,
      division: r.division === null ? null : { code: r.division, name: lookupDivision(r.division).name },
    }));
  }
}

interface Found {
  total: number;
  more: boolean;
  hits: SearchHit[];
}

/** What a result shows of a subject, as read (from SQL or the name index's cards). */
export type SearchRow = SubjectCard;

/** The columns `code` and `code_kind` of a subject `s`: the code a result shows, best first. */
export const shownCode = sql`
  (select sc.value from subject_code sc where sc.subject_id = s.id and sc.kind in (${sql.join(SHOWN_CODES)})
    order by array_position(array[${sql.join(SHOWN_CODES)}]::text[], sc.kind) limit 1) as code,
  (select sc.kind from subject_code sc where sc.subject_id = s.id and sc.kind in (${sql.join(SHOWN_CODES)})
    order by array_position(array[${sql.join(SHOWN_CODES)}]::text[], sc.kind) limit 1) as code_kind`;
