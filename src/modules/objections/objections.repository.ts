/** Objections and their attachments as the database keeps them. */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { StoredAttachment } from '../../platform/index.ts';
import type { ObjectionTable, Schema } from '../../platform/db/index.ts';

export type ObjectionRow = Selectable<ObjectionTable> & { subject_name: string; item_code: string };

export interface ObjectionFilter {
  subjectId?: number;
  department?: string;
  status?: 'open' | 'upheld' | 'rejected';
  /** Open cases past their overdue day (20 calendar days after filing) as of `today`. */
  overdueOn?: string;
  limit: number;
}

export class ObjectionsRepository {
  constructor(private readonly db: Kysely<Schema> | Transaction<Schema>) {}

  private select() {
    return this.db
      .selectFrom('objection as o')
      .innerJoin('subject as s', 's.id', 'o.subject_id')
      .innerJoin('record as r', 'r.id', 'o.record_id')
      .selectAll('o')
      .select(['s.name as subject_name', 'r.item_code']);
  }

  async byId(id: number, forUpdate = false): Promise<ObjectionRow | undefined> {
    const q = this.select().where('o.id', '=', id);
    return (forUpdate ? q.forUpdate('o') : q).executeTakeFirst();
  }

  async list(filter: ObjectionFilter): Promise<ObjectionRow[]> {
    let q = this.select();
    if (filter.subjectId !== undefined) {
      q = q.where('o.subject_id', '=', filter.subjectId);
    }
    if (filter.department !== undefined) {
      q = q.where('o.department_code', '=', filter.department);
    }
    if (filter.status !== undefined) {
      q = q.where('o.status', '=', filter.status);
    }
    if (filter.overdueOn !== undefined) {
      q = q.where('o.status', '=', 'open').where('o.overdue_on', '<', filter.overdueOn);
    }
    // Open cases first, the nearest deadline first; then the decided ones, the newest first.
    return q
      .orderBy(sql`o.status = 'open'`, 'desc')
      .orderBy('o.due_on', 'asc')
      .orderBy('o.id', 'desc')
      .limit(filter.limit)
      .execute();
  }

  async attachments(
    objectionIds: readonly number[],
  ): Promise<Array<StoredAttachment & { objectionId: number }>> {
    if (objectionIds.length === 0) {
      return [];
    }
    const rows = await this.db
      .selectFrom('objection_attachment as oa')
      .innerJoin('attachment as a', 'a.sha256', 'oa.sha256')
      .select(['oa.objection_id', 'oa.sha256', 'oa.file_name', 'a.media_type', 'a.bytes'])
      .where('oa.objection_id', 'in', objectionIds)
      .orderBy('oa.file_name')
      .execute();
    return rows.map((r) => ({
      objectionId: r.objection_id,
      sha256: r.sha256,
      fileName: r.file_name,
      mediaType: r.media_type,
      bytes: r.bytes,
    }));
  }

  async insert(row: {
    recordId: number;
    subjectId: number;
    department: string;
    filedBy: string;
    filedVia: 'account' | 'service_desk';
    receivedAs: 'written' | 'window' | null;
    reasons: string;
    priorStatus: string;
    filedOn: string;
    dueOn: string;
    overdueOn: string;
  }): Promise<number> {
    const made = await this.db
      .insertInto('objection')
      .values({
        record_id: row.recordId,
        subject_id: row.subjectId,
        department_code: row.department,
        filed_by: row.filedBy,
        filed_via: row.filedVia,
        received_as: row.receivedAs,
        reasons: row.reasons,
        prior_status: row.priorStatus,
        filed_on: row.filedOn,
        due_on: row.dueOn,
        overdue_on: row.overdueOn,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return made.id;
  }

  /** The objection's attachments, their rows in `attachment` made already (AttachmentStore.remember). */
  async attach(objectionId: number, files: readonly StoredAttachment[]): Promise<void> {
    if (files.length === 0) {
      return;
    }
    // The same bytes given twice under two names are one attachment: the first name is kept.
    const unique = [...new Map(files.map((f) => [f.sha256, f])).values()];
    await this.db
      .insertInto('objection_attachment')
      .values(unique.map((f) => ({ objection_id: objectionId, sha256: f.sha256, file_name: f.fileName })))
      .execute();
  }

  async decide(
    id: number,
    d: {
      status: 'upheld' | 'rejected';
      outcome: 'corrected' | 'revoked' | 'removed' | 'rejected';
      decision: string;
      decidedBy: string;
      resultRecordId: number | null;
    },
  ): Promise<void> {
    await this.db
      .updateTable('objection')
      .set({
        status: d.status,
        outcome: d.outcome,
        decision: d.decision,
        decided_by: d.decidedBy,
        decided_at: new Date(),
        result_record_id: d.resultRecordId,
      })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .execute();
  }

  /** The current version of the record `recordId` is a version of (itself, when it still is). */
  async currentVersionOf(recordId: number): Promise<number | undefined> {
    const found = await this.db
      .selectFrom('record as old')
      .innerJoin('record as cur', (j) =>
        j
          .onRef('cur.department_code', '=', 'old.department_code')
          .onRef('cur.item_code', '=', 'old.item_code')
          .onRef('cur.identity_key', '=', 'old.identity_key')
          .onRef('cur.subject_id', '=', 'old.subject_id'),
      )
      .select('cur.id')
      .where('old.id', '=', recordId)
      .where('cur.is_current', '=', true)
      .executeTakeFirst();
    return found?.id;
  }

  async tell(
    recipient: { kind: 'subject' | 'department'; id: string },
    topic: string,
    body: unknown,
  ): Promise<void> {
    await this.db
      .insertInto('outbox')
      .values({ recipient_kind: recipient.kind, recipient: recipient.id, topic, body: JSON.stringify(body) })
      .execute();
  }
}
