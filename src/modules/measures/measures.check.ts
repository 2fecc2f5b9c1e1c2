/**
 * Credit checks in administrative matters (应查必查): a credit officer names a subject, the matter
 * and the purpose; the check returns the subject's list entries and dishonesty records, and each
 * measure that follows for this matter with its legal basis, evidence and explanation. Every
 * check is audited; the department's feedback on each measure is kept for the statistics.
 */
import { sql, type Kysely } from 'kysely';
import { addMonths, todayInShanghai } from '../../platform/calendar/index.ts';
import {
  NotFoundError,
  RuleViolationError,
  ValidationError,
  type AuditWriter,
  type DataProtector,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, toAuditActor, type Actor } from '../auth/index.ts';
import { MATTERS, subjectByCode, type SubjectRow } from '../disclosure/index.ts';
import { MeasuresRepository, type AttachedMeasure } from './measures.repository.ts';
import { selectMeasures, type Entry, type SelectedMeasure } from './measures.select.ts';
import type { MeasureService } from './measures.service.ts';

export const MAX_BATCH = 1000;
/** Items whose records are list entries a check reports (the watch list is never a basis). */
const LIST_ITEMS = ['serious_dishonesty_list', 'red_list', 'dishonest_judgment_debtor', 'abnormal_operation'];

export interface CheckRequest {
  subjectCode: string;
  matter: string;
  purpose: string;
  /** Check the persons in roles of an organisation too (legal representative and the like). */
  relatedPersons?: boolean;
}

export interface CheckResult {
  id: number;
  asOf: string;
  matter: string;
  purpose: string;
  subject: { kind: string; name: string; code: string };
  entries: Entry[];
  records: Array<{
    id: number;
    item: string;
    tier: string | null;
    decisionDate: string | null;
    status: string;
    documentNumber: string;
  }>;
  measures: SelectedMeasure[];
  incentives: SelectedMeasure[];
  related: Array<{ role: string; name: string; entries: Entry[]; measures: SelectedMeasure[] }>;
}

