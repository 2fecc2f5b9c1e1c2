/**
 * The dashboards' counts, read straight from the tables: records in force by catalog category and
 * by the subject's administrative division, and the cases still open (objections, repair
 * applications, conduct reports, designation cases) with the day each began and its deadline.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';

export interface CategoryRow {
  category: string;
  records: number;
  /** Of them, shown to the public (the catalog discloses the item and the record is public). */
  public: number;
}

export interface DivisionRow {
  division: string | null;
  records: number;
}

export type CaseKind = 'objection' | 'repair' | 'conduct_report' | 'designation';

/** One open case: the day it began, and whether its deadline has passed (null: it has none). */
export interface OpenCaseRow {
  kind: CaseKind;
  department: string;
  since: string;
  overdue: boolean | null;
}

/** A record in force: its current version, neither revoked nor corrected away. */
const IN_FORCE = sql`r.is_current and r.status in ('active', 'under_objection', 'repaired')`;

export class StatsRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async recordsByCategory(): Promise<CategoryRow[]> {
    const { rows } = await sql<{ category: string; records: string; public: string }>`
      select i.category,
        count(*) as records,
        count(*) filter (where r.display_public and i.definition ->> 'disclosure' = 'public') as public
      from record r
      join catalog_item i on i.code = r.item_code
      where ${IN_FORCE}
      group by i.category
      order by count(*) desc, i.category`.execute(this.db);
    return rows.map((r) => ({ category: r.category, records: Number(r.records), public: Number(r.public) }));
  }

  async recordsByDivision(): Promise<DivisionRow[]> {
    const { rows } = await sql<{ division: string | null; records: string }>`
      select s.division, count(*) as records
      from record r
      join subject s on s.id = r.subject_id
      where ${IN_FORCE}
      group by s.division
      order by count(*) desc, s.division nulls last`.execute(this.db);
    return rows.map((r) => ({ division: r.division, records: Number(r.records) }));
  }

  /** Every open case, as of `today` (a civil date, Asia/Shanghai). */
  async openCases(today: string): Promise<OpenCaseRow[]> {
    const { rows } = await sql<{
      kind: CaseKind;
      department: string;
      since: string;
      overdue: boolean | null;
    }>`
      select 'objection' as kind, department_code as department, filed_on::text as since,
        (due_on < ${today}::date) as overdue
      from objection where status = 'open'
      union all
      select 'repair', department_code, submitted_on::text,
        (status = 'submitted' and due_on < ${today}::date)
      from repair_application where status in ('submitted', 'returned')
      union all
      select 'conduct_report', department_code, received_on::text,
        ((status = 'received' and acknowledge_by < ${today}::date) or answer_by < ${today}::date)
      from conduct_report where status in ('received', 'acknowledged')
      union all
      select 'designation', department_code, ((created_at at time zone 'Asia/Shanghai')::date)::text, null
      from list_case where status in ('proposed', 'notified', 'objected', 'answered', 'announced')`.execute(
      this.db,
    );
    return rows;
  }
}
