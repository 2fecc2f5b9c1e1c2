/**
 * The commit that turns a batch's accepted rows into records: set-based, inside the caller's
 * transaction, under the commit lock — subjects resolved or created strongest code first, people
 * in roles, registration history and status, then the records themselves.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { sha256Hex, t } from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { lockCommits } from '../records/index.ts';
import { sqlFormat } from './ingest.reasons.ts';

type Executor = Kysely<Schema> | Transaction<Schema>;

export class BatchCommit {
  constructor(private readonly db: Executor) {}

  /**
   * The commit, set-based, inside the caller's transaction (all of a batch's rows, or one
   * resolved review row): subjects found by any of the row's codes (a row whose codes point at
   * two subjects goes to review), new subjects for codes never seen (provisional, or registered
   * from registration data), rows identical to a current record become duplicates, changed ones
   * supersede it as a new version, a revocation becomes a revoked version, and every accepted row
   * becomes a record. Registration rows also keep the subject's name history and status, and role
   * rows link the person to the organisation.
   *
   * The subject each row resolves to is kept in a temporary table, not written back to the
   * (wide) staged rows: a commit rewrites only the rows whose status changes.
   */
  async commit(scope: CommitScope): Promise<CommitResult> {
    const { batchId, department, item } = scope;
    await lockCommits(this.db);
    const target =
      scope.rowNo === undefined
        ? sql`br.batch_id = ${batchId} and br.status = 'accepted'`
        : sql`br.batch_id = ${batchId} and br.status = 'accepted' and br.row_no = ${scope.rowNo}
            and not exists (select 1 from record r where r.batch_id = br.batch_id and r.row_no = br.row_no)`;
    await sql`
      create temporary table commit_row (
        row_no integer primary key, subject_id bigint not null, prev_id bigint, prev_version integer
      ) on commit drop`.execute(this.db);
    if (scope.subjectId !== undefined && scope.rowNo !== undefined) {
      await sql`insert into commit_row values (${scope.rowNo}, ${scope.subjectId})`.execute(this.db);
    }

    await this.resolveSubjects(target, batchId);
    const kinds = await sql<{ kind: string }>`
      select distinct br.code_kind as kind from batch_row br
      where ${target} and not exists (select 1 from commit_row cr where cr.row_no = br.row_no)`.execute(
      this.db,
    );
    const present = new Set(kinds.rows.map((k) => k.kind));
    for (const kind of SUBJECT_CODE_ORDER.filter((k) => present.has(k))) {
      await this.createSubjects(target, kind, scope.registration);
      await this.resolveSubjects(target, batchId);
    }
    // A unified code the platform has not seen, on a row whose other codes name a subject that
    // already has a unified code: two codes of one kind for one subject is a question, not a merge.
    await sql`
      with moved as (
        select distinct cr.row_no
        from batch_row br join commit_row cr on cr.row_no = br.row_no
        cross join lateral jsonb_array_elements(br.codes) as c(code)
        where ${target} and c.code->>'kind' = 'uscc'
          and not exists (select 1 from subject_code sc where sc.kind = 'uscc' and sc.value_hash = c.code->>'hash')
          and exists (select 1 from subject_code other where other.subject_id = cr.subject_id and other.kind = 'uscc')
      ),
      flagged as (
        update batch_row br set status = 'review', reasons = br.reasons || jsonb_build_array(jsonb_build_object(
          'field', '', 'column', '', 'value', '', 'rule', 'subject.codes_conflict',
          'key', 'ingest.reason.other_unified_code', 'params', '{}'::jsonb,
          'message', ${t('en', 'ingest.reason.other_unified_code')}::text))
        from moved m where br.batch_id = ${batchId} and br.row_no = m.row_no
      )
      delete from commit_row cr using moved m where cr.row_no = m.row_no`.execute(this.db);
    // A temporary table has no statistics until analysed: without them every join below is planned blind.
    await sql`analyze commit_row`.execute(this.db);
    const resolved = sql`batch_row br join commit_row cr on cr.row_no = br.row_no`;
    // Two rows of the batch that reach one subject through different codes are one record.
    await sql`
      with ranked as (
        select br.row_no, br.payload_digest,
          first_value(br.row_no) over w as first_row, first_value(br.payload_digest) over w as first_digest
        from ${resolved} where ${target}
        window w as (partition by cr.subject_id, br.identity_key order by br.row_no)
      )
      update batch_row br set
        status = case when r.first_digest = r.payload_digest then 'duplicate' else 'rejected' end,
        reasons = case when r.first_digest = r.payload_digest then br.reasons else br.reasons || jsonb_build_array(
          jsonb_build_object('field', '', 'column', '', 'value', br.identity_key, 'rule', 'batch.conflicting_rows',
            'key', 'ingest.reason.conflicting_rows',
            'params', jsonb_build_object('record', br.identity_key, 'row', r.first_row),
            'message', format(${sqlFormat('ingest.reason.conflicting_rows', ['record', 'row'])}::text,
              br.identity_key, r.first_row))) end
      from ranked r
      where br.batch_id = ${batchId} and br.row_no = r.row_no and r.row_no <> r.first_row`.execute(this.db);

    const sameRecord = sql`r.subject_id = cr.subject_id and r.department_code = ${department}
      and r.item_code = ${item} and r.identity_key = br.identity_key and r.is_current`;
    await sql`
      update batch_row br set status = 'duplicate'
      from commit_row cr, record r
      where cr.row_no = br.row_no and ${target} and ${sameRecord} and r.payload_digest = br.payload_digest`.execute(
      this.db,
    );
    if (scope.rowNo === undefined) {
      // A revoked record stays revoked, a record under objection waits for its objection's decision,
      // a repaired one stays repaired: a row that would replace it waits for a reviewer.
      for (const [status, key] of [
        ['revoked', 'ingest.reason.revoked'],
        ['under_objection', 'ingest.reason.under_objection'],
        ['repaired', 'ingest.reason.repaired'],
      ] as const) {
        await sql`
          update batch_row br set status = 'review', reasons = br.reasons || jsonb_build_array(jsonb_build_object(
            'field', '', 'column', '', 'value', br.identity_key, 'rule', ${`record.${status}`}::text,
            'key', ${key}::text, 'params', jsonb_build_object('record', r.id),
            'message', format(${sqlFormat(key, ['record'])}::text, r.id)))
          from commit_row cr, record r
          where cr.row_no = br.row_no and ${target} and not br.revokes and ${sameRecord} and r.status = ${status}
            and r.id is distinct from ${scope.corrects ?? null}::bigint`.execute(this.db);
      }
    }
    // Codes the row gives that its subject did not have yet (a legacy code, a new unified code),
    // from rows still accepted: a row refused above leaves nothing behind.
    await sql`
      insert into subject_code (subject_id, kind, value_hash, value, value_encrypted, masked)
      select distinct on (c.code->>'kind', c.code->>'hash') cr.subject_id, c.code->>'kind', c.code->>'hash',
        c.code->>'value', c.code->>'encrypted', c.code->>'masked'
      from ${resolved} cross join lateral jsonb_array_elements(br.codes) as c(code)
      where ${target} and jsonb_array_length(br.codes) > 1
        and not exists (select 1 from subject_code sc where sc.kind = c.code->>'kind' and sc.value_hash = c.code->>'hash')
      order by c.code->>'kind', c.code->>'hash', br.row_no
      on conflict (kind, value_hash) do nothing`.execute(this.db);
    await this.persons(target);

    // The version each row follows, found before any record is inserted (a statement that reads
    // the table it is inserting into would rescan its own new rows for every row).
    await sql`
      update commit_row cr set prev_id = p.id, prev_version = p.version
      from (
        select c.row_no, last.id, last.version
        from commit_row c
        join batch_row br on br.batch_id = ${batchId} and br.row_no = c.row_no and br.status = 'accepted'
        cross join lateral (
          select r.id, r.version from record r
          where r.department_code = ${department} and r.item_code = ${item} and r.identity_key = br.identity_key
            and r.subject_id = c.subject_id
          order by r.version desc limit 1
        ) last
      ) p
      where p.row_no = cr.row_no`.execute(this.db);
    await sql`
      update record r set is_current = false from ${resolved} where ${target} and ${sameRecord}`.execute(
      this.db,
    );
    await sql`
      insert into record (subject_id, department_code, item_code, catalog_version_id, identity_key, version, previous_id,
        is_current, payload, payload_digest, decision_date, tier, tier_source, display_from, shortest_until, longest_until,
        display_public, batch_id, row_no, status, status_reason, working_days, late)
      select cr.subject_id, ${department}, ${item}, ${scope.catalogVersionId}, br.identity_key,
        coalesce(cr.prev_version, 0) + 1, cr.prev_id, true, br.normalized, br.payload_digest, br.decision_date, br.tier,
        br.tier_source, br.decision_date, br.shortest_until, br.longest_until, coalesce(br.display_public, false),
        br.batch_id, br.row_no,
        case when br.revokes then 'revoked' else 'active' end,
        case when br.revokes then format('当前状态: 撤销 (batch %s, row %s)', br.batch_id, br.row_no) end,
        br.working_days, br.late
      from ${resolved}
      where ${target}
      order by br.row_no`.execute(this.db);

    if (scope.roles) {
      await this.roles(batchId);
    }
    if (scope.registration) {
      await this.registration(batchId);
    }
    // The records made now, bound by a digest of their ids (the audit event carries it).
    const made = await sql<{
      count: number;
      first_id: number | null;
      last_id: number | null;
      digest: string | null;
    }>`
      select count(*) as count, min(id) as first_id, max(id) as last_id,
        encode(sha256(convert_to(string_agg(id::text, ',' order by id), 'UTF8')), 'hex') as digest
      from record where batch_id = ${batchId} and received_at = now()`.execute(this.db);
    const m = made.rows[0];
    const counts = await this.db
      .selectFrom('batch_row')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('batch_id', '=', batchId)
      .groupBy('status')
      .execute();
    return {
      counts: Object.fromEntries(counts.map((c) => [c.status, c.n])),
      records: {
        count: m?.count ?? 0,
        firstId: m?.first_id ?? null,
        lastId: m?.last_id ?? null,
        digest: m?.digest ?? sha256Hex(''),
      },
    };
  }

  /** Rows whose codes name exactly one known subject take it; codes of two subjects go to review. */
  private async resolveSubjects(target: RawBuilder<unknown>, batchId: number): Promise<void> {
    await sql`
      with found as (
        select br.row_no, min(sc.subject_id) as low, max(sc.subject_id) as high,
          (array_agg(sc.subject_id order by c.ord))[1] as best
        from batch_row br
        cross join lateral jsonb_array_elements(br.codes) with ordinality as c(code, ord)
        join subject_code sc on sc.kind = c.code->>'kind' and sc.value_hash = c.code->>'hash'
        where ${target} and not exists (select 1 from commit_row cr where cr.row_no = br.row_no)
        group by br.row_no
      ),
      conflicts as (
        update batch_row br set status = 'review', reasons = br.reasons || jsonb_build_array(jsonb_build_object(
          'field', '', 'column', '', 'value', '', 'rule', 'subject.codes_conflict',
          'key', 'ingest.reason.codes_conflict', 'params', jsonb_build_object('low', f.low, 'high', f.high),
          'message', format(${sqlFormat('ingest.reason.codes_conflict', ['low', 'high'])}::text, f.low, f.high)))
        from found f
        where br.batch_id = ${batchId} and br.row_no = f.row_no and f.low <> f.high
      )
      insert into commit_row (row_no, subject_id) select row_no, best from found where low = high`.execute(
      this.db,
    );
  }

  /**
   * A subject for each code of `kind` the platform has never seen, from the first row that gives
   * it, with all the codes that row gives (another subject's code stays that subject's).
   */
  private async createSubjects(
    target: RawBuilder<unknown>,
    kind: string,
    registration: boolean,
  ): Promise<void> {
    await sql`
      with fresh as (
        select distinct on (br.code_hash) br.code_kind, br.code_value, br.codes,
          br.subject_kind, br.subject_name, br.subject_name_encrypted, br.registration_status
        from batch_row br
        where ${target} and br.code_kind = ${kind}
          and not exists (select 1 from commit_row cr where cr.row_no = br.row_no)
        order by br.code_hash, br.row_no
      ),
      numbered as materialized (
        select nextval(pg_get_serial_sequence('subject', 'id')) as id, f.* from fresh f
      ),
      subjects as (
        insert into subject (id, kind, name, name_encrypted, division, status) overriding system value
        select id, subject_kind, subject_name, subject_name_encrypted,
          case when code_kind = 'uscc' then substr(code_value, 3, 6) end,
          case when not ${registration} then 'provisional'
            when registration_status in (${sql.join(DEREGISTERED)}) then 'deregistered'
            else 'registered' end
        from numbered
      )
      insert into subject_code (subject_id, kind, value_hash, value, value_encrypted, masked)
      select n.id, c.code->>'kind', c.code->>'hash', c.code->>'value', c.code->>'encrypted', c.code->>'masked'
      from numbered n cross join lateral jsonb_array_elements(n.codes) as c(code)
      on conflict (kind, value_hash) do nothing`.execute(this.db);
  }

  /** The natural person a role row names: found by the ID's hash, or created. */
  private async persons(target: RawBuilder<unknown>): Promise<void> {
    await sql`
      with fresh as (
        select distinct on (br.person->'code'->>'hash') br.person
        from batch_row br
        where ${target} and br.person is not null and jsonb_typeof(br.person->'code') = 'object'
          and not exists (select 1 from subject_code sc
            where sc.kind = br.person->'code'->>'kind' and sc.value_hash = br.person->'code'->>'hash')
        order by br.person->'code'->>'hash', br.row_no
      ),
      numbered as materialized (
        select nextval(pg_get_serial_sequence('subject', 'id')) as id, f.person from fresh f
      ),
      subjects as (
        insert into subject (id, kind, name, name_encrypted, status) overriding system value
        select id, 'natural_person', person->>'masked', person->>'nameEncrypted', 'provisional' from numbered
      )
      insert into subject_code (subject_id, kind, value_hash, value_encrypted, masked)
      select id, person->'code'->>'kind', person->'code'->>'hash', person->'code'->>'encrypted', person->'code'->>'masked'
      from numbered`.execute(this.db);
  }

  /** Role rows committed now: the person's role in the organisation, with its dates. */
  private async roles(batchId: number): Promise<void> {
    await sql`
      insert into person_role (record_id, org_subject_id, person_subject_id, person_masked, role, since, until)
      select r.id, r.subject_id, sc.subject_id, br.person->>'masked', br.person->>'role',
        (br.person->>'since')::date, (br.person->>'until')::date
      from record r
      join batch_row br on br.batch_id = r.batch_id and br.row_no = r.row_no
      left join subject_code sc on sc.kind = br.person->'code'->>'kind' and sc.value_hash = br.person->'code'->>'hash'
      where r.batch_id = ${batchId} and r.received_at = now() and br.person is not null`.execute(this.db);
  }

  /**
   * Registration rows committed now are the subject's registered facts: its name (the former one
   * kept as history), its division and its status.
   */
  private async registration(batchId: number): Promise<void> {
    await sql`
      with reg as (
        select distinct on (r.subject_id) r.subject_id, br.subject_name, br.registration_status, r.id as record_id,
          br.code_kind, br.code_value
        from record r join batch_row br on br.batch_id = r.batch_id and br.row_no = r.row_no
        where r.batch_id = ${batchId} and r.received_at = now() and not br.revokes
        order by r.subject_id, r.row_no desc
      ),
      renamed as (
        insert into subject_name_history (subject_id, name, replaced_on, replaced_by_record_id)
        select s.id, s.name, current_date, reg.record_id
        from reg join subject s on s.id = reg.subject_id
        where s.name <> reg.subject_name
      )
      update subject s set
        name = reg.subject_name,
        division = coalesce(case when reg.code_kind = 'uscc' then substr(reg.code_value, 3, 6) end, s.division),
        status = case
          when reg.registration_status in (${sql.join(DEREGISTERED)}) then 'deregistered'
          when reg.registration_status is not null then 'registered'
          when s.status = 'provisional' then 'registered'
          else s.status end,
        updated_at = now()
      from reg where s.id = reg.subject_id`.execute(this.db);
  }
}

