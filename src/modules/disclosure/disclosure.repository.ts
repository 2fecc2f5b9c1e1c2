/** What a credit file is read from: the subject, its codes, names, roles, records and consents. */
import { sql, type Kysely, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import type { Prepared, Schema } from '../../platform/db/index.ts';
import type { SubjectCodeTable } from '../../platform/db/schema.ts';
import type { RecordStatus } from '../records/index.ts';
import type { SubjectRow } from '../subjects/index.ts';

type Executor = Kysely<Schema> | Transaction<Schema>;

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
  status: RecordStatus;
  status_reason: string | null;
  repair_outcome: string | null;
  batch_id: number | null;
  row_no: number | null;
  received_at: Date;
  /** The province a federated record came from; null for this node's own. */
  origin: string | null;
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

export interface FileData {
  codes: CodeRow[];
  names: Array<{ name: string; replaced_on: string }>;
  records: FileRecordRow[];
  roles: RoleRow[];
  consents: Array<{ id: number; item_code: string | null; given_at: Date }>;
}

type RawFileData = Omit<FileData, 'records' | 'consents'> & {
  records: Array<Omit<FileRecordRow, 'received_at'> & { received_at: string }>;
  consents: Array<{ id: number; item_code: string | null; given_at: string }>;
};

export class DisclosureRepository {
  constructor(private readonly db: Executor) {}

  /**
   * Everything a credit file is made of, in one round trip: codes, former names, current records
   * with their provenance, roles both ways, and (for a person) consents in force.
   */
  async fileData(subject: Pick<SubjectRow, 'id' | 'kind'>): Promise<FileData> {
    const person = subject.kind === 'natural_person';
    const r = await sql<{
      data: RawFileData;
    }>`select ${fileJson(sql`${subject.id}`, sql`${person}`)} as data`.execute(this.db);
    return parseFileData(r.rows[0]?.data as RawFileData);
  }

  /**
   * The subject a code names and its file, in one round trip: the public's hot path, run as a
   * prepared statement so that each connection plans it once (planning cost more than running).
   */
  async fileByCode(
    hashes: ReadonlyArray<{ kind: string; hash: string }>,
    prepared: Prepared,
  ): Promise<{ subject: SubjectRow; data: FileData } | undefined> {
    const pairs = hashes.map((h) => sql`(${h.kind}, ${h.hash})`);
    const query = sql<{
      subject:
        (Omit<SubjectRow, 'created_at' | 'updated_at'> & { created_at: string; updated_at: string }) | null;
      data: RawFileData;
    }>`
      with found as (
        select s.id, s.kind, s.name, s.division, s.status, s.created_at, s.name_encrypted, s.updated_at
        from subject_code sc join subject s on s.id = sc.subject_id
        where (sc.kind, sc.value_hash) in (${sql.join(pairs)})
        limit 1)
      select (select to_json(f) from found f) as subject,
        ${fileJson(sql`(select id from found)`, sql`coalesce((select kind from found) = 'natural_person', false)`)} as data`.compile(
      this.db,
    );
    const [row] = await prepared(`xinyong_file_by_code_${hashes.length}`, query);
    if (row?.subject === null || row?.subject === undefined) {
      return undefined;
    }
    return {
      subject: {
        ...row.subject,
        created_at: new Date(row.subject.created_at),
        updated_at: new Date(row.subject.updated_at),
      },
      data: parseFileData(row.data),
    };
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

function parseFileData(data: RawFileData): FileData {
  return {
    codes: data.codes,
    names: data.names,
    records: data.records.map((x) => ({ ...x, received_at: new Date(x.received_at) })),
    roles: data.roles,
    consents: data.consents.map((c) => ({ ...c, given_at: new Date(c.given_at) })),
  };
}

/** The file of the subject `id` names, as one JSON value. */
function fileJson(id: RawBuilder<unknown>, person: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`json_build_object(
        'codes', (select coalesce(json_agg(c order by c.id), '[]') from subject_code c where c.subject_id = ${id}),
        'names', (select coalesce(json_agg(json_build_object('name', h.name, 'replaced_on', h.replaced_on) order by h.id), '[]')
          from subject_name_history h where h.subject_id = ${id}),
        'records', (select coalesce(json_agg(x order by x.decision_date desc nulls last, x.id desc), '[]') from (
          select r.id, r.item_code, r.department_code, d.name as department_name, r.catalog_version_id,
            cv.version as catalog_version, r.identity_key, r.version, r.payload, r.decision_date, r.tier, r.tier_source,
            r.display_from, r.shortest_until, r.longest_until, r.display_public, r.status, r.status_reason,
            r.repair_outcome, r.batch_id, r.row_no, r.received_at, r.origin
          from record r
          join department d on d.code = r.department_code
          join catalog_version cv on cv.id = r.catalog_version_id
          where r.subject_id = ${id} and r.is_current) x),
        'roles', (select coalesce(json_agg(x order by x.record_id), '[]') from (
          select pr.record_id, pr.role, pr.since, pr.until, pr.person_subject_id as other_subject_id,
            pr.person_masked as other_name, 'natural_person' as other_kind
          from person_role pr join record r on r.id = pr.record_id
          where pr.org_subject_id = ${id} and r.is_current
          union all
          select pr.record_id, pr.role, pr.since, pr.until, pr.org_subject_id, s.name, s.kind
          from person_role pr join record r on r.id = pr.record_id join subject s on s.id = pr.org_subject_id
          where pr.person_subject_id = ${id} and r.is_current) x),
        'consents', case when ${person} then (select coalesce(json_agg(json_build_object('id', p.id, 'item_code', p.item_code,
          'given_at', p.given_at) order by p.id), '[]') from personal_consent p
          where p.subject_id = ${id} and p.withdrawn_at is null) else '[]' end
    )`;
}
