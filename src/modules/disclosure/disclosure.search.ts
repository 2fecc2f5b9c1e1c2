/**
 * Public search (no sign-in): by code, or by name in Chinese. Names are cut into character
 * bigrams by the database (`xinyong_name_grams`), legal-form words left out, full-width and
 * half-width alike; a name matches when it holds every bigram of the query, and results are
 * ranked by closeness: the same name first, then names that begin with the query, then the
 * shortest. Only subjects the public may see are listed; natural persons are found by code only.
 */
import { sql, type Kysely } from 'kysely';
import { todayInShanghai } from '../../platform/calendar/index.ts';
import { ValidationError, type DataProtector } from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { lookupDivision, maskCitizenId, validate as validateCode } from '../identifiers/index.ts';

export const MAX_QUERY = 100;
export const PAGE_SIZE_MAX = 50;

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
  total: number;
  page: number;
  pageSize: number;
  results: SearchHit[];
}

/** Codes shown in a result, best first: a person's citizen ID is never one of them. */
const SHOWN_CODES = ['uscc', 'reg_no15', 'org_code', 'taxpayer_id15', 'institution_cert12'];

export class SearchService {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly protector: DataProtector,
    private readonly today: () => string = () => todayInShanghai(),
  ) {}

  async search(input: { q?: string; page?: number; pageSize?: number }): Promise<SearchResult> {
    const q = (input.q ?? '').trim();
    if (q === '') {
      throw new ValidationError('q: give a name (two characters or more) or a code', {
        field: 'q',
        rule: 'search.query',
      });
    }
    if ([...q].length > MAX_QUERY) {
      throw new ValidationError(`q: at most ${MAX_QUERY} characters`, {
        field: 'q',
        value: `${[...q].slice(0, 32).join('')}…`,
        rule: 'search.query',
      });
    }
    const page = input.page ?? 1;
    const pageSize = Math.min(input.pageSize ?? 20, PAGE_SIZE_MAX);
    const code = validateCode(q);
    const find = (limit: number, offset: number) =>
      code.valid
        ? this.byCode([code.kind, ...code.alternatives.map((a) => a.kind)], code.normalized, limit, offset)
        : this.byName(q, limit, offset);
    let found = await find(pageSize, (page - 1) * pageSize);
    if (found.hits.length === 0 && page > 1) {
      // Past the end: count what there is, for the message.
      found = { total: (await find(1, 0)).total, hits: [] };
    }
    const pages = Math.max(1, Math.ceil(found.total / pageSize));
    if (page > pages) {
      throw new ValidationError(
        `page: ${page} is beyond the last page (${pages}) of ${found.total} results`,
        {
          field: 'page',
          value: String(page),
          rule: 'search.page',
        },
      );
    }
    // A citizen ID is not repeated back in clear, not even to the one who typed it.
    const personal = code.valid && (code.kind === 'citizen_id' || code.kind === 'citizen_id15');
    return {
      query: personal ? maskCitizenId(code.normalized) : q,
      by: code.valid ? 'code' : 'name',
      total: found.total,
      page,
      pageSize,
      results: found.hits,
    };
  }

  private async byName(
    q: string,
    limit: number,
    offset: number,
  ): Promise<{ total: number; hits: SearchHit[] }> {
    const key = await sql<{ key: string; grams: string[] }>`
      select xinyong_name_key(${q}) as key, xinyong_name_grams(${q}) as grams`.execute(this.db);
    const k = key.rows[0];
    if (k === undefined || k.grams.length === 0) {
      throw new ValidationError(
        'q: a name needs two characters or more besides its legal form (有限公司 and the like are not searched)',
        { field: 'q', value: q, rule: 'search.query' },
      );
    }
    const rows = await sql<SearchRow>`
      select s.id, s.kind, s.name, s.status, s.division, count(*) over () as total, ${bestCode}
      from subject s
      where s.name_grams @> ${k.grams}::text[] and s.kind <> 'natural_person' and ${this.findable()}
      order by (s.name_key = ${k.key}) desc, starts_with(s.name_key, ${k.key}) desc,
        cardinality(s.name_grams), s.id
      limit ${limit} offset ${offset}`.execute(this.db);
    return this.hits(rows.rows);
  }

  private async byCode(
    kinds: string[],
    value: string,
    limit: number,
    offset: number,
  ): Promise<{ total: number; hits: SearchHit[] }> {
    const pairs = kinds.map((kind) => sql`(${kind}, ${this.protector.hash(kind, value)})`);
    const rows = await sql<SearchRow>`
      select s.id, s.kind, s.name, s.status, s.division, count(*) over () as total, ${bestCode}
      from subject s
      where s.id in (select sc.subject_id from subject_code sc where (sc.kind, sc.value_hash) in (${sql.join(pairs)}))
        and ${this.findable()}
      order by s.id
      limit ${limit} offset ${offset}`.execute(this.db);
    return this.hits(rows.rows);
  }

  /**
   * A subject the public may know of: an organisation on the register, or anyone with a current
   * record the public may see today (the credit file decides the details record by record).
   */
  private findable() {
    return sql`(
      (s.kind <> 'natural_person' and s.status <> 'provisional')
      or exists (
        select 1 from record r
        where r.subject_id = s.id and r.is_current and r.display_public and r.status <> 'revoked'
          and coalesce(r.repair_outcome, case when r.status = 'repaired' then 'ended' end, 'marked') = 'marked'
          and (r.longest_until is null or r.longest_until > ${this.today()})))`;
  }

  private hits(rows: SearchRow[]): { total: number; hits: SearchHit[] } {
    return {
      total: rows.length === 0 ? 0 : Number(rows[0]?.total),
      hits: rows.map((r) => ({
        code: r.code,
        codeKind: r.code_kind,
        name: r.name,
        kind: r.kind,
        status: r.status,
        division: r.division === null ? null : { code: r.division, name: lookupDivision(r.division).name },
      })),
    };
  }
}

interface SearchRow {
  id: number;
  kind: string;
  name: string;
  status: string;
  division: string | null;
  total: string | number;
  code: string | null;
  code_kind: string | null;
}

const bestCode = sql`
  (select sc.value from subject_code sc where sc.subject_id = s.id and sc.kind in (${sql.join(SHOWN_CODES)})
    order by array_position(array[${sql.join(SHOWN_CODES)}]::text[], sc.kind) limit 1) as code,
  (select sc.kind from subject_code sc where sc.subject_id = s.id and sc.kind in (${sql.join(SHOWN_CODES)})
    order by array_position(array[${sql.join(SHOWN_CODES)}]::text[], sc.kind) limit 1) as code_kind`;
