/**
 * The objection procedure (异议): filed by the subject (or by the service desk for it) against one
 * of its records, which is marked under objection at once; decided by the department that supplied
 * the record within the item's working days; upheld → the record is corrected (a new version) or
 * revoked, or a list entry leaves its list by the list's own removal step; rejected → the record
 * gets back the status it had. Each step is audited; the subject is told the outcome, its reasons
 * and its remedies through the outbox.
 */
import type { Kysely } from 'kysely';
import { addDays, type WorkingDayCalendar } from '../../platform/calendar/index.ts';
import {
  ConflictError,
  isUniqueViolation,
  msg,
  NotFoundError,
  render,
  RuleViolationError,
  ValidationError,
  type AttachmentInput,
  type AttachmentStore,
  type AuditWriter,
  type DataProtector,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { can, toAuditActor, type Actor } from '../auth/index.ts';
import type { CatalogService } from '../catalog/index.ts';
import type { IngestService } from '../ingest/index.ts';
import type { ListService } from '../lists/index.ts';
import { lockCommits, masked, RecordService, supersedeRecord, unseal } from '../records/index.ts';
import { applicantSubject, auditFiledRead, filedScope, gateFiled, tellSubject } from '../subjects/index.ts';
import { ObjectionsRepository, type ObjectionRow } from './objections.repository.ts';
import {
  OBJECTION_OVERDUE_DAYS,
  OBJECTION_WORKING_DAYS,
  REMEDIES,
  type DecideRequest,
  type FileRequest,
  type ObjectedRecord,
  type ObjectionView,
} from './objections.types.ts';

/** The record an objection is filed against, as the filing needs it. */
interface Target {
  id: number;
  subject_id: number;
  department_code: string;
  item_code: string;
  status: string;
}

export class ObjectionService {
  private readonly records: RecordService;

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly protector: DataProtector,
    private readonly catalog: CatalogService,
    private readonly ingest: IngestService,
    private readonly lists: ListService,
    private readonly attachments: AttachmentStore,
    private readonly calendar: () => WorkingDayCalendar,
    private readonly today: () => string,
  ) {
    this.records = new RecordService(audit);
  }

  /** Files an objection; the record is under objection when this returns. */
  async file(actor: Actor, request: FileRequest): Promise<ObjectionView> {
    const subject = await applicantSubject(
      this.db,
      this.protector,
      actor,
      request.forSubject,
      { own: 'subject.object', forOthers: 'objection.file_for' },
      () => new NotFoundError(msg('objections.no_record', { record: request.recordId })),
    );
    const target = await this.db
      .selectFrom('record')
      .select(['id', 'subject_id', 'department_code', 'item_code', 'status'])
      .where('id', '=', request.recordId)
      .where('is_current', '=', true)
      .executeTakeFirst();
    // Someone else's record answers exactly like a missing one.
    if (target === undefined || target.subject_id !== subject.id) {
      throw new NotFoundError(msg('objections.no_record', { record: request.recordId }));
    }
    this.refuseStatus(target);
    const reasons = request.reasons.trim();
    if (reasons === '') {
      throw new ValidationError(msg('objections.reasons_required'), {
        field: 'reasons',
        value: '',
        rule: 'objection.reasons',
      });
    }
    const item = (await this.catalog.item(target.item_code)).definition;
    const files: readonly AttachmentInput[] = request.attachments ?? [];
    const checked = await this.attachments.check(files);
    const filedOn = this.today();
    const workingDays = item.objectionWorkingDays ?? OBJECTION_WORKING_DAYS;
    const dueOn = this.calendar().addWorkingDays(filedOn, workingDays).value;
    await this.attachments.write(files, checked);
    const id = await this.db.transaction().execute(async (trx) => {
      const repo = new ObjectionsRepository(trx);
      const prior = await this.records.setStatus(trx, actor, {
        recordId: target.id,
        status: 'under_objection',
        reason: render('zh-CN', msg('objections.status_reason')),
      });
      this.refuseStatus({ ...target, status: prior }); // read again, locked
      const made = await repo
        .insert({
          recordId: target.id,
          subjectId: subject.id,
          department: target.department_code,
          filedBy: toAuditActor(actor).label,
          filedVia: request.forSubject === undefined ? 'account' : 'service_desk',
          receivedAs: request.forSubject?.receivedAs ?? null,
          reasons,
          priorStatus: prior,
          filedOn,
          dueOn,
          overdueOn: addDays(filedOn, OBJECTION_OVERDUE_DAYS),
        })
        .catch((err: unknown) => {
          throw isUniqueViolation(err, 'objection_open') ? this.alreadyOpen(target.id) : err;
        });
      await this.attachments.remember(trx, checked);
      await repo.attach(made, checked);
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'objection.file',
        target: { kind: 'objection', id: String(made) },
        details: {
          record: target.id,
          subject: subject.id,
          department: target.department_code,
          via: request.forSubject === undefined ? 'account' : 'service_desk',
          dueOn,
          attachments: checked.map((f) => f.sha256),
        },
      });
      await repo.tell({ kind: 'department', id: target.department_code }, 'objection.filed', {
        objection: made,
        record: target.id,
        dueOn,
      });
      return made;
    });
    return this.view(id);
  }

  /** The department's decision; refused unless the objection is open and the record is its own. */
  async decide(actor: Actor, id: number, request: DecideRequest): Promise<ObjectionView> {
    const o = await this.visible(actor, id, 'objection.decide');
    if (o.status !== 'open') {
      throw new ConflictError(msg('objections.decided', { id, status: o.status }), {
        field: 'id',
        value: id,
        rule: 'objection.open',
      });
    }
    const decision = request.decision.trim();
    if (decision === '') {
      throw new ValidationError(msg('objections.decision_required'), {
        field: 'decision',
        value: '',
        rule: 'objection.decision',
      });
    }
    if (request.outcome === 'rejected') {
      return this.close(actor, o, { status: 'rejected', outcome: 'rejected', decision, restore: true });
    }
    const listed = await this.lists.listedCaseOf(o.record_id);
    if (listed !== undefined) {
      // A list entry leaves its list only by its case's removal step, with its decision document.
      if (request.documentNumber === undefined || request.documentNumber.trim() === '') {
        throw new ValidationError(msg('objections.document_required'), {
          field: 'documentNumber',
          value: '',
          rule: 'objection.list_removal',
        });
      }
      const removal = await this.lists.prepareStep(actor, listed, {
        step: 'remove',
        reason: 'error',
        note: decision,
        documentNumber: request.documentNumber,
      });
      return this.close(actor, o, {
        status: 'upheld',
        outcome: 'removed',
        decision,
        restore: false,
        removal,
      });
    }
    const correction = request.correction;
    if (correction === undefined) {
      throw new ValidationError(msg('objections.correction_required'), {
        field: 'correction',
        value: '',
        rule: 'objection.correction',
      });
    }
    if ('revoke' in correction) {
      return this.close(actor, o, { status: 'upheld', outcome: 'revoked', decision, restore: false });
    }
    await this.correct(actor, o, correction.fields);
    return this.close(actor, o, { status: 'upheld', outcome: 'corrected', decision, restore: false });
  }

  async read(actor: Actor, id: number): Promise<ObjectionView> {
    const o = await this.visible(actor, id, 'objection.read');
    await auditFiledRead(this.db, this.audit, actor, 'objection', [o.id]);
    const view = (await this.views([o]))[0] as ObjectionView;
    // The department that decides reads the record it is asked to correct or revoke.
    if (can(actor, 'record.read', { department: o.department_code }).allowed) {
      const record = await this.objectedRecord(o.record_id);
      if (record !== undefined) {
        view.record = record;
      }
    }
    return view;
  }

  /** The record objected to as it stands now, its personal values masked. */
  private async objectedRecord(recordId: number): Promise<ObjectedRecord | undefined> {
    const r = await this.db
      .selectFrom('record')
      .select(['status', 'decision_date', 'identity_key', 'payload'])
      .where('id', '=', recordId)
      .executeTakeFirst();
    if (r === undefined) {
      return undefined;
    }
    return {
      status: r.status,
      decisionDate: r.decision_date,
      documentNumber: r.identity_key,
      fields: Object.entries((r.payload ?? {}) as Record<string, unknown>).map(([key, value]) => ({
        key,
        value: typeof value === 'number' ? String(value) : masked(value),
      })),
      listCase: (await this.lists.listedCaseOf(recordId)) ?? null,
    };
  }

  /**
   * Objections the actor may see: a subject its own, a reviewer its department's, the service
   * desk, the administrator and the auditor all; `overdue`: open cases past their overdue day.
   */
  async list(
    actor: Actor,
    filter: { status?: 'open' | 'upheld' | 'rejected'; overdue?: boolean; limit?: number } = {},
  ): Promise<ObjectionView[]> {
    const scope = await filedScope(this.db, this.protector, actor, 'objection.read');
    const rows = await new ObjectionsRepository(this.db).list({
      ...scope,
      ...(filter.status === undefined ? {} : { status: filter.status }),
      ...(filter.overdue === true ? { overdueOn: this.today() } : {}),
      limit: Math.min(Math.max(filter.limit ?? 100, 1), 500),
    });
    await auditFiledRead(
      this.db,
      this.audit,
      actor,
      'objection',
      rows.map((r) => r.id),
    );
    return this.views(rows);
  }

  /** An attachment of an objection, for those who may read the objection. */
  async attachment(
    actor: Actor,
    id: number,
    sha256: string,
  ): Promise<{ content: Buffer; mediaType: string; fileName: string }> {
    const o = await this.visible(actor, id, 'objection.read');
    const meta = (await new ObjectionsRepository(this.db).attachments([o.id])).find(
      (a) => a.sha256 === sha256,
    );
    const content = meta === undefined ? undefined : await this.attachments.read(sha256);
    if (meta === undefined || content === undefined) {
      throw new NotFoundError(msg('objections.no_attachment', { id }));
    }
    await auditFiledRead(this.db, this.audit, actor, 'objection', [o.id], { attachment: sha256 });
    return { content, mediaType: meta.mediaType, fileName: meta.fileName };
  }

  private refuseStatus(target: Target): void {
    if (target.status === 'under_objection') {
      throw this.alreadyOpen(target.id);
    }
    if (target.status === 'revoked' || target.status === 'repaired') {
      throw new RuleViolationError(
        msg('objections.record_ended', { record: target.id, status: target.status }),
        {
          field: 'recordId',
          value: target.id,
          rule: 'objection.record_status',
        },
      );
    }
  }

  private alreadyOpen(recordId: number): ConflictError {
    return new ConflictError(msg('objections.open', { record: recordId }), {
      field: 'recordId',
      value: recordId,
      rule: 'objection.one_open',
    });
  }

  /** The objection, when the actor may take `action` on it; otherwise answered like a missing one. */
  private async visible(
    actor: Actor,
    id: number,
    action: 'objection.read' | 'objection.decide',
  ): Promise<ObjectionRow> {
    return gateFiled(
      this.db,
      this.protector,
      actor,
      await new ObjectionsRepository(this.db).byId(id),
      action,
      () => new NotFoundError(msg('objections.no_objection', { id })),
    );
  }

  /**
   * The corrected record, sent as the department's own one-row batch (so every rule of ingest
   * applies and the correction becomes the record's next version); refused with the row's reasons.
   */
  private async correct(
    actor: Actor,
    o: ObjectionRow,
    fields: Readonly<Record<string, string>>,
  ): Promise<void> {
    const record = await this.db
      .selectFrom('record')
      .select(['payload', 'item_code', 'department_code'])
      .where('id', '=', o.record_id)
      .where('is_current', '=', true)
      .executeTakeFirst();
    if (record === undefined) {
      throw new ConflictError(msg('records.not_current', { record: o.record_id }), {
        field: 'id',
        value: o.id,
        rule: 'record.current',
      });
    }
    const item = (await this.catalog.item(record.item_code)).definition;
    const payload = record.payload as Record<string, unknown>;
    const known = new Set(item.fields.map((f) => f.key));
    const fixed = new Set(
      item.fields.filter((f) => f.role !== undefined && f.role.startsWith('subject')).map((f) => f.key),
    );
    for (const [key, value] of Object.entries(fields)) {
      if (!known.has(key) || fixed.has(key)) {
        throw new ValidationError(msg('objections.correction_field', { field: key, item: item.code }), {
          field: `correction.fields.${key}`,
          value: String(value).slice(0, 64),
          rule: known.has(key) ? 'objection.correction_subject' : 'objection.correction_field',
        });
      }
    }
    const row = Object.fromEntries(
      item.fields.map((f) => [f.nameZh, fields[f.key] ?? unseal(this.protector, payload[f.key])]),
    );
    const system: Actor = { kind: 'system', name: `objection:${o.id}:${toAuditActor(actor).label}` };
    const sent = await this.ingest.ingestOne(system, {
      department: record.department_code,
      item: record.item_code,
      record: row,
      correctsObjected: o.record_id,
    });
    if (sent.recordId === undefined) {
      throw new RuleViolationError(
        msg('objections.correction_refused', {
          batch: sent.batchId,
          reasons: sent.reasons === '' ? msg('objections.unchanged') : sent.reasons,
        }),
        { field: 'correction.fields', value: sent.batchId, rule: 'objection.correction_valid' },
      );
    }
  }

  private async close(
    actor: Actor,
    o: ObjectionRow,
    d: {
      status: 'upheld' | 'rejected';
      outcome: 'corrected' | 'revoked' | 'removed' | 'rejected';
      decision: string;
      restore: boolean;
      /** A list entry's removal step, taken in this transaction once the objection is locked and open. */
      removal?: (trx: Kysely<Schema>) => Promise<void>;
    },
  ): Promise<ObjectionView> {
    await this.db.transaction().execute(async (trx) => {
      const repo = new ObjectionsRepository(trx);
      const locked = await repo.byId(o.id, true);
      if (locked?.status !== 'open') {
        throw new ConflictError(msg('objections.decided', { id: o.id, status: locked?.status ?? '' }), {
          field: 'id',
          value: o.id,
          rule: 'objection.open',
        });
      }
      let result: number | null = null;
      await d.removal?.(trx);
      if (d.outcome === 'revoked') {
        await lockCommits(trx);
        result =
          (await supersedeRecord(trx, o.record_id, {
            status: 'revoked',
            reason: d.decision,
            repairOutcome: null,
          })) ?? null;
        if (result === null) {
          throw new ConflictError(msg('records.not_current', { record: o.record_id }), {
            field: 'id',
            value: o.id,
            rule: 'record.current',
          });
        }
      } else if (d.restore) {
        // The record gets back the status it had, unless a later version has replaced it meanwhile.
        const current = await repo.currentVersionOf(o.record_id);
        if (current === o.record_id) {
          await this.records.setStatus(trx, actor, {
            recordId: o.record_id,
            status: o.prior_status as 'active',
            reason: d.decision,
          });
        }
        result = current ?? null;
      } else {
        result = (await repo.currentVersionOf(o.record_id)) ?? null;
      }
      await repo.decide(o.id, {
        status: d.status,
        outcome: d.outcome,
        decision: d.decision,
        decidedBy: toAuditActor(actor).label,
        resultRecordId: result,
      });
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'objection.decide',
        target: { kind: 'objection', id: String(o.id) },
        details: { record: o.record_id, outcome: d.outcome, result, decision: d.decision },
      });
      await tellSubject(trx, o.subject_id, 'objection.decided', {
        objection: o.id,
        record: o.record_id,
        outcome: d.outcome,
        decision: d.decision,
        remedies: REMEDIES.map((key) => ({ key, zh: render('zh-CN', msg(key)), en: render('en', msg(key)) })),
      });
    });
    return this.view(o.id);
  }

  private async view(id: number): Promise<ObjectionView> {
    const o = await new ObjectionsRepository(this.db).byId(id);
    if (o === undefined) {
      throw new NotFoundError(msg('objections.no_objection', { id }));
    }
    return (await this.views([o]))[0] as ObjectionView;
  }

  private async views(rows: readonly ObjectionRow[]): Promise<ObjectionView[]> {
    const files = await new ObjectionsRepository(this.db).attachments(rows.map((r) => r.id));
    const today = this.today();
    return rows.map((o) => ({
      id: o.id,
      recordId: o.record_id,
      item: o.item_code,
      subject: { id: o.subject_id, name: o.subject_name },
      department: o.department_code,
      status: o.status,
      priorStatus: o.prior_status,
      reasons: o.reasons,
      filedBy: o.filed_by,
      filedVia: o.filed_via,
      receivedAs: o.received_as,
      filedOn: o.filed_on,
      dueOn: o.due_on,
      overdueOn: o.overdue_on,
      overdue: o.status === 'open' && o.overdue_on < today,
      pastDue: o.status === 'open' && o.due_on < today,
      outcome: o.outcome,
      decision: o.decision,
      decidedBy: o.decided_by,
      decidedAt: o.decided_at,
      resultRecordId: o.result_record_id,
      attachments: files
        .filter((f) => f.objectionId === o.id)
        .map((f) => ({ sha256: f.sha256, fileName: f.fileName, mediaType: f.mediaType, bytes: f.bytes })),
    }));
  }
}