/** What a commit made. */
export interface CommitResult {
  counts: Record<string, number>;
  records: { count: number; firstId: number | null; lastId: number | null; digest: string };
}

export interface CommitScope {
  batchId: number;
  department: string;
  item: string;
  catalogVersionId: number;
  /** The item is registration data: it names and registers subjects. */
  registration: boolean;
  /** The item's rows name people in roles (主要人员). */
  roles: boolean;
  /** Only this row (a resolved review row). */
  rowNo?: number;
  /** The subject a reviewer chose for that row. */
  subjectId?: number;
  /** A record under objection this batch may replace: the correction an upheld objection makes. */
  corrects?: number;
}

/** A code as a staged row keeps it: found by its keyed hash, a citizen ID only encrypted. */
export interface ProtectedCode {
  kind: string;
  hash: string;
  value: string | null;
  encrypted: string | null;
  masked: string;
}

export interface ProtectedPerson {
  code: ProtectedCode | null;
  masked: string;
  nameEncrypted: string;
  role: string;
  since: string | null;
  until: string | null;
}

/** 登记状态 values that end a subject's registration. */
const DEREGISTERED = ['注销', '吊销', '撤销'];

/** The order in which codes of unseen subjects create them: the strongest first. */
const SUBJECT_CODE_ORDER = [
  'uscc',
  'reg_no15',
  'org_code',
  'taxpayer_id15',
  'institution_cert12',
  'citizen_id',
  'citizen_id15',
];