export class CheckService {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly protector: DataProtector,
    private readonly measures: MeasureService,
    private readonly today: () => string = () => todayInShanghai(),
  ) {}

  async check(actor: Actor, request: CheckRequest): Promise<CheckResult> {
    const department = this.departmentOf(actor);
    authorize(actor, 'credit.check', { department });
    validateRequest(request);
    const subject = await subjectByCode(this.db, this.protector, request.subjectCode, 'subjectCode');
    if (subject === undefined) {
      throw new NotFoundError('no subject with that code');
    }
    const result = await this.evaluate(subject, request);
    return this.record(actor, department, [{ subject, result, request }]).then((ids) => ({
      ...result,
      id: ids[0] ?? 0,
    }));
  }

  /** Up to 1,000 subjects in one request (批量比对): one result each, a summary, one audit event. */
  async batch(
    actor: Actor,
    request: { subjects: Array<{ code?: string; name?: string }>; matter: string; purpose: string },
  ): Promise<{ results: BatchItem[]; summary: Record<string, number> }> {
    const department = this.departmentOf(actor);
    authorize(actor, 'credit.check', { department });
    validateRequest({ subjectCode: '-', matter: request.matter, purpose: request.purpose });
    if (request.subjects.length === 0 || request.subjects.length > MAX_BATCH) {
      throw new ValidationError(`subjects: give 1 to ${MAX_BATCH} subjects`, {
        field: 'subjects',
        value: request.subjects.length,
        rule: 'check.batch_size',
      });
    }
    const results: BatchItem[] = [];
    const found: Array<{
      subject: SubjectRow;
      result: Omit<CheckResult, 'id'>;
      request: CheckRequest;
      at: number;
    }> = [];
    for (const [i, s] of request.subjects.entries()) {
      const given = s.code ?? s.name ?? '';
      const resolved = await this.resolve(s);
      if (resolved.status !== 'found') {
        results.push({ given, ...resolved });
        continue;
      }
      const req = { subjectCode: given, matter: request.matter, purpose: request.purpose };
      found.push({
        subject: resolved.subject,
        result: await this.evaluate(resolved.subject, req),
        request: req,
        at: i,
      });
      results.push({ given, status: 'found' });
    }
    const ids = await this.record(actor, department, found);
    found.forEach((f, k) => {
      results[f.at] = {
        given: results[f.at]?.given ?? '',
        status: 'found',
        result: { ...f.result, id: ids[k] ?? 0 },
      };
    });
    const checked = results.flatMap((r) => (r.result === undefined ? [] : [r.result]));
    return {
      results,
      summary: {
        subjects: results.length,
        checked: checked.length,
        notFound: results.filter((r) => r.status === 'not_found').length,
        ambiguous: results.filter((r) => r.status === 'ambiguous').length,
        invalid: results.filter((r) => r.status === 'invalid').length,
        withPunishment: checked.filter((r) => r.measures.some((m) => m.status === 'applicable')).length,
        withSuspended: checked.filter((r) => r.measures.some((m) => m.status === 'suspended')).length,
        withIncentive: checked.filter((r) => r.incentives.length > 0).length,
      },
    };
  }

  /** The department's feedback: which returned measures it applied or not, and why. */
  async feedback(
    actor: Actor,
    checkId: number,
    items: Array<{ measure: string; listType: string; applied: boolean; reason: string }>,
  ): Promise<void> {
    const department = this.departmentOf(actor);
    const check = await this.db
      .selectFrom('credit_check')
      .selectAll()
      .where('id', '=', checkId)
      .executeTakeFirst();
    if (check === undefined || check.department_code !== department) {
      throw new NotFoundError(`no check ${checkId}`);
    }
    authorize(actor, 'credit.check', { department: check.department_code });
    await this.db.transaction().execute(async (trx) => {
      for (const [i, f] of items.entries()) {
        if (f.reason.trim() === '') {
          throw new ValidationError(`items[${i}].reason: say why the measure was or was not applied`, {
            field: `items[${i}].reason`,
            rule: 'check.feedback_reason',
          });
        }
        const done = await trx
          .updateTable('check_measure')
          .set({
            applied: f.applied,
            reason: f.reason.trim(),
            feedback_by: toAuditActor(actor).label,
            feedback_at: new Date(),
          })
          .where('check_id', '=', checkId)
          .where('measure_code', '=', f.measure)
          .where('list_type', '=', f.listType)
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) === 0) {
          throw new RuleViolationError(
            `items[${i}]: check ${checkId} did not return ${f.measure} for ${f.listType}`,
            {
              field: `items[${i}].measure`,
              value: f.measure,
              rule: 'check.measure_not_returned',
            },
          );
        }
      }
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'credit.feedback',
        target: { kind: 'credit_check', id: String(checkId) },
        details: {
          measures: items.map((f) => ({ measure: f.measure, listType: f.listType, applied: f.applied })),
        },
      });
    });
  }

  /** Per measure, department and list: how often checks returned it, and how often it was applied. */
  async stats(
    actor: Actor,
    query: { department?: string; from?: string; to?: string },
  ): Promise<
    Array<{
      measure: string;
      department: string;
      listType: string;
      returned: number;
      suspended: number;
      applied: number;
      notApplied: number;
      noFeedback: number;
    }>
  > {
    const own = actor.kind === 'user' || actor.kind === 'token' ? actor.department?.code : undefined;
    const department = query.department ?? own;
    authorize(actor, 'measure.stats', department === undefined ? {} : { department });
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
      where (${department ?? null}::text is null or c.department_code = ${department ?? null})
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

  private async evaluate(subject: SubjectRow, request: CheckRequest): Promise<Omit<CheckResult, 'id'>> {
    const today = this.today();
    const own = await this.entries(subject.id, today);
    const through = subject.kind === 'natural_person' ? await this.throughRoles(subject.id, today) : [];
    const entries = [...own, ...through];
    const attached = await this.attachedTo(entries);
    const measures = await this.measures.measures();
    const clean = await this.clean(subject, today);
    const selected = selectMeasures({
      subjectKind: subject.kind,
      matter: request.matter,
      entries,
      attached,
      measures,
      ...(clean === undefined ? {} : { clean }),
    });
    const related: CheckResult['related'] = [];
    if (request.relatedPersons === true && subject.kind !== 'natural_person') {
      for (const p of await this.persons(subject.id, today)) {
        const pe = await this.entries(p.id, today);
        const pa = await this.attachedTo(pe);
        related.push({
          role: p.role,
          name: p.masked,
          entries: pe,
          measures: selectMeasures({
            subjectKind: 'natural_person',
            matter: request.matter,
            entries: pe,
            attached: pa,
            measures,
          }),
        });
      }
    }
    return {
      asOf: today,
      matter: request.matter,
      purpose: request.purpose.trim(),
      subject: { kind: subject.kind, name: subject.name, code: await this.shownCode(subject) },
      entries,
      records: await this.records(subject.id),
      measures: selected.filter((m) => m.measure.direction === 'punishment'),
      incentives: selected.filter((m) => m.measure.direction === 'incentive'),
      related,
    };
  }

  /** Current list entries of a subject still in force (not removed, not ended by the clock). */
  private async entries(subjectId: number, today: string): Promise<Entry[]> {
    const r = await sql<{
      id: number;
      item_code: string;
      decision_date: string | null;
      identity_key: string;
      status: string;
      longest_until: string | null;
      list_type: string | null;
      list_name: string | null;
      kind: string | null;
    }>`
      select r.id, r.item_code, r.decision_date, r.identity_key, r.status, r.longest_until,
        lt.code as list_type, lt.name_zh as list_name, lt.kind
      from record r
      left join list_case lc on lc.record_id = r.id
      left join lateral (
        select t.code, t.name_zh, t.kind from list_type t
        where t.code = lc.list_type or (lc.list_type is null and t.item_code = r.item_code)
        order by t.code limit 1) lt on true
      where r.subject_id = ${subjectId} and r.is_current and r.item_code in (${sql.join(LIST_ITEMS)})
        and r.status not in ('revoked', 'repaired') and r.repair_outcome is null
        and (r.longest_until is null or r.longest_until > ${today}::date)
      order by r.decision_date desc nulls last, r.id`.execute(this.db);
    return r.rows
      .filter((x) => x.list_type !== null)
      .map((x) => ({
        recordId: x.id,
        item: x.item_code,
        listType: { code: x.list_type ?? '', name: x.list_name ?? '', kind: x.kind ?? '' },
        decisionDate: x.decision_date,
        documentNumber: x.identity_key,
        status: x.status,
        validUntil: x.longest_until,
      }));
  }

  /** A person's roles in organisations, and those organisations' entries, reached through the role. */
  private async throughRoles(personId: number, today: string): Promise<Entry[]> {
    const roles = await sql<{ role: string; org: number; name: string }>`
      select distinct pr.role, pr.org_subject_id as org, s.name
      from person_role pr
      join record r on r.id = pr.record_id and r.is_current and r.status <> 'revoked'
      join subject s on s.id = pr.org_subject_id
      where pr.person_subject_id = ${personId} and (pr.until is null or pr.until >= ${today}::date)`.execute(
      this.db,
    );
    const out: Entry[] = [];
    for (const role of roles.rows) {
      for (const e of await this.entries(role.org, today)) {
        out.push({ ...e, via: { role: role.role, organisation: { id: role.org, name: role.name } } });
      }
    }
    return out;
  }

  private async persons(
    orgId: number,
    today: string,
  ): Promise<Array<{ id: number; role: string; masked: string }>> {
    const r = await sql<{ id: number; role: string; masked: string }>`
      select distinct pr.person_subject_id as id, pr.role, pr.person_masked as masked
      from person_role pr join record r on r.id = pr.record_id and r.is_current and r.status <> 'revoked'
      where pr.org_subject_id = ${orgId} and pr.person_subject_id is not null
        and (pr.until is null or pr.until >= ${today}::date)`.execute(this.db);
    return r.rows;
  }

  private async attachedTo(entries: readonly Entry[]): Promise<Map<string, AttachedMeasure[]>> {
    const codes = [...new Set(entries.map((e) => e.listType.code))];
    const map = new Map<string, AttachedMeasure[]>();
    for (const a of await new MeasuresRepository(this.db).attached(codes)) {
      map.set(a.listType, [...(map.get(a.listType) ?? []), a]);
    }
    return map;
  }

  /**
   * Three consecutive years without adverse records: no general or serious dishonesty record
   * decided in the last three years (repaired and revoked ones do not count), and, for an
   * organisation, registered at least three years ago.
   */
  private async clean(
    subject: SubjectRow,
    today: string,
  ): Promise<{ since: string; registeredOn: string | null } | undefined> {
    const since = addMonths(today, -36);
    const r = await sql<{ adverse: number; registered: string | null }>`
      select
        (select count(*) from record r where r.subject_id = ${subject.id} and r.is_current
          and r.tier in ('general', 'serious') and r.status not in ('revoked', 'repaired')
          and r.repair_outcome is null and r.decision_date > ${since}::date) as adverse,
        (select min(r.decision_date) from record r where r.subject_id = ${subject.id}
          and r.item_code = 'registration' and r.is_current) as registered`.execute(this.db);
    const row = r.rows[0];
    if (row === undefined || row.adverse > 0) {
      return undefined;
    }
    if (subject.kind !== 'natural_person' && (row.registered === null || row.registered > since)) {
      return undefined;
    }
    return { since, registeredOn: row.registered };
  }

  private async records(subjectId: number): Promise<CheckResult['records']> {
    const r = await this.db
      .selectFrom('record')
      .select(['id', 'item_code', 'tier', 'decision_date', 'status', 'identity_key'])
      .where('subject_id', '=', subjectId)
      .where('is_current', '=', true)
      .where('tier', 'is not', null)
      .where('status', '<>', 'revoked')
      .orderBy('decision_date', 'desc')
      .execute();
    return r.map((x) => ({
      id: x.id,
      item: x.item_code,
      tier: x.tier,
      decisionDate: x.decision_date,
      status: x.status,
      documentNumber: x.identity_key,
    }));
  }

  private async shownCode(subject: SubjectRow): Promise<string> {
    const c = await this.db
      .selectFrom('subject_code')
      .select(['kind', 'value', 'masked'])
      .where('subject_id', '=', subject.id)
      .orderBy('id')
      .executeTakeFirst();
    return c?.value ?? c?.masked ?? ''; // a citizen ID is stored masked only
  }

  /** A row of a batch: by code, or by exact name (an ambiguous name is returned with its count, for review). */
  private async resolve(s: {
    code?: string;
    name?: string;
  }): Promise<
    | { status: 'found'; subject: SubjectRow }
    | { status: 'not_found' | 'ambiguous' | 'invalid'; message: string }
  > {
    if (s.code !== undefined && s.code.trim() !== '') {
      try {
        const subject = await subjectByCode(this.db, this.protector, s.code.trim(), 'code');
        return subject === undefined
          ? { status: 'not_found', message: 'no subject with that code' }
          : { status: 'found', subject };
      } catch (err) {
        return { status: 'invalid', message: (err as Error).message };
      }
    }
    const name = (s.name ?? '').trim();
    if (name === '') {
      return { status: 'invalid', message: 'give a code or a name' };
    }
    const rows = await this.db
      .selectFrom('subject')
      .selectAll()
      .where('name', '=', name)
      .where('kind', '<>', 'natural_person')
      .limit(11)
      .execute();
    const [only] = rows;
    if (rows.length === 1 && only !== undefined) {
      return { status: 'found', subject: only };
    }
    return rows.length === 0
      ? { status: 'not_found', message: `no organisation named ${name}` }
      : {
          status: 'ambiguous',
          message: `${rows.length > 10 ? 'more than 10' : rows.length} organisations are named ${name}: give the code`,
        };
  }

  private async record(
    actor: Actor,
    department: string,
    done: Array<{ subject: SubjectRow; result: Omit<CheckResult, 'id'>; request: CheckRequest }>,
  ): Promise<number[]> {
    return this.db.transaction().execute(async (trx) => {
      const ids: number[] = [];
      for (const d of done) {
        const { id } = await trx
          .insertInto('credit_check')
          .values({
            department_code: department,
            actor: toAuditActor(actor).label,
            subject_id: d.subject.id,
            matter: d.request.matter,
            purpose: d.request.purpose.trim(),
            on_day: d.result.asOf,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        ids.push(id);
        const rows = new Map<
          string,
          { measure_code: string; list_type: string; status: 'applicable' | 'suspended' }
        >();
        for (const m of [...d.result.measures, ...d.result.incentives]) {
          const key = `${m.measure.code}|${m.listType}`;
          // One row per measure and list; suspended only when every entry behind it is.
          if (!rows.has(key) || m.status === 'applicable') {
            rows.set(key, { measure_code: m.measure.code, list_type: m.listType, status: m.status });
          }
        }
        if (rows.size > 0) {
          await trx
            .insertInto('check_measure')
            .values([...rows.values()].map((r) => ({ ...r, check_id: id })))
            .execute();
        }
      }
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'credit.check',
        ...(ids.length === 1 ? { target: { kind: 'credit_check', id: String(ids[0]) } } : {}),
        details: {
          matter: done[0]?.request.matter ?? null,
          purpose: done[0]?.request.purpose ?? null,
          checks: ids,
          subjects: done.map((d) => d.subject.id),
        },
      });
      return ids;
    });
  }

  private departmentOf(actor: Actor): string {
    const code = actor.kind === 'user' || actor.kind === 'token' ? actor.department?.code : undefined;
    if (code === undefined) {
      authorize(actor, 'credit.check', { department: '' });
      throw new NotFoundError('no department');
    }
    return code;
  }
}

export interface BatchItem {
  given: string;
  status: 'found' | 'not_found' | 'ambiguous' | 'invalid';
  message?: string;
  result?: CheckResult;
}

function validateRequest(request: CheckRequest): void {
  if (!(MATTERS as readonly string[]).includes(request.matter)) {
    throw new ValidationError(`matter: one of ${MATTERS.join(', ')}`, {
      field: 'matter',
      value: request.matter,
      rule: 'check.matter',
    });
  }
  if (request.purpose.trim() === '') {
    throw new ValidationError('purpose: state what the check is for (the administrative matter in hand)', {
      field: 'purpose',
      rule: 'check.purpose',
    });
  }
}
