/**
 * Credit checks in administrative matters (应查必查): a credit officer names a subject, the matter
 * and the purpose; the check returns the subject's list entries and dishonesty records, and each
 * measure that follows for this matter with its legal basis, evidence and explanation. Every
 * check is audited; the department's feedback on each measure is kept for the statistics.
 */
import type { Kysely } from 'kysely';
import { addMonths, todayInShanghai } from '../../platform/calendar/index.ts';
import {
  AppError,
  ConflictError,
  DEFAULT_LOCALE,
  msg,
  NotFoundError,
  RuleViolationError,
  t,
  ValidationError,
  type AuditWriter,
  type DataProtector,
  type Locale,
} from '../../platform/index.ts';
import { unprepared, type Prepared, type Schema } from '../../platform/db/index.ts';
import { authorize, requireDepartment, toAuditActor, type Actor } from '../auth/index.ts';
import { MATTERS } from '../disclosure/index.ts';
import { echoed } from '../identifiers/index.ts';
import { hashesOf, subjectByCode } from '../subjects/index.ts';
import {
  CheckRepository,
  type CheckedSubject,
  type MeasureStat,
  type SubjectFacts,
} from './measures.check-repository.ts';
import type { AttachedMeasure } from './measures.repository.ts';
import { selectMeasures, type Entry, type SelectedMeasure } from './measures.select.ts';
import type { MeasureService } from './measures.service.ts';

export const MAX_BATCH = 1000;

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
  records: SubjectFacts['records'];
  measures: SelectedMeasure[];
  incentives: SelectedMeasure[];
  related: Array<{ role: string; name: string; entries: Entry[]; measures: SelectedMeasure[] }>;
}

export interface CheckOptions {
  /** Runs the check's read and write as prepared statements; without it, ordinary queries. */
  prepared?: Prepared;
  /** The day in Asia/Shanghai (tests move it). */
  today?: () => string;
}

