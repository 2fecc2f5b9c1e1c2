/** What a credit file is read from: the subject, its codes, names, roles, records and consents. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import type { SubjectCodeTable, SubjectTable } from '../../platform/db/schema.ts';

type Executor = Kysely<Schema> | Transaction<Schema>;

export type SubjectRow = Selectable<SubjectTable>;
export type CodeRow = Selectable<SubjectCodeTable>;

export interface FileRecordRow {
  id: number;
  item_code: string;
  department_code: string;
  department_name: string;
  catalog_version_id: number;
  catalog_version: number;
  identity_key: string;
  version: number;
  payload: Record<string, unknown>;
  decision_date: string | null;
  tier: string | null;
  tier_source: string | null;
  display_from: string | null;
  shortest_until: string | null;
  longest_until: string | null;
  display_public: boolean;
  status: 'active' | 'under_objection' | 'corrected' | 'revoked' | 'repaired';
  status_reason: string | null;
  repair_outcome: string | null;
  batch_id: number | null;
  row_no: number | null;
  received_at: Date;
}

export interface RoleRow {
  record_id: number;
  role: string;
  since: string | null;
  until: string | null;
  /** The other side: the person in the role (for an organisation), or the organisation (for a person). */
  other_subject_id: number | null;
  other_name: string;
  other_kind: string | null;
}

export class DisclosureRepository {
  constructor(private readonly db: Executor) {}

  /** The subject one of these (kind, keyed hash) pairs names, if any. */
  async subjectByCode(
    hashes: ReadonlyArray<{ kind: string; hash: string }>,
  ): Promise<SubjectRow | undefined> {
    if (hashes.length === 0) {
      return undefined;
    }
    return this.db
      .selectFrom('subject_code as sc')
      .innerJoin('subject as s', 's.id', 'sc.subject_id')
      .selectAll('s')
      .where((eb) =>
        eb.or(hashes.map((h) => eb.and([eb('sc.kind', '=', h.kind), eb('sc.value_hash', '=', h.hash)]))),
      )
      .executeTakeFirst();
  }

  async codes(subjectId: number): Promise<CodeRow[]> {
    return this.db
      .selectFrom('subject_code')
      .selectAll()
      .where('subject_id', '=', subjectId)
      .orderBy('id')
      .execute();
  }

  async nameHistory(subjectId: number): Promise<Array<{ name: string; replaced_on: string }>> {
    return this.db
      .selectFrom('subject_name_history')
      .select(['name', 'replaced_on'])
      .where('subject_id', '=', subjectId)
      .orderBy('id')
      .execute();
  }

  /** The subject's current records, newest decision first, with their provenance. */
  async records(subjectId: number): Promise<FileRecordRow[]> {
    const rows = await this.db
      .selectFrom('record as r')
      .innerJoin('department as d', 'd.code', 'r.department_code')
      .innerJoin('catalog_version as cv', 'cv.id', 'r.catalog_version_id')
      .select([
        'r.id',
        'r.item_code',
        'r.department_code',
        'd.name as department_name',
        'r.catalog_version_id',
        'cv.version as catalog_version',
        'r.identity_key',
        'r.version',
        'r.payload',
        'r.decision_date',
        'r.tier',
        'r.tier_source',
        'r.display_from',
        'r.shortest_until',
        'r.longest_until',
        'r.display_public',
        'r.status',
        'r.status_reason',
        'r.repair_outcome',
        'r.batch_id',
        'r.row_no',
        'r.received_at',
      ])
      .where('r.subject_id', '=', subjectId)
      .where('r.is_current', '=', true)
      .orderBy('r.decision_date', (o) => o.desc().nullsLast())
      .orderBy('r.id', 'desc')
      .execute();
    return rows as FileRecordRow[];
  }

  /** Roles in the subject (an organisation's people) and of the subject (a person's organisations). */
  async roles(subjectId: number): Promise<RoleRow[]> {
    const people = await this.db
      .selectFrom('person_role as pr')
      .innerJoin('record as r', 'r.id', 'pr.record_id')
      .select([
        'pr.record_id',
        'pr.role',
        'pr.since',
        'pr.until',
        'pr.person_subject_id as other_subject_id',
        'pr.person_masked as other_name',
      ])
      .where('pr.org_subject_id', '=', subjectId)
      .where('r.is_current', '=', true)
      .orderBy('pr.record_id')
      .execute();
    const organisations = await this.db
      .selectFrom('person_role as pr')
      .innerJoin('record as r', 'r.id', 'pr.record_id')
      .innerJoin('subject as s', 's.id', 'pr.org_subject_id')
      .select([
        'pr.record_id',
        'pr.role',
        'pr.since',
        'pr.until',
        'pr.org_subject_id as other_subject_id',
        's.name as other_name',
        's.kind as other_kind',
      ])
      .where('pr.person_subject_id', '=', subjectId)
      .where('r.is_current', '=', true)
      .orderBy('pr.record_id')
      .execute();
    return [...people.map((p) => ({ ...p, other_kind: 'natural_person' })), ...organisations];
  }

  /** The items a natural person consented to disclose (null: every item). */
  async consents(
    subjectId: number,
  ): Promise<Array<{ id: number; item_code: string | null; given_at: Date }>> {
    return this.db
      .selectFrom('personal_consent')
      .select(['id', 'item_code', 'given_at'])
      .where('subject_id', '=', subjectId)
      .where('withdrawn_at', 'is', null)
      .orderBy('id')
      .execute();
  }

  async giveConsent(subjectId: number, item: string | null, by: string): Promise<number> {
    const row = await this.db
      .insertInto('personal_consent')
      .values({ subject_id: subjectId, item_code: item, given_by: by })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Withdraws a consent of this subject; false when it has no such consent in force. */
  async withdrawConsent(subjectId: number, id: number): Promise<boolean> {
    const done = await this.db
      .updateTable('personal_consent')
      .set({ withdrawn_at: new Date() })
      .where('id', '=', id)
      .where('subject_id', '=', subjectId)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    return Number(done.numUpdatedRows) > 0;
  }
}
