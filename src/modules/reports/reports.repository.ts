/** Reports as issued, and what a report reads beyond the credit file: domains and freshness. */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import type { CreditReportTable } from '../../platform/db/schema.ts';

type Executor = Kysely<Schema> | Transaction<Schema>;
export type ReportRow = Selectable<CreditReportTable>;

export class ReportsRepository {
  constructor(private readonly db: Executor) {}

  /** Every domain a department of the platform serves. */
  async domains(): Promise<string[]> {
    const r = await sql<{ domain: string }>`
      select distinct unnest(domains) as domain from department order by 1`.execute(this.db);
    return r.rows.map((x) => x.domain);
  }

  /** Departments with their domains, names and the last batch each committed. */
  async departments(): Promise<
    Array<{ code: string; name: string; domains: string[]; lastBatchAt: Date | null }>
  > {
    const r = await sql<{
      code: string;
      name: string;
      domains: string[];
      last_batch_at: Date | string | null;
    }>`
      select d.code, d.name, d.domains,
        (select max(b.committed_at) from batch b where b.department_code = d.code and b.status = 'committed')
          as last_batch_at
      from department d order by d.code`.execute(this.db);
    return r.rows.map((x) => ({
      code: x.code,
      name: x.name,
      domains: x.domains,
      lastBatchAt: x.last_batch_at === null ? null : new Date(x.last_batch_at),
    }));
  }

  /**
   * Each record's domain: the domain its batch named, else the first domain of the department that
   * determined it.
   */
  async recordDomains(ids: readonly number[]): Promise<Map<number, string | null>> {
    if (ids.length === 0) {
      return new Map();
    }
    const rows = await this.db
      .selectFrom('record as r')
      .innerJoin('department as d', 'd.code', 'r.department_code')
      .leftJoin('batch as b', 'b.id', 'r.batch_id')
      .select(['r.id', sql<string | null>`coalesce(b.domain, d.domains[1])`.as('domain')])
      .where('r.id', 'in', [...ids])
      .execute();
    return new Map(rows.map((r) => [r.id, r.domain]));
  }

  async insert(row: Omit<ReportRow, 'id' | 'audience'> & { audience: string }): Promise<number> {
    const made = await this.db
      .insertInto('credit_report')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow();
    return made.id;
  }

  byNumber(number: string): Promise<ReportRow | undefined> {
    return this.db.selectFrom('credit_report').selectAll().where('number', '=', number).executeTakeFirst();
  }
}
