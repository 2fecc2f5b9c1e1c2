/** Batches, their rows, and the commit that turns accepted rows into records. */
import {
  sql,
  type Insertable,
  type Kysely,
  type Selectable,
  type Transaction,
  type Updateable,
} from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import type { BatchRowTable, BatchTable } from '../../platform/db/schema.ts';

type Executor = Kysely<Schema> | Transaction<Schema>;
export type BatchRow = Selectable<BatchTable>;

/** A row as staged: exactly a batch_row. */
export type StagedRow = Insertable<BatchRowTable>;

export class IngestRepository {
  constructor(private readonly db: Executor) {}

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
  }): Promise<number> {
    const row = await this.db
      .insertInto('batch')
      .values({ ...values, status: 'staging' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async updateBatch(id: number, values: Updateable<BatchTable>): Promise<void> {
    await this.db.updateTable('batch').set(values).where('id', '=', id).execute();
  }

  async batch(id: number): Promise<BatchRow | undefined> {
    return this.db.selectFrom('batch').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async batches(department?: string, limit = 100): Promise<BatchRow[]> {
    let query = this.db.selectFrom('batch').selectAll().orderBy('id', 'desc').limit(limit);
    if (department !== undefined) {
      query = query.where('department_code', '=', department);
    }
    return query.execute();
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

  async stage(rows: StagedRow[]): Promise<void> {
    if (rows.length > 0) {
      await this.db.insertInto('batch_row').values(rows).execute();
    }
  }

  async problemRows(batchId: number): Promise<
    Array<{
      row_no: number;
      status: string;
      payload: Record<string, string>;
      reasons: Array<Record<string, string>>;
    }>
  > {
    const rows = await this.db
      .selectFrom('batch_row')
      .select(['row_no', 'status', 'payload', 'reasons'])
      .where('batch_id', '=', batchId)
      .where('status', 'in', ['rejected', 'review'])
      .orderBy('row_no')
      .execute();
    return rows as Array<{
      row_no: number;
      status: string;
      payload: Record<string, string>;
      reasons: Array<Record<string, string>>;
    }>;
  }

  /**
   * The commit, set-based, inside the caller's transaction: new subjects for codes never seen
   * (provisional), rows identical to a current record become duplicates, changed ones supersede
   * it as a new version, and every accepted row becomes a record. Returns the counts by status
   * and the new records' ids.
   */
  async commit(
    batchId: number,
    department: string,
    item: string,
    catalogVersionId: number,
  ): Promise<{ counts: Record<string, number>; recordIds: number[] }> {
    await sql`
      with new_codes as (
        select distinct on (br.code_kind, br.code_hash)
          br.code_kind, br.code_hash, br.code_value, br.code_encrypted, br.code_masked, br.subject_kind, br.subject_name
        from batch_row br
        where br.batch_id = ${batchId} and br.status = 'accepted'
          and not exists (select 1 from subject_code sc where sc.kind = br.code_kind and sc.value_hash = br.code_hash)
        order by br.code_kind, br.code_hash, br.row_no
      ),
      numbered as materialized (
        select nextval(pg_get_serial_sequence('subject', 'id')) as id, nc.* from new_codes nc
      ),
      subjects as (
        insert into subject (id, kind, name, status) overriding system value
        select id, subject_kind, subject_name, 'provisional' from numbered
      )
      insert into subject_code (subject_id, kind, value_hash, value, value_encrypted, masked)
      select id, code_kind, code_hash, code_value, code_encrypted, code_masked from numbered`.execute(
      this.db,
    );

    await sql`
      update batch_row br set status = 'duplicate'
      from subject_code sc, record r
      where br.batch_id = ${batchId} and br.status = 'accepted'
        and sc.kind = br.code_kind and sc.value_hash = br.code_hash
        and r.subject_id = sc.subject_id and r.department_code = ${department} and r.item_code = ${item}
        and r.identity_key = br.identity_key and r.is_current and r.payload_digest = br.payload_digest`.execute(
      this.db,
    );

    await sql`
      update record r set is_current = false
      from batch_row br, subject_code sc
      where br.batch_id = ${batchId} and br.status = 'accepted'
        and sc.kind = br.code_kind and sc.value_hash = br.code_hash
        and r.subject_id = sc.subject_id and r.department_code = ${department} and r.item_code = ${item}
        and r.identity_key = br.identity_key and r.is_current`.execute(this.db);

    const inserted = await sql<{ id: number }>`
      insert into record (subject_id, department_code, item_code, catalog_version_id, identity_key, version, previous_id,
        is_current, payload, payload_digest, decision_date, tier, tier_source, display_from, shortest_until, longest_until,
        display_public, batch_id, row_no)
      select sc.subject_id, ${department}, ${item}, ${catalogVersionId}, br.identity_key, coalesce(prev.version, 0) + 1, prev.id,
        true, br.normalized, br.payload_digest, br.decision_date, br.tier, br.tier_source, br.decision_date, br.shortest_until,
        br.longest_until, coalesce(br.display_public, false), br.batch_id, br.row_no
      from batch_row br
      join subject_code sc on sc.kind = br.code_kind and sc.value_hash = br.code_hash
      left join lateral (
        select r.id, r.version from record r
        where r.department_code = ${department} and r.item_code = ${item} and r.identity_key = br.identity_key and r.subject_id = sc.subject_id
        order by r.version desc limit 1
      ) prev on true
      where br.batch_id = ${batchId} and br.status = 'accepted'
      order by br.row_no
      returning id`.execute(this.db);

    const counts = await this.db
      .selectFrom('batch_row')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('batch_id', '=', batchId)
      .groupBy('status')
      .execute();
    return {
      counts: Object.fromEntries(counts.map((c) => [c.status, c.n])),
      recordIds: inserted.rows.map((r) => r.id),
    };
  }
}
