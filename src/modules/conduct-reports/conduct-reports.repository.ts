/** Reports as the database keeps them, and the department competent for one. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { ConductReportTable, Schema } from '../../platform/db/index.ts';

/** A report with the name of the department handling it (a reporter reads a name, not a code). */
export type ConductReportRow = Selectable<ConductReportTable> & { department_name: string | null };

export class ConductReportsRepository {
  constructor(private readonly db: Kysely<Schema> | Transaction<Schema>) {}

  private reports() {
    return this.db
      .selectFrom('conduct_report')
      .selectAll('conduct_report')
      .select((eb) =>
        eb
          .selectFrom('department')
          .select('department.name')
          .whereRef('department.code', '=', 'conduct_report.department_code')
          .as('department_name'),
      );
  }

  byId(id: number): Promise<ConductReportRow | undefined> {
    return this.reports().where('id', '=', id).executeTakeFirst();
  }

  byReceipt(hash: string): Promise<ConductReportRow | undefined> {
    return this.reports().where('receipt_hash', '=', hash).executeTakeFirst();
  }

  list(department: string | undefined): Promise<ConductReportRow[]> {
    let q = this.reports();
    if (department !== undefined) {
      q = q.where('department_code', '=', department);
    }
    return q
      .orderBy(sql`status = 'answered'`)
      .orderBy('answer_by')
      .orderBy('id', 'desc')
      .limit(500)
      .execute();
  }

  /**
   * The department whose domains include `domain`: the highest level first (a provincial one before a
   * county's), then by code. Never by what the platform holds about the subject: the answer to an
   * anonymous reporter must not tell whether it holds the subject.
   */
  async competent(domain: string): Promise<string | undefined> {
    const found = await sql<{ code: string }>`
      select d.code from department d
      where ${domain} = any(d.domains)
      order by array_position(array['national', 'provincial', 'prefectural', 'county', 'township'], d.level), d.code
      limit 1`.execute(this.db);
    return found.rows[0]?.code;
  }

  async insert(
    row: Omit<
      Selectable<ConductReportTable>,
      'id' | 'status' | 'acknowledged_at' | 'answer' | 'answered_on' | 'created_at'
    >,
  ): Promise<number> {
    return (await this.db.insertInto('conduct_report').values(row).returning('id').executeTakeFirstOrThrow())
      .id;
  }

  /** The report moved on from `from`; false when another step took it first. */
  async update(
    id: number,
    from: ConductReportRow['status'],
    change: {
      status: 'acknowledged' | 'answered';
      acknowledged_at?: Date;
      answer?: string;
      answered_on?: string;
    },
  ): Promise<boolean> {
    const done = await this.db
      .updateTable('conduct_report')
      .set(change)
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(done.numUpdatedRows) === 1;
  }

  /** Reports answered before `day` forget who filed them; how many did. */
  async forgetReporters(day: string): Promise<number> {
    const done = await this.db
      .updateTable('conduct_report')
      .set({ reporter_sealed: null })
      .where('reporter_sealed', 'is not', null)
      .where('answered_on', '<', day)
      .executeTakeFirst();
    return Number(done.numUpdatedRows);
  }
}
