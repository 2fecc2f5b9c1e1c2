/**
 * Credit repair (信用修复): the subject (or the service desk for it) applies, free, for a record the
 * eligibility function says may be repaired, with evidence and a signed repair commitment; the
 * department that determined the record decides within the item's working days, returning an
 * incomplete application once with what is missing. Approved, the catalog item's outcome is applied
 * through records/ (ending publication, sharing and use for a penalty) or, for a list entry, by the
 * list's own removal step. Each step is audited; the subject is told each outcome through the outbox.
 */
import type { Kysely } from 'kysely';
import type { WorkingDayCalendar } from '../../platform/calendar/index.ts';
import {
  ConflictError,
  isUniqueViolation,
  msg,
  NotFoundError,
  render,
  RuleViolationError,
  ValidationError,
  type AttachmentStore,
  type AuditWriter,
  type DataProtector,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { can, toAuditActor, type Actor } from '../auth/index.ts';
import type { CatalogService } from '../catalog/index.ts';
import type { ListService } from '../lists/index.ts';
import { lockCommits, repairEligibility, supersedeRecord, type RepairOutcome } from '../records/index.ts';
import { applicantSubject, auditFiledRead, filedScope, gateFiled, tellSubject } from '../subjects/index.ts';
import { RepairsRepository, type RepairRow } from './repairs.repository.ts';
import {
  REPAIR_COMMITMENT_TEXT,
  REPAIR_WORKING_DAYS,
  type ApplyRequest,
  type RepairDecision,
  type RepairView,
} from './repairs.types.ts';

export class RepairService {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly protector: DataProtector,
    private readonly catalog: CatalogService,
    private readonly lists: ListService,
    private readonly attachments: AttachmentStore,
    private readonly calendar: () => WorkingDayCalendar,
    private readonly today: () => string,
  ) {}

  /** An application; refused with the eligibility function's reason when the record may not be repaired now. */
  async apply(actor: Actor, request: ApplyRequest): Promise<RepairView> {
    const missing = () => new NotFoundError(msg('repairs.no_record', { record: request.recordId }));
    const subject = await applicantSubject(
      this.db,
      this.protector,
      actor,
      request.forSubject,
      { own: 'repair.apply', forOthers: 'repair.file_for' },
      missing,
    );
    const record = await this.currentRecord(request.recordId);
    if (record === undefined || record.subject_id !== subject.id) {
      throw missing();
    }
    if (!request.commitment) {
      throw new ValidationError(msg('repairs.commitment'), {
        field: 'commitment',
        value: false,
        rule: 'repair.commitment',
      });
    }
    const statement = request.statement.trim();
    if (statement === '') {
      throw new ValidationError(msg('repairs.statement'), {
        field: 'statement',
        value: '',
        rule: 'repair.statement',
      });
    }
    const item = (await this.catalog.item(record.item_code)).definition;
    const today = this.today();
    this.refuseIneligible(record, item, today);
    const files = request.attachments ?? [];
    const checked = await this.attachments.check(files);
    await this.attachments.write(files, checked);
    const dueOn = this.calendar().addWorkingDays(today, item.repairWorkingDays ?? REPAIR_WORKING_DAYS).value;
    const id = await this.db.transaction().execute(async (trx) => {
      const repo = new RepairsRepository(trx);
      const made = await repo
        .insert({
          record_id: record.id,
          subject_id: subject.id,
          department_code: record.department_code,
          filed_by: toAuditActor(actor).label,
          filed_via: request.forSubject === undefined ? 'account' : 'service_desk',
          received_as: request.forSubject?.receivedAs ?? null,
          statement,
          commitment_text: REPAIR_COMMITMENT_TEXT,
          submitted_on: today,
          due_on: dueOn,
        })
        .catch((err: unknown) => {
          throw isUniqueViolation(err, 'repair_application_open')
            ? new ConflictError(msg('repairs.open', { record: record.id }), {
                field: 'recordId',
                value: record.id,
                rule: 'repair.one_open',
              })
            : err;
        });
      await this.attachments.remember(trx, checked);
      await repo.attach(made, checked);
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'repair.apply',
        target: { kind: 'repair', id: String(made) },
        details: {
          record: record.id,
          subject: subject.id,
          department: record.department_code,
          dueOn,
          attachments: checked.map((f) => f.sha256),
        },
      });
      return made;
    });
    return this.view(id);
  }

  /** A returned application sent again with what was missing: the deadline runs from today. */
  async resubmit(
    actor: Actor,
    id: number,
    request: Pick<ApplyRequest, 'statement' | 'attachments'>,
  ): Promise<RepairView> {
    // Sent again by whoever may apply: the subject itself, or the service desk for an application it
    // recorded. Anyone else who may read it is answered as by a missing one.
    const a = await this.visible(actor, id, 'repair.read');
    const own = actor.kind === 'user' && actor.role === 'subject_user';
    if (!own && !(a.filed_via === 'service_desk' && can(actor, 'repair.file_for').allowed)) {
      throw new NotFoundError(msg('repairs.no_application', { id }));
    }
    if (a.status !== 'returned') {
      throw new ConflictError(msg('repairs.not_returned', { id, status: a.status }), {
        field: 'id',
        value: id,
        rule: 'repair.resubmit_returned',
      });
    }
    const item = (await this.catalog.item(a.item_code)).definition;
    const files = request.attachments ?? [];
    const checked = await this.attachments.check(files);
    await this.attachments.write(files, checked);
    const today = this.today();
    const dueOn = this.calendar().addWorkingDays(today, item.repairWorkingDays ?? REPAIR_WORKING_DAYS).value;
    await this.db.transaction().execute(async (trx) => {
      const repo = new RepairsRepository(trx);
      await this.attachments.remember(trx, checked);
      await repo.attach(id, checked);
      const statement = request.statement.trim();
      await repo.update(id, {
        status: 'submitted',
        submitted_on: today,
        due_on: dueOn,
        ...(statement === '' ? {} : { statement }),
      });
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'repair.resubmit',
        target: { kind: 'repair', id: String(id) },
        details: { dueOn, attachments: checked.map((f) => f.sha256) },
      });
    });
    return this.view(id);
  }

  /** The department's decision: return once (incomplete), refuse with reasons, or approve and apply. */
  async decide(actor: Actor, id: number, decision: RepairDecision): Promise<RepairView> {
    const a = await this.visible(actor, id, 'repair.decide');
    if (a.status !== 'submitted') {
      throw new ConflictError(msg('repairs.not_submitted', { id, status: a.status }), {
        field: 'id',
        value: id,
        rule: 'repair.decide_submitted',
      });
    }
    const reasons = decision.reasons.trim();
    if (reasons === '') {
      throw new ValidationError(msg('repairs.reasons'), {
        field: 'reasons',
        value: '',
        rule: 'repair.reasons',
      });
    }
    if (decision.action === 'return') {
      if (a.returned_once) {
        throw new RuleViolationError(msg('repairs.returned_once', { id }), {
          field: 'action',
          value: 'return',
          rule: 'repair.return_once',
        });
      }
      const missing = decision.missing.map((m) => m.trim()).filter((m) => m !== '');
      if (missing.length === 0) {
        throw new ValidationError(msg('repairs.missing'), {
          field: 'missing',
          value: '',
          rule: 'repair.missing',
        });
      }
      return this.close(actor, a, { status: 'returned', reasons, missing });
    }
    if (decision.action === 'refuse') {
      return this.close(actor, a, { status: 'refused', reasons });
    }
    const record = await this.currentRecord(a.record_id);
    if (record === undefined) {
      throw new ConflictError(msg('records.not_current', { record: a.record_id }), {
        field: 'id',
        value: id,
        rule: 'record.current',
      });
    }
    const item = (await this.catalog.item(record.item_code)).definition;
    const eligibility = this.refuseIneligible(record, item, this.today());
    const listed = await this.lists.listedCaseOf(a.record_id);
    if (listed !== undefined) {
      if (decision.documentNumber === undefined || decision.documentNumber.trim() === '') {
        throw new ValidationError(msg('repairs.document_required'), {
          field: 'documentNumber',
          value: '',
          rule: 'repair.list_removal',
        });
      }
      const removal = await this.lists.prepareStep(actor, listed, {
        step: 'remove',
        reason: 'repair',
        note: reasons,
        documentNumber: decision.documentNumber,
      });
      return this.close(actor, a, { status: 'approved', reasons, outcome: 'remove_from_list', removal });
    }
    return this.close(actor, a, { status: 'approved', reasons, outcome: eligibility });
  }

  async read(actor: Actor, id: number): Promise<RepairView> {
    const a = await this.visible(actor, id, 'repair.read');
    await auditFiledRead(this.db, this.audit, actor, 'repair', [a.id]);
    return (await this.views([a]))[0] as RepairView;
  }

  async list(
    actor: Actor,
    filter: { status?: RepairRow['status']; limit?: number } = {},
  ): Promise<RepairView[]> {
    const scope = await filedScope(this.db, this.protector, actor, 'repair.read');
    const rows = await new RepairsRepository(this.db).list({
      ...scope,
      ...(filter.status === undefined ? {} : { status: filter.status }),
      limit: Math.min(Math.max(filter.limit ?? 100, 1), 500),
    });
    await auditFiledRead(
      this.db,
      this.audit,
      actor,
      'repair',
      rows.map((r) => r.id),
    );
    return this.views(rows);
  }

  private currentRecord(id: number) {
    return this.db
      .selectFrom('record')
      .select([
        'id',
        'subject_id',
        'department_code',
        'item_code',
        'status',
        'repair_outcome',
        'shortest_until',
        'longest_until',
      ])
      .where('id', '=', id)
      .where('is_current', '=', true)
      .executeTakeFirst();
  }

  /** The outcome a repair of the record would have now; refused with why when it may not be repaired. */
  private refuseIneligible(
    record: NonNullable<Awaited<ReturnType<RepairService['currentRecord']>>>,
    item: Parameters<typeof repairEligibility>[1],
    today: string,
  ): RepairOutcome {
    const e = repairEligibility(
      {
        status: record.status,
        repairOutcome: record.repair_outcome as RepairOutcome | null,
        shortestUntil: record.shortest_until,
        longestUntil: record.longest_until,
      },
      item,
      today,
    );
    if (e.verdict !== 'eligible') {
      throw new RuleViolationError(e.message, { field: 'recordId', value: record.id, rule: e.rule });
    }
    return e.outcome;
  }

  private async visible(
    actor: Actor,
    id: number,
    action: 'repair.read' | 'repair.decide',
  ): Promise<RepairRow> {
    return gateFiled(
      this.db,
      this.protector,
      actor,
      await new RepairsRepository(this.db).byId(id),
      action,
      () => new NotFoundError(msg('repairs.no_application', { id })),
    );
  }

  private async close(
    actor: Actor,
    a: RepairRow,
    d:
      | { status: 'returned'; reasons: string; missing: string[] }
      | { status: 'refused'; reasons: string }
      | {
          status: 'approved';
          reasons: string;
          outcome: RepairOutcome;
          /** A list entry's removal step, taken in this transaction once the application is locked. */
          removal?: (trx: Kysely<Schema>) => Promise<void>;
        },
  ): Promise<RepairView> {
    await this.db.transaction().execute(async (trx) => {
      const repo = new RepairsRepository(trx);
      const locked = await repo.byId(a.id, true);
      if (locked?.status !== 'submitted') {
        throw new ConflictError(msg('repairs.not_submitted', { id: a.id, status: locked?.status ?? '' }), {
          field: 'id',
          value: a.id,
          rule: 'repair.decide_submitted',
        });
      }
      let result: number | null = null;
      if (d.status === 'approved') {
        // The record may have come under objection since the application was checked: not repaired then.
        const now = await trx
          .selectFrom('record')
          .select('status')
          .where('id', '=', a.record_id)
          .forUpdate()
          .executeTakeFirst();
        if (now?.status === 'under_objection') {
          throw new RuleViolationError(msg('records.repair.objection_open'), {
            field: 'id',
            value: a.id,
            rule: 'repair.objection_open',
          });
        }
        await d.removal?.(trx);
      }
      if (d.status === 'approved' && d.outcome !== 'remove_from_list') {
        await lockCommits(trx);
        result =
          (await supersedeRecord(trx, a.record_id, {
            status: 'repaired',
            reason: d.reasons,
            repairOutcome: d.outcome,
          })) ?? null;
        if (result === null) {
          throw new ConflictError(msg('records.not_current', { record: a.record_id }), {
            field: 'id',
            value: a.id,
            rule: 'record.current',
          });
        }
      }
      await repo.update(
        a.id,
        d.status === 'returned'
          ? { status: 'returned', returned_once: true, missing: d.missing.join('\n'), decision: d.reasons }
          : {
              status: d.status,
              decision: d.reasons,
              decided_by: toAuditActor(actor).label,
              decided_at: new Date(),
              ...(d.status === 'approved' ? { outcome: d.outcome, result_record_id: result } : {}),
            },
      );
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: d.status === 'returned' ? 'repair.return' : 'repair.decide',
        target: { kind: 'repair', id: String(a.id) },
        details: {
          record: a.record_id,
          status: d.status,
          reasons: d.reasons,
          ...(d.status === 'returned' ? { missing: d.missing } : {}),
          ...(d.status === 'approved' ? { outcome: d.outcome, result } : {}),
        },
      });
      await tellSubject(trx, a.subject_id, `repair.${d.status}`, {
        application: a.id,
        record: a.record_id,
        status: d.status,
        reasons: d.reasons,
        ...(d.status === 'returned' ? { missing: d.missing } : {}),
        ...(d.status === 'approved' ? { outcome: d.outcome } : {}),
        ...(d.status === 'refused'
          ? {
              remedies: [
                render('zh-CN', msg('objections.remedy.review')),
                render('zh-CN', msg('objections.remedy.litigation')),
              ],
            }
          : {}),
      });
    });
    return this.view(a.id);
  }

  private async view(id: number): Promise<RepairView> {
    const a = await new RepairsRepository(this.db).byId(id);
    if (a === undefined) {
      throw new NotFoundError(msg('repairs.no_application', { id }));
    }
    return (await this.views([a]))[0] as RepairView;
  }

  private async views(rows: readonly RepairRow[]): Promise<RepairView[]> {
    const files = await new RepairsRepository(this.db).attachments(rows.map((r) => r.id));
    const today = this.today();
    return rows.map((a) => ({
      id: a.id,
      recordId: a.record_id,
      item: a.item_code,
      subject: { id: a.subject_id, name: a.subject_name },
      department: a.department_code,
      status: a.status,
      statement: a.statement,
      commitment: a.commitment_text,
      filedBy: a.filed_by,
      filedVia: a.filed_via,
      receivedAs: a.received_as,
      submittedOn: a.submitted_on,
      dueOn: a.due_on,
      pastDue: a.status === 'submitted' && a.due_on < today,
      returnedOnce: a.returned_once,
      missing: a.missing === null ? [] : a.missing.split('\n'),
      outcome: a.outcome as RepairOutcome | null,
      decision: a.decision,
      decidedBy: a.decided_by,
      decidedAt: a.decided_at,
      resultRecordId: a.result_record_id,
      attachments: files
        .filter((f) => f.applicationId === a.id)
        .map((f) => ({ sha256: f.sha256, fileName: f.fileName, mediaType: f.mediaType, bytes: f.bytes })),
    }));
  }
}
