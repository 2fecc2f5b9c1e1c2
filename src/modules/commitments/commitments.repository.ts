/** Commitments as the database keeps them, and what signing and breaching read around them. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { CommitmentTable, Schema } from '../../platform/db/index.ts';

export type CommitmentRow = Selectable<CommitmentTable> & { subject_name: string };

export class CommitmentsRepository {
  constructor(private readonly db: Kysely<Schema> | Transaction<Schema>) {}

  private select() {
    return this.db
      .selectFrom('commitment as c')
      .innerJoin('subject as s', 's.id', 'c.subject_id')
      .selectAll('c')
      .select('s.name as subject_name');
  }

  byId(id: number, forUpdate = false): Promise<CommitmentRow | undefined> {
    const q = this.select().where('c.id', '=', id);
    return (forUpdate ? q.forUpdate('c') : q).executeTakeFirst();
  }

  list(filter: { subjectId?: number; department?: string; limit: number }): Promise<CommitmentRow[]> {
    let q = this.select();
    if (filter.subjectId !== undefined) {
      q = q.where('c.subject_id', '=', filter.subjectId);
    }
    if (filter.department !== undefined) {
      q = q.where('c.department_code', '=', filter.department);
    }
    return q
      .orderBy('c.status', 'desc')
      .orderBy('c.fulfil_by')
      .orderBy('c.id', 'desc')
      .limit(filter.limit)
      .execute();
  }

  async insert(row: {
    subject_id: number;
    department_code: string;
    kind: CommitmentRow['kind'];
    matter: string;
    text: string;
    signed_by: string;
    signed_on: string;
    fulfil_by: string;
    record_id: number | null;
  }): Promise<number> {
    return (await this.db.insertInto('commitment').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  async decide(
    id: number,
    d: { status: 'fulfilled' | 'breached'; note: string; decidedBy: string; breachRecordId: number | null },
  ): Promise<void> {
    await this.db
      .updateTable('commitment')
      .set({
        status: d.status,
        outcome_note: d.note,
        decided_by: d.decidedBy,
        decided_at: new Date(),
        breach_record_id: d.breachRecordId,
      })
      .where('id', '=', id)
      .where('status', '=', 'signed')
      .execute();
  }

  /** Every department, by code: those a commitment may be made to. */
  departments(): Promise<Array<{ code: string; name: string }>> {
    return this.db.selectFrom('department').select(['code', 'name']).orderBy('code').execute();
  }

  department(code: string): Promise<{ code: string; name: string; uscc: string | null } | undefined> {
    return this.db
      .selectFrom('department')
      .select(['code', 'name', 'uscc'])
      .where('code', '=', code)
      .executeTakeFirst();
  }

  /** A subject's code in clear as a department's row names it: its unified code, or a person's sealed ID. */
  async code(
    subjectId: number,
  ): Promise<{ kind: string; value: string | null; sealed: string | null } | undefined> {
    return this.db
      .selectFrom('subject_code')
      .select(['kind', 'value', 'value_encrypted as sealed'])
      .where('subject_id', '=', subjectId)
      .where('kind', 'in', ['uscc', 'citizen_id'])
      .orderBy('kind', 'desc')
      .executeTakeFirst();
  }
}
