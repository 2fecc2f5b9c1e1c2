/** What a credit check reads and writes: a subject's list entries and record facts, checks, feedback. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import type { Entry } from './measures.select.ts';

type Executor = Kysely<Schema> | Transaction<Schema>;

/** Items whose records are list entries a check reports (the watch list is never a basis). */
export const LIST_ITEMS = [
  'serious_dishonesty_list',
  'red_list',
  'dishonest_judgment_debtor',
  'abnormal_operation',
];

export interface MeasureStat {
  measure: string;
  department: string;
  listType: string;
  returned: number;
  suspended: number;
  applied: number;
  notApplied: number;
  noFeedback: number;
}

export interface SubjectFacts {
  /** Its own entries in force, and (for a person) those of the organisations it holds a role in. */
  entries: Entry[];
  /** General or serious dishonesty records decided or shown since `since`; repaired and revoked ones not counted. */
  adverse: number;
  /** The registration's decision date (date of establishment), if the platform holds it. */
  registeredOn: string | null;
  records: Array<{
    id: number;
    item: string;
    tier: string | null;
    decisionDate: string | null;
    status: string;
    documentNumber: string;
    /** The department that sent it. */
    department: string;
    /** The day its display period ends (null: no end date; a list entry ends when removed). */
    displayUntil: string | null;
  }>;
  /** The code shown for the subject (a citizen ID only masked). */
  code: string;
}

interface RawEntry {
  id: number;
  item: string;
  decision_date: string | null;
  identity_key: string;
  department_code: string;
  status: string;
  longest_until: string | null;
  list_type: string;
  list_name: string;
  kind: string;
  via_role: string | null;
  via_org: number | null;
  via_name: string | null;
}

export class CheckRepository {
  constructor(private readonly db: Executor) {}

  /**
   * Everything a check needs to know of a subject, in one round trip. (Not a prepared statement:
   * a generic plan would scan person_role for the people it reaches through their roles.)
   */
  async facts(
    subjectId: number,
    options: { person: boolean; today: string; since: string },
  ): Promise<SubjectFacts> {
    const query = await sql<{
      entries: RawEntry[];
      adverse: number;
      registered: string | null;
      records: SubjectFacts['records'];
      code: string | null;
    }>`
      with targets as (
        select ${subjectId}::bigint as subject_id, null::text as role, null::bigint as org, null::text as org_name
        union
        select pr.org_subject_id, pr.role, pr.org_subject_id, s.name
        from person_role pr
        join record rr on rr.id = pr.record_id and rr.is_current and rr.status <> 'revoked'
        join subject s on s.id = pr.org_subject_id
        where ${options.person}::boolean and pr.person_subject_id = ${subjectId}::bigint
          and (pr.until is null or pr.until >= ${options.today}::date)
      ),
      entries as (
        select r.id, r.item_code as item, r.decision_date, r.identity_key, r.department_code, r.status, r.longest_until,
          lt.code as list_type, lt.name_zh as list_name, lt.kind, t.role as via_role, t.org as via_org, t.org_name as via_name
        from targets t
        join record r on r.subject_id = t.subject_id
        left join list_case lc on lc.record_id = r.id
        join lateral (
          select x.code, x.name_zh, x.kind from list_type x
          where x.code = lc.list_type
            -- without a case, only a list that arrives by ingest (a court's, a regulator's register)
            or (lc.list_type is null and x.item_code = r.item_code and x.kind in ('dishonest_debtor', 'abnormal_operation'))
          order by x.code limit 1) lt on true
        where r.is_current and r.item_code = any(${LIST_ITEMS}::text[])
          and r.status not in ('revoked', 'repaired') and r.repair_outcome is null
          and (r.longest_until is null or r.longest_until > ${options.today}::date)
      )
      select
        (select coalesce(json_agg(e order by e.via_org nulls first, e.decision_date desc nulls last, e.id), '[]') from entries e) as entries,
        (select count(*) from record r where r.subject_id = ${subjectId}::bigint and r.is_current
          and r.tier in ('general', 'serious') and r.status not in ('revoked', 'repaired')
          and r.repair_outcome is null
          -- decided in the window, or still shown during it
          and (r.decision_date > ${options.since}::date or r.longest_until is null or r.longest_until > ${options.since}::date)) as adverse,
        (select min(r.decision_date) from record r where r.subject_id = ${subjectId}::bigint
          and r.item_code = 'registration' and r.is_current) as registered,
        (select coalesce(json_agg(json_build_object('id', r.id, 'item', r.item_code, 'tier', r.tier,
            'decisionDate', r.decision_date, 'status', r.status, 'documentNumber', r.identity_key,
            'department', r.department_code, 'displayUntil', r.longest_until)
            order by r.decision_date desc nulls last, r.id), '[]')
          from record r where r.subject_id = ${subjectId}::bigint and r.is_current and r.tier is not null
            and r.status <> 'revoked' and r.repair_outcome is null
            and (r.longest_until is null or r.longest_until > ${options.today}::date)) as records,
        (select coalesce(c.value, c.masked) from subject_code c where c.subject_id = ${subjectId}::bigint
          order by c.id limit 1) as code`.execute(this.db);
    const row = query.rows[0];
    return {
      entries: (row?.entries ?? []).map((e) => ({
        recordId: e.id,
        item: e.item,
        listType: { code: e.list_type, name: e.list_name, kind: e.kind },
        decisionDate: e.decision_date,
        documentNumber: e.identity_key,
        department: e.department_code,
        status: e.status,
        validUntil: e.longest_until,
        ...(e.via_role === null || e.via_org === null
          ? {}
          : { via: { role: e.via_role, organisation: { id: e.via_org, name: e.via_name ?? '' } } }),
      })),
      adverse: row?.adverse ?? 0,
      registeredOn: row?.registered ?? null,
      records: row?.records ?? [],
      code: row?.code ?? '',
    };
  }

