/** Reports as the database keeps them, and the department competent for one. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { ReportTable, Schema } from '../../platform/db/index.ts';

export type ReportRow = Selectable<ReportTable>;

export class ReportsRepository {
  constructor(private readonly db: Kysely<Schema> | Transaction<Schema>) {}

  byId(id: number): Promise<ReportRow | undefined> {
    return this.db.selectFrom('report').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byReceipt(hash: string): Promise<ReportRow | undefined> {
    return this.db.selectFrom('report').selectAll().where('receipt_hash', '=', hash).executeTakeFirst();
  }

  list(department: string | undefined): Promise<ReportRow[]> {
    let q = this.db.selectFrom('report').selectAll();
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
   * The department whose domains include `domain`: one of the subject's division first, then the
   * higher level (a provincial department before a county's), then by code.
   */
  async competent(domain: string, subjectId: number | null): Promise<string | undefined> {
    const found = await sql<{ code: string }>`
      select d.code from department d
      left join subject s on s.id = ${subjectId}
      where ${domain} = any(d.domains)
      order by (d.division = s.division) desc nulls last,
        array_position(array['national', 'provincial', 'prefectural', 'county', 'township'], d.level),
        d.code
      limit 1`.execute(this.db);
    return found.rows[0]?.code;
  }

  async insert(
    row: Omit<ReportRow, 'id' | 'status' | 'acknowledged_at' | 'answer' | 'answered_on' | 'created_at'>,
  ): Promise<number> {
    return (await this.db.insertInto('report').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  async update(
    id: number,
    change: {
      status: 'acknowledged' | 'answered';
      acknowledged_at?: Date;
      answer?: string;
      answered_on?: string;
    },
  ): Promise<void> {
    await this.db.updateTable('report').set(change).where('id', '=', id).execute();
  }

  /** Reports answered before `day` forget who filed them; how many did. */
  async forgetReporters(day: string): Promise<number> {
    const done = await this.db
      .updateTable('report')
      .set({ reporter_sealed: null })
      .where('reporter_sealed', 'is not', null)
      .where('answered_on', '<', day)
      .executeTakeFirst();
    return Number(done.numUpdatedRows);
  }
}
