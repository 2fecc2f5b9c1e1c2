/** Batches, their rows and mappings; the commit that turns accepted rows into records is ingest.commit.ts. */
import {
  sql,
  type Insertable,
  type Kysely,
  type Selectable,
  type Transaction,
  type Updateable,
} from 'kysely';
import type { BulkInsert, Schema } from '../../platform/db/index.ts';
import type { BatchRowTable, BatchTable } from '../../platform/db/schema.ts';
import { BatchCommit, type CommitResult, type CommitScope } from './ingest.commit.ts';
import type { StoredReason } from './ingest.reasons.ts';

type Executor = Kysely<Schema> | Transaction<Schema>;
export type BatchRow = Selectable<BatchTable>;

/** A row as staged: exactly a batch_row. */
export type StagedRow = Insertable<BatchRowTable>;

export class IngestRepository {
  constructor(
    private readonly db: Executor,
    private readonly bulk?: BulkInsert,
  ) {}

  async createBatch(values: {
    department_code: string;
    item_code: string;
    catalog_version_id: number;
    source_name: string;
    source_format: BatchRow['source_format'];
    encoding: string | null;
    sheet: string | null;
    corrects_batch_id: number | null;
    submitted_by: string;
    domain: string | null;
  }): Promise<number> {
    const row = await this.db
      .insertInto('batch')
      .values({ ...values, status: 'staging' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /**
   * The domain a correction inherits: that of the batch it corrects, or of the batch that sent the
   * record an upheld objection corrects (else that record's department's first).
   */
  async inheritedDomain(of: { batch?: number; record?: number }): Promise<string | null | undefined> {
    if (of.record !== undefined) {
      const row = await sql<{ domain: string | null }>`
        select coalesce(b.domain, d.domains[1]) as domain
        from record r join department d on d.code = r.department_code left join batch b on b.id = r.batch_id
        where r.id = ${of.record}`.execute(this.db);
      return row.rows[0]?.domain;
    }
    if (of.batch !== undefined) {
      const row = await this.db
        .selectFrom('batch')
        .select('domain')
        .where('id', '=', of.batch)
        .executeTakeFirst();
      return row?.domain;
    }
    return undefined;
  }

  async updateBatch(id: number, values: Updateable<BatchTable>): Promise<void> {
    await this.db.updateTable('batch').set(values).where('id', '=', id).execute();
  }

  async batch(id: number): Promise<BatchRow | undefined> {
    return this.db.selectFrom('batch').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The current record a batch made (of a one-row batch: its record). */
  async currentRecordOf(batchId: number): Promise<number | undefined> {
    const r = await this.db
      .selectFrom('record')
      .select('id')
      .where('batch_id', '=', batchId)
      .where('is_current', '=', true)
      .executeTakeFirst();
    return r?.id;
  }

  async batches(department?: string, limit = 100): Promise<BatchRow[]> {
    let query = this.db.selectFrom('batch').selectAll().orderBy('id', 'desc').limit(limit);
    if (department !== undefined) {
      query = query.where('department_code', '=', department);
    }
    return query.execute();
  }

  /** For each of `ids`, the batches that correct it (oldest first); a batch none corrects is absent. */
  async correctionsOf(ids: number[]): Promise<Map<number, number[]>> {
    const found = new Map<number, number[]>();
    if (ids.length === 0) {
      return found;
    }
    const rows = await this.db
      .selectFrom('batch')
      .select(['id', 'corrects_batch_id'])
      .where('corrects_batch_id', 'in', ids)
      .orderBy('id')
      .execute();
    for (const r of rows) {
      const of = r.corrects_batch_id as number;
      found.set(of, [...(found.get(of) ?? []), r.id]);
    }
    return found;
  }

  async mappings(department: string, item: string): Promise<Array<{ heading: string; field: string }>> {
    const rows = await this.db
      .selectFrom('column_mapping')
      .select(['heading', 'field_key'])
      .where('department_code', '=', department)
      .where('item_code', '=', item)
      .orderBy('heading')
      .execute();
    return rows.map((r) => ({ heading: r.heading, field: r.field_key }));
  }

  async saveMapping(
    department: string,
    item: string,
    heading: string,
    field: string,
    by: string,
  ): Promise<void> {
    await this.db
      .insertInto('column_mapping')
      .values({ department_code: department, item_code: item, heading, field_key: field, created_by: by })
      .onConflict((oc) =>
        oc
          .columns(['department_code', 'item_code', 'heading'])
          .doUpdateSet({ field_key: field, created_by: by }),
      )
      .execute();
  }

  /** Stages rows, and records how far the batch has come (its heartbeat). */
  async stage(
    rows: StagedRow[],
    batchId: number,
    progress: { rowsRead: number; fraction: number | null },
  ): Promise<void> {
    if (this.bulk !== undefined) {
      await this.bulk('batch_row', rows);
    } else if (rows.length > 0) {
      await this.db.insertInto('batch_row').values(rows).execute();
    }
    await this.db
      .updateTable('batch')
      .set({ rows_read: progress.rowsRead, read_fraction: progress.fraction, progress_at: new Date() })
      .where('id', '=', batchId)
      .execute();
  }

  async problemRows(batchId: number): Promise<
    Array<{
      row_no: number;
      status: string;
      payload: Record<string, unknown>;
      normalized: Record<string, unknown> | null;
      reasons: StoredReason[];
    }>
  > {
    const rows = await this.db
      .selectFrom('batch_row')
      .select(['row_no', 'status', 'payload', 'normalized', 'reasons'])
      .where('batch_id', '=', batchId)
      .where('status', 'in', ['rejected', 'review'])
      .orderBy('row_no')
      .execute();
    return rows as Array<{
      row_no: number;
      status: string;
      payload: Record<string, unknown>;
      normalized: Record<string, unknown> | null;
      reasons: StoredReason[];
    }>;
  }

  /**
   * Fresh statistics after staging: without them the planner takes a batch of a million rows for
   * one row and joins it to the subject codes by scanning them once per row.
   */
  async analyze(): Promise<void> {
    await sql`analyze batch_row, subject_code, record`.execute(this.db);
  }

  /**
   * The batch's counts from its rows: accepted counts the rows that became records; timeliness
   * and completeness are over those records.
   */
  async recount(batchId: number): Promise<void> {
    await sql`
      update batch b set total = c.total, accepted = c.accepted, rejected = c.rejected, duplicates = c.duplicates,
        review = c.review, timed = c.timed, late = c.late, completeness = c.completeness
      from (
        select count(*) as total, (select count(*) from record where batch_id = ${batchId}) as accepted,
          count(*) filter (where status = 'rejected') as rejected, count(*) filter (where status = 'duplicate') as duplicates,
          count(*) filter (where status = 'review') as review,
          count(*) filter (where status = 'accepted' and working_days is not null) as timed,
          count(*) filter (where status = 'accepted' and late) as late,
          avg(completeness) filter (where status = 'accepted') as completeness
        from batch_row where batch_id = ${batchId}
      ) c
      where b.id = ${batchId}`.execute(this.db);
  }

  /** The commit of accepted rows into records (see BatchCommit). */
  commit(scope: CommitScope): Promise<CommitResult> {
    return new BatchCommit(this.db).commit(scope);
  }
}
