/** What a credit check reads and writes: a subject's list entries and record facts, checks, feedback. */
import { sql, type Insertable, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { AuditInboxRow } from '../../platform/index.ts';
import type { Prepared, Schema } from '../../platform/db/index.ts';
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

/** The subject a check is about, as its statement reads it. */
export interface CheckedSubject {
  id: number;
  kind: string;
  name: string;
}

interface FactsRow {
  id: number;
  kind: string;
  name: string;
  entries: RawEntry[];
  adverse: number;
  registered: string | null;
  records: SubjectFacts['records'];
  code: string | null;
}

/**
 * The facts of the one subject `target` selects (columns id, kind, name, person): its list entries
 * in force (a person's also through its roles when `person`), its adverse records since `since`,
 * its registration date, its records shown today and the code shown for it.
 */
function factsQuery(target: RawBuilder<unknown>, options: { today: string; since: string }) {
  // The subject's current records are read once (recs) and each answer is taken from them; a
  // person's organisations' records only for their list entries.
  return sql<FactsRow>`
      with target as (${target}),
      recs as materialized (
        select r.id, r.item_code, r.tier, r.decision_date, r.identity_key, r.department_code, r.status,
          r.longest_until, r.repair_outcome
        from target t join record r on r.subject_id = t.id and r.is_current
      ),
      via as (
        select pr.org_subject_id as subject_id, pr.role, s.name as org_name
        from target t
        join person_role pr on pr.person_subject_id = t.id
        join record rr on rr.id = pr.record_id and rr.is_current and rr.status <> 'revoked'
        join subject s on s.id = pr.org_subject_id
        where t.person and (pr.until is null or pr.until >= ${options.today}::date)
        group by pr.org_subject_id, pr.role, s.name
      ),
      listed as (
        select r.id, r.item_code, r.decision_date, r.identity_key, r.department_code, r.status, r.longest_until,
          r.repair_outcome, null::text as role, null::bigint as org, null::text as org_name
        from recs r where r.item_code = any(${LIST_ITEMS}::text[])
        union all
        select r.id, r.item_code, r.decision_date, r.identity_key, r.department_code, r.status, r.longest_until,
          r.repair_outcome, v.role, v.subject_id, v.org_name
        from via v join record r on r.subject_id = v.subject_id and r.is_current
        where r.item_code = any(${LIST_ITEMS}::text[])
      ),
      entries as (
        select r.id, r.item_code as item, r.decision_date, r.identity_key, r.department_code, r.status, r.longest_until,
          lt.code as list_type, lt.name_zh as list_name, lt.kind, r.role as via_role, r.org as via_org, r.org_name as via_name
        from listed r
        left join list_case lc on lc.record_id = r.id
        join lateral (
          select x.code, x.name_zh, x.kind from list_type x
          where x.code = lc.list_type
            -- without a case, only a list that arrives by ingest (a court's, a regulator's register)
            or (lc.list_type is null and x.item_code = r.item_code and x.kind in ('dishonest_debtor', 'abnormal_operation'))
          order by x.code limit 1) lt on true
        where r.status not in ('revoked', 'repaired') and r.repair_outcome is null
          and (r.longest_until is null or r.longest_until > ${options.today}::date)
      )
      select t.id, t.kind, t.name,
        (select coalesce(json_agg(e order by e.via_org nulls first, e.decision_date desc nulls last, e.id), '[]') from entries e) as entries,
        (select count(*) from recs r
          where r.tier in ('general', 'serious') and r.status not in ('revoked', 'repaired')
          and r.repair_outcome is null
          -- decided in the window, or still shown during it
          and (r.decision_date > ${options.since}::date or r.longest_until is null or r.longest_until > ${options.since}::date)) as adverse,
        (select min(r.decision_date) from recs r where r.item_code = 'registration') as registered,
        (select coalesce(json_agg(json_build_object('id', r.id, 'item', r.item_code, 'tier', r.tier,
            'decisionDate', r.decision_date, 'status', r.status, 'documentNumber', r.identity_key,
            'department', r.department_code, 'displayUntil', r.longest_until)
            order by r.decision_date desc nulls last, r.id), '[]')
          from recs r where r.tier is not null and r.status <> 'revoked' and r.repair_outcome is null
            and (r.longest_until is null or r.longest_until > ${options.today}::date)) as records,
        (select coalesce(c.value, c.masked) from subject_code c where c.subject_id = t.id
          order by c.id limit 1) as code
      from target t`;
}

function emptyFacts(): SubjectFacts {
  return { entries: [], adverse: 0, registeredOn: null, records: [], code: '' };
}

function toFacts(row: FactsRow): { subject: CheckedSubject; facts: SubjectFacts } {
  return {
    subject: { id: Number(row.id), kind: row.kind, name: row.name },
    facts: {
      entries: row.entries.map((e) => ({
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
      adverse: Number(row.adverse),
      registeredOn: row.registered,
      records: row.records,
      code: row.code ?? '',
    },
  };
}

export class CheckRepository {
  constructor(private readonly db: Executor) {}

  /**
   * The subject a code names and everything a check needs to know of it, in one round trip: a
   * prepared statement (planned once per connection). Undefined when no subject bears the code.
   */
  async factsByCode(
    hashes: ReadonlyArray<{ kind: string; hash: string }>,
    options: { today: string; since: string },
    prepared: Prepared,
  ): Promise<{ subject: CheckedSubject; facts: SubjectFacts } | undefined> {
    const target = sql`
      select s.id, s.kind, s.name, s.kind = 'natural_person' as person
      from subject_code sc join subject s on s.id = sc.subject_id
      where (sc.kind, sc.value_hash) in (
        select * from unnest(${hashes.map((h) => h.kind)}::text[], ${hashes.map((h) => h.hash)}::text[]))
      limit 1`;
    const [row] = await prepared('xinyong_check_facts_by_code', factsQuery(target, options).compile(this.db));
    return row === undefined ? undefined : toFacts(row);
  }

  /**
   * Everything a check needs to know of a subject it has found: its entries (for a person, with
   * those of the organisations it holds a role in when `person`), records and clean-record facts.
   */
  async facts(
    subjectId: number,
    options: { person: boolean; today: string; since: string },
  ): Promise<SubjectFacts> {
    const target = sql`
      select s.id, s.kind, s.name, ${options.person}::boolean as person from subject s where s.id = ${subjectId}::bigint`;
    const { rows } = await factsQuery(target, options).execute(this.db);
    const [row] = rows;
    return row === undefined ? emptyFacts() : toFacts(row).facts;
  }

  /**
   * Writes a check, the measures it returned and its audit event in one statement (atomic as any
   * statement is: all three or none). The event names the check, whose id only the statement knows.
   */
  async writeCheck(
    check: Omit<Insertable<Schema['credit_check']>, 'created_at'>,
    measures: ReadonlyArray<{ measure_code: string; list_type: string; status: 'applicable' | 'suspended' }>,
    event: AuditInboxRow,
    prepared: Prepared,
  ): Promise<number> {
    const query = sql<{ id: number }>`
      with c as (
        insert into credit_check (department_code, actor, subject_id, matter, purpose, on_day)
        values (${check.department_code}, ${check.actor}, ${check.subject_id}::bigint, ${check.matter},
          ${check.purpose}, ${check.on_day}::date)
        returning id
      ), m as (
        insert into check_measure (check_id, measure_code, list_type, status)
        select c.id, x.measure_code, x.list_type, x.status
        from c, unnest(${measures.map((m) => m.measure_code)}::text[], ${measures.map((m) => m.list_type)}::text[],
          ${measures.map((m) => m.status)}::text[]) as x (measure_code, list_type, status)
      ), e as (
        insert into audit_inbox (occurred_at, actor, actor_role, actor_department, action, target_kind, target_id, details)
        select ${event.occurred_at}::timestamptz, ${event.actor}, ${event.actor_role}::text, ${event.actor_department}::text,
          ${event.action}, 'credit_check', c.id::text,
          ${event.details}::jsonb || jsonb_build_object('checks', jsonb_build_array(c.id))
        from c
      )
      select id from c`;
    const [row] = await prepared('xinyong_check_write', query.compile(this.db));
    if (row === undefined) {
      throw new Error('the credit check was not written');
    }
    return Number(row.id);
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