  /** The persons in roles of an organisation today. */
  async persons(orgId: number, today: string): Promise<Array<{ id: number; role: string; masked: string }>> {
    const r = await sql<{ id: number; role: string; masked: string }>`
      select distinct pr.person_subject_id as id, pr.role, pr.person_masked as masked
      from person_role pr join record r on r.id = pr.record_id and r.is_current and r.status <> 'revoked'
      where pr.org_subject_id = ${orgId} and pr.person_subject_id is not null
        and (pr.until is null or pr.until >= ${today}::date)`.execute(this.db);
    return r.rows;
  }

  /** Per measure, department and list: returned, suspended, applied, not applied, no feedback yet. */
  async stats(query: {
    department?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
  }): Promise<MeasureStat[]> {
    const r = await sql<{
      measure: string;
      department: string;
      list_type: string;
      returned: number;
      suspended: number;
      applied: number;
      not_applied: number;
      no_feedback: number;
    }>`
      select cm.measure_code as measure, c.department_code as department, cm.list_type,
        count(*) as returned,
        count(*) filter (where cm.status = 'suspended') as suspended,
        count(*) filter (where cm.applied) as applied,
        count(*) filter (where cm.applied = false) as not_applied,
        count(*) filter (where cm.applied is null) as no_feedback
      from check_measure cm join credit_check c on c.id = cm.check_id
      where (${query.department ?? null}::text is null or c.department_code = ${query.department ?? null})
        and (${query.from ?? null}::date is null or c.on_day >= ${query.from ?? null}::date)
        and (${query.to ?? null}::date is null or c.on_day <= ${query.to ?? null}::date)
      group by cm.measure_code, c.department_code, cm.list_type
      order by cm.measure_code, c.department_code, cm.list_type`.execute(this.db);
    return r.rows.map((x) => ({
      measure: x.measure,
      department: x.department,
      listType: x.list_type,
      returned: x.returned,
      suspended: x.suspended,
      applied: x.applied,
      notApplied: x.not_applied,
      noFeedback: x.no_feedback,
    }));
  }
}
