/**
 * Data quality per department and month (of receipt): timeliness of licensing and penalty
 * decisions (received within 7 working days of the decision), completeness (the share of optional
 * catalog fields filled), the error rate (rejected rows / rows) and duplicates. Added up from the
 * batches' own counts, so a report costs one pass over batches, not over rows.
 */
import { sql, type Kysely } from 'kysely';
import { msg, ValidationError } from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, type Actor, actorDepartment } from '../auth/index.ts';

export interface QualityRow {
  department: string;
  /** YYYY-MM, Asia/Shanghai, by the day the platform received the rows. */
  month: string;
  batches: number;
  rows: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  review: number;
  /** rejected / rows */
  errorRate: number | null;
  /** Licensing and penalty records, and those received later than 7 working days after the decision. */
  timed: number;
  late: number;
  /** (timed − late) / timed */
  timelinessRate: number | null;
  /** Mean share of the item's optional fields filled, over committed records. */
  completeness: number | null;
}

export interface QualityQuery {
  department?: string;
  /** First month, YYYY-MM. */
  from?: string;
  /** Last month, YYYY-MM. */
  to?: string;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

export class QualityService {
  constructor(private readonly db: Kysely<Schema>) {}

  async report(actor: Actor, query: QualityQuery): Promise<QualityRow[]> {
    const own = actorDepartment(actor);
    const department = query.department ?? own;
    authorize(actor, 'quality.read', department === undefined ? {} : { department });
    for (const [field, value] of [
      ['from', query.from],
      ['to', query.to],
    ] as const) {
      if (value !== undefined && !MONTH.test(value)) {
        throw new ValidationError(msg('ingest.quality.month', { field, value }), {
          field,
          value,
          rule: 'month.format',
        });
      }
    }
    const rows = await sql<Omit<QualityRow, 'errorRate' | 'timelinessRate'>>`
      select b.department_code as department, to_char(b.created_at, 'YYYY-MM') as month,
        count(*)::int as batches, sum(b.total)::int as rows, sum(b.accepted)::int as accepted,
        sum(b.rejected)::int as rejected, sum(b.duplicates)::int as duplicates, sum(b.review)::int as review,
        sum(b.timed)::int as timed, sum(b.late)::int as late,
        (sum(b.completeness * b.accepted) filter (where b.completeness is not null)
          / nullif(sum(b.accepted) filter (where b.completeness is not null), 0))::float8 as completeness
      from batch b
      where b.status = 'committed'
        ${department === undefined ? sql`` : sql`and b.department_code = ${department}`}
        ${query.from === undefined ? sql`` : sql`and b.created_at >= ${`${query.from}-01`}::date`}
        ${query.to === undefined ? sql`` : sql`and b.created_at < (${`${query.to}-01`}::date + interval '1 month')`}
      group by 1, 2
      order by 2 desc, 1`.execute(this.db);
    return rows.rows.map((r) => ({
      ...r,
      errorRate: ratio(r.rejected, r.rows),
      timelinessRate: ratio(r.timed - r.late, r.timed),
      completeness: r.completeness === null ? null : Math.round(r.completeness * 10_000) / 10_000,
    }));
  }
}