export class CheckService {
  private readonly prepared: Prepared;
  private readonly today: () => string;

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly protector: DataProtector,
    private readonly measures: MeasureService,
    options: CheckOptions = {},
  ) {
    this.prepared = options.prepared ?? unprepared(db);
    this.today = options.today ?? (() => todayInShanghai());
  }

  /**
   * A check of one subject; its explanations in `locale` (the legal texts they quote as written).
   * Two round trips: one read (the subject by its code and all its facts), one statement writing
   * the check, its measures and its audit event; the measure list and memoranda are kept in the
   * process.
   */
  async check(actor: Actor, request: CheckRequest, locale: Locale = DEFAULT_LOCALE): Promise<CheckResult> {
    const department = requireDepartment(actor, 'credit.check').code;
    authorize(actor, 'credit.check', { department });
    validateRequest(request);
    const hashes = hashesOf(this.protector, request.subjectCode, 'subjectCode');
    const today = this.today();
    const since = addMonths(today, -36);
    const found = await new CheckRepository(this.db).factsByCode(hashes, { today, since }, this.prepared);
    if (found === undefined) {
      throw new NotFoundError(msg('measures.check.no_subject'));
    }
    const result = await this.evaluate(found.subject, found.facts, request, locale, { today, since });
    const id = await new CheckRepository(this.db).writeCheck(
      {
        department_code: department,
        actor: toAuditActor(actor).label,
        subject_id: found.subject.id,
        matter: request.matter,
        purpose: request.purpose.trim(),
        on_day: today,
      },
      measureRows(result),
      this.audit.inboxRow({
        actor: toAuditActor(actor),
        action: 'credit.check',
        details: checkDetails(request, [found.subject.id]),
      }),
      this.prepared,
    );
    this.audit.written();
    return { ...result, id };
  }

  /**
   * Up to 1,000 subjects in one request (批量比对): one result each, a summary, one audit event; the
   * explanations and the reasons a subject was not checked in `locale`.
   */
  async batch(
    actor: Actor,
    request: { subjects: Array<{ code?: string; name?: string }>; matter: string; purpose: string },
    locale: Locale = DEFAULT_LOCALE,
  ): Promise<{ results: BatchItem[]; summary: Record<string, number> }> {
    const department = requireDepartment(actor, 'credit.check').code;
    authorize(actor, 'credit.check', { department });
    validateRequest({ subjectCode: '-', matter: request.matter, purpose: request.purpose });
    if (request.subjects.length === 0 || request.subjects.length > MAX_BATCH) {
      throw new ValidationError(msg('measures.check.batch_size', { max: MAX_BATCH }), {
        field: 'subjects',
        value: request.subjects.length,
        rule: 'check.batch_size',
      });
    }
    const results: BatchItem[] = [];
    const found: Array<{
      subject: CheckedSubject;
      result: Omit<CheckResult, 'id'>;
      request: CheckRequest;
      at: number;
    }> = [];
    for (const [i, s] of request.subjects.entries()) {
      const given = echoed(s.code ?? s.name ?? '');
      const resolved = await this.resolve(s, locale);
      if (resolved.status !== 'found') {
        results.push({ given, ...resolved });
        continue;
      }
      const req = { subjectCode: given, matter: request.matter, purpose: request.purpose };
      found.push({
        subject: resolved.subject,
        result: await this.evaluateFound(resolved.subject, req, locale),
        request: req,
        at: i,
      });
      results.push({ given, status: 'found' });
    }
    const ambiguous = results.flatMap((r, at) =>
      r.status === 'ambiguous' ? [{ name: r.given, candidates: r.candidates ?? 0, at }] : [],
    );
    const { ids, reviews } = await this.record(actor, department, found, {
      matter: request.matter,
      purpose: request.purpose,
      ambiguous,
    });
    ambiguous.forEach((a, k) => {
      const r = results[a.at];
      if (r !== undefined) {
        r.review = reviews[k];
      }
    });
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

  /** Names of the department's batch checks that several organisations bear, waiting for a code. */
  async reviews(
    actor: Actor,
  ): Promise<
    Array<{ id: number; name: string; matter: string; purpose: string; candidates: number; createdAt: Date }>
  > {
    const department = requireDepartment(actor, 'credit.check').code;
    authorize(actor, 'credit.check', { department });
    const rows = await this.db
      .selectFrom('check_review')
      .select(['id', 'name', 'matter', 'purpose', 'candidates', 'created_at'])
      .where('department_code', '=', department)
      .where('resolved_at', 'is', null)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      matter: r.matter,
      purpose: r.purpose,
      candidates: r.candidates,
      createdAt: r.created_at,
    }));
  }

  /** Resolves an ambiguous name by the code of the organisation meant: checked as the batch asked. */
  async resolveReview(
    actor: Actor,
    reviewId: number,
    subjectCode: string,
    locale: Locale = DEFAULT_LOCALE,
  ): Promise<CheckResult> {
    const department = requireDepartment(actor, 'credit.check').code;
    const review = await this.db
      .selectFrom('check_review')
      .selectAll()
      .where('id', '=', reviewId)
      .executeTakeFirst();
    if (review === undefined || review.department_code !== department) {
      throw new NotFoundError(msg('measures.check.no_review', { id: reviewId }));
    }
    if (review.resolved_at !== null) {
      throw new ConflictError(
        msg('measures.check.review_resolved', { id: reviewId, check: review.resolved_check_id ?? '' }),
        { rule: 'check.review_resolved' },
      );
    }
    const result = await this.check(
      actor,
      { subjectCode, matter: review.matter, purpose: review.purpose },
      locale,
    );
    await this.db
      .updateTable('check_review')
      .set({ resolved_check_id: result.id, resolved_at: new Date() })
      .where('id', '=', reviewId)
      .where('resolved_at', 'is', null)
      .execute();
    return result;
  }

  /** The department's feedback: which returned measures it applied or not, and why. */
  async feedback(
    actor: Actor,
    checkId: number,
    items: Array<{ measure: string; listType: string; applied: boolean; reason: string }>,
  ): Promise<void> {
    const department = requireDepartment(actor, 'credit.check').code;
    const check = await this.db
      .selectFrom('credit_check')
      .selectAll()
      .where('id', '=', checkId)
      .executeTakeFirst();
    if (check === undefined || check.department_code !== department) {
      throw new NotFoundError(msg('measures.check.no_check', { id: checkId }));
    }
    authorize(actor, 'credit.check', { department: check.department_code });
    await this.db.transaction().execute(async (trx) => {
      for (const [i, f] of items.entries()) {
        if (f.reason.trim() === '') {
          throw new ValidationError(msg('measures.check.feedback_reason', { index: i }), {
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
            msg('measures.check.not_returned', {
              index: i,
              check: checkId,
              measure: f.measure,
              listType: f.listType,
            }),
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
  ): Promise<MeasureStat[]> {
    const own = actor.kind === 'user' || actor.kind === 'token' ? actor.department?.code : undefined;
    const department = query.department ?? own;
    authorize(actor, 'measure.stats', department === undefined ? {} : { department });
    return new CheckRepository(this.db).stats({ ...query, department });
  }

  /** Reads the facts of a subject found by a batch, and evaluates them. */
  private async evaluateFound(
    subject: CheckedSubject,
    request: CheckRequest,
    locale: Locale,
  ): Promise<Omit<CheckResult, 'id'>> {
    const today = this.today();
    const since = addMonths(today, -36);
    const person = subject.kind === 'natural_person';
    const facts = await new CheckRepository(this.db).facts(subject.id, { person, today, since });
    return this.evaluate(subject, facts, request, locale, { today, since });
  }

  private async evaluate(
    subject: CheckedSubject,
    facts: SubjectFacts,
    request: CheckRequest,
    locale: Locale,
    { today, since }: { today: string; since: string },
  ): Promise<Omit<CheckResult, 'id'>> {
    const repo = new CheckRepository(this.db);
    const person = subject.kind === 'natural_person';
    const attached = await this.attachedTo(facts.entries);
    const measures = await this.measures.measures();
    const selected = selectMeasures({
      subjectKind: subject.kind,
      matter: request.matter,
      entries: facts.entries,
      attached,
      measures,
      locale,
      ...(isClean(facts, person, since) ? { clean: { since, registeredOn: facts.registeredOn } } : {}),
    });
    const related: CheckResult['related'] = [];
    if (request.relatedPersons === true && !person) {
      for (const p of await repo.persons(subject.id, today)) {
        const own = (await repo.facts(p.id, { person: false, today, since })).entries;
        // The company's own listings reach the person through the role.
        const via = { role: p.role, organisation: { id: subject.id, name: subject.name } };
        const entries = [
          ...own,
          ...facts.entries.filter((e) => e.via === undefined).map((e) => ({ ...e, via })),
        ];
        related.push({
          role: p.role,
          name: p.masked,
          entries,
          measures: selectMeasures({
            subjectKind: 'natural_person',
            matter: request.matter,
            entries,
            attached: await this.attachedTo(entries),
            measures,
            locale,
          }),
        });
      }
    }
    return {
      asOf: today,
      matter: request.matter,
      purpose: request.purpose.trim(),
      subject: { kind: subject.kind, name: subject.name, code: facts.code },
      entries: facts.entries,
      records: facts.records,
      measures: selected.filter((m) => m.measure.direction === 'punishment'),
      incentives: selected.filter((m) => m.measure.direction === 'incentive'),
      related,
    };
  }

  /** What the memoranda attach to the lists of these entries (kept in the process). */
  private async attachedTo(
    entries: readonly Entry[],
  ): Promise<ReadonlyMap<string, readonly AttachedMeasure[]>> {
    return entries.length === 0 ? new Map() : this.measures.attachedByList();
  }

  /** A row of a batch: by code, or by exact name (an ambiguous name is returned with its count, for review). */
  private async resolve(
    s: { code?: string; name?: string },
    locale: Locale,
  ): Promise<
    | { status: 'found'; subject: CheckedSubject }
    | { status: 'not_found' | 'ambiguous' | 'invalid'; message: string; candidates?: number }
  > {
    if (s.code !== undefined && s.code.trim() !== '') {
      try {
        const subject = await subjectByCode(this.db, this.protector, s.code.trim(), 'code');
        return subject === undefined
          ? { status: 'not_found', message: t(locale, 'measures.check.no_subject') }
          : { status: 'found', subject };
      } catch (err) {
        const message = err instanceof AppError ? err.messageIn(locale) : (err as Error).message;
        return { status: 'invalid', message };
      }
    }
    const name = (s.name ?? '').trim();
    if (name === '') {
      return { status: 'invalid', message: t(locale, 'measures.check.code_or_name') };
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
      ? { status: 'not_found', message: t(locale, 'measures.check.no_organisation', { name }) }
      : {
          status: 'ambiguous',
          candidates: rows.length,
          message:
            rows.length > 10
              ? t(locale, 'measures.check.ambiguous_many', { name })
              : t(locale, 'measures.check.ambiguous', { count: rows.length, name }),
        };
  }

  private async record(
    actor: Actor,
    department: string,
    done: Array<{ subject: CheckedSubject; result: Omit<CheckResult, 'id'>; request: CheckRequest }>,
    batch?: { matter: string; purpose: string; ambiguous: Array<{ name: string; candidates: number }> },
  ): Promise<{ ids: number[]; reviews: number[] }> {
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
        const rows = measureRows(d.result);
        if (rows.length > 0) {
          await trx
            .insertInto('check_measure')
            .values(rows.map((r) => ({ ...r, check_id: id })))
            .execute();
        }
      }
      const reviews: number[] = [];
      for (const a of batch?.ambiguous ?? []) {
        const { id } = await trx
          .insertInto('check_review')
          .values({
            department_code: department,
            actor: toAuditActor(actor).label,
            name: a.name,
            matter: batch?.matter ?? '',
            purpose: (batch?.purpose ?? '').trim(),
            candidates: a.candidates,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        reviews.push(id);
      }
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'credit.check',
        ...(ids.length === 1 ? { target: { kind: 'credit_check', id: String(ids[0]) } } : {}),
        details: {
          ...checkDetails(
            done[0]?.request,
            done.map((d) => d.subject.id),
          ),
          checks: ids,
          ...(reviews.length === 0 ? {} : { review: reviews }),
        },
      });
      return { ids, reviews };
    });
  }
}

export interface BatchItem {
  given: string;
  status: 'found' | 'not_found' | 'ambiguous' | 'invalid';
  message?: string;
  /** How many organisations bear an ambiguous name (counted up to 11). */
  candidates?: number;
  /** The review-queue entry an ambiguous name became. */
  review?: number | undefined;
  result?: CheckResult;
}

/** The measures a check returned, one row per measure and list; suspended only when every entry behind it is. */
function measureRows(
  result: Pick<CheckResult, 'measures' | 'incentives'>,
): Array<{ measure_code: string; list_type: string; status: 'applicable' | 'suspended' }> {
  const rows = new Map<
    string,
    { measure_code: string; list_type: string; status: 'applicable' | 'suspended' }
  >();
  for (const m of [...result.measures, ...result.incentives]) {
    const key = `${m.measure.code}|${m.listType}`;
    if (!rows.has(key) || m.status === 'applicable') {
      rows.set(key, { measure_code: m.measure.code, list_type: m.listType, status: m.status });
    }
  }
  return [...rows.values()];
}

/** What a check's audit event says of it (the statement that writes it adds the check ids). */
function checkDetails(request: CheckRequest | undefined, subjects: number[]): Record<string, unknown> {
  return { matter: request?.matter ?? null, purpose: request?.purpose ?? null, subjects };
}

/**
 * Three consecutive years without adverse records: no general or serious dishonesty record decided
 * in the last three years (repaired and revoked ones do not count), and, for an organisation,
 * registered at least three years ago.
 */
function isClean(facts: SubjectFacts, person: boolean, since: string): boolean {
  const listed = facts.entries.some((e) => e.listType.kind !== 'red');
  return (
    !listed && facts.adverse === 0 && (person || (facts.registeredOn !== null && facts.registeredOn <= since))
  );
}

function validateRequest(request: CheckRequest): void {
  if (!(MATTERS as readonly string[]).includes(request.matter)) {
    throw new ValidationError(msg('measures.check.matter', { matters: MATTERS.join(', ') }), {
      field: 'matter',
      value: request.matter,
      rule: 'check.matter',
    });
  }
  if (request.purpose.trim() === '') {
    throw new ValidationError(msg('measures.check.purpose'), {
      field: 'purpose',
      rule: 'check.purpose',
    });
  }
}
