/** Repair applications and their attachments as the database keeps them. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { StoredAttachment } from '../../platform/index.ts';
import type { RepairApplicationTable, Schema } from '../../platform/db/index.ts';

export type RepairRow = Selectable<RepairApplicationTable> & { subject_name: string; item_code: string };

export class RepairsRepository {
  constructor(private readonly db: Kysely<Schema> | Transaction<Schema>) {}

  private select() {
    return this.db
      .selectFrom('repair_application as a')
      .innerJoin('subject as s', 's.id', 'a.subject_id')
      .innerJoin('record as r', 'r.id', 'a.record_id')
      .selectAll('a')
      .select(['s.name as subject_name', 'r.item_code']);
  }

  async byId(id: number, forUpdate = false): Promise<RepairRow | undefined> {
    const q = this.select().where('a.id', '=', id);
    return (forUpdate ? q.forUpdate('a') : q).executeTakeFirst();
  }

  async list(filter: {
    subjectId?: number;
    department?: string;
    status?: RepairRow['status'];
    limit: number;
  }): Promise<RepairRow[]> {
    let q = this.select();
    if (filter.subjectId !== undefined) {
      q = q.where('a.subject_id', '=', filter.subjectId);
    }
    if (filter.department !== undefined) {
      q = q.where('a.department_code', '=', filter.department);
    }
    if (filter.status !== undefined) {
      q = q.where('a.status', '=', filter.status);
    }
    return q
      .orderBy(sql`a.status in ('submitted', 'returned')`, 'desc')
      .orderBy('a.due_on', 'asc')
      .orderBy('a.id', 'desc')
      .limit(filter.limit)
      .execute();
  }

  async insert(
    row: Omit<
      Selectable<RepairApplicationTable>,
      | 'id'
      | 'status'
      | 'returned_once'
      | 'missing'
      | 'outcome'
      | 'decision'
      | 'decided_by'
      | 'decided_at'
      | 'result_record_id'
      | 'created_at'
    >,
  ): Promise<number> {
    const made = await this.db
      .insertInto('repair_application')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow();
    return made.id;
  }

  async attach(applicationId: number, files: readonly StoredAttachment[]): Promise<void> {
    const unique = [...new Map(files.map((f) => [f.sha256, f])).values()];
    if (unique.length === 0) {
      return;
    }
    await this.db
      .insertInto('repair_attachment')
      .values(unique.map((f) => ({ application_id: applicationId, sha256: f.sha256, file_name: f.fileName })))
      .onConflict((oc) => oc.columns(['application_id', 'sha256']).doNothing())
      .execute();
  }

  async attachments(ids: readonly number[]): Promise<Array<StoredAttachment & { applicationId: number }>> {
    if (ids.length === 0) {
      return [];
    }
    const rows = await this.db
      .selectFrom('repair_attachment as ra')
      .innerJoin('attachment as a', 'a.sha256', 'ra.sha256')
      .select(['ra.application_id', 'ra.sha256', 'ra.file_name', 'a.media_type', 'a.bytes'])
      .where('ra.application_id', 'in', ids)
      .orderBy('ra.file_name')
      .execute();
    return rows.map((r) => ({
      applicationId: r.application_id,
      sha256: r.sha256,
      fileName: r.file_name,
      mediaType: r.media_type,
      bytes: r.bytes,
    }));
  }

  async update(
    id: number,
    change: Partial<Omit<Selectable<RepairApplicationTable>, 'id' | 'created_at'>>,
  ): Promise<void> {
    await this.db.updateTable('repair_application').set(change).where('id', '=', id).execute();
  }
}
