/**
 * Credit commitments (信用承诺): the subject signs the standard text of its kind for a matter of a
 * department, with the day it is to be fulfilled by; the signed commitment becomes a record of the
 * catalog's credit_commitment item, disclosed as the catalog says. The department records
 * fulfilment, or a breach, which becomes a record of breached_commitment. Both records are written
 * as the department's own one-row batches, so every rule of ingest applies and records/ versions
 * them; each step is audited and the subject told of the outcome.
 */
import type { Kysely } from 'kysely';
import { addMonths, isCivilDate } from '../../platform/calendar/index.ts';
import {
  ConflictError,
  msg,
  NotFoundError,
  RuleViolationError,
  ValidationError,
  type AuditWriter,
  type DataProtector,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, toAuditActor, type Actor } from '../auth/index.ts';
import type { IngestService } from '../ingest/index.ts';
import { auditFiledRead, filedScope, gateFiled, ownSubject, tellSubject } from '../subjects/index.ts';
import { CommitmentsRepository, type CommitmentRow } from './commitments.repository.ts';
import {
  COMMITMENT_KINDS,
  COMMITMENT_TEXTS,
  type CommitmentOutcome,
  type CommitmentStandard,
  type CommitmentView,
  type SignRequest,
} from './commitments.types.ts';

/** A commitment is fulfilled within 5 years at the latest (the longest display period of the catalog). */
const LONGEST_MONTHS = 60;

export class CommitmentService {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly protector: DataProtector,
    private readonly ingest: IngestService,
    private readonly today: () => string,
  ) {}

  async sign(actor: Actor, request: SignRequest): Promise<CommitmentView> {
    authorize(actor, 'commitment.sign', { subject: actor.kind === 'user' ? actor.subject : undefined });
    const subject = await ownSubject(this.db, this.protector, actor);
    const today = this.today();
    if (!(COMMITMENT_KINDS as readonly string[]).includes(request.kind)) {
      throw new ValidationError(msg('commitments.kind', { kinds: COMMITMENT_KINDS.join(', ') }), {
        field: 'kind',
        value: String(request.kind).slice(0, 40),
        rule: 'commitment.kind',
      });
    }
    const matter = request.matter.trim();
    if (matter === '') {
      throw new ValidationError(msg('commitments.matter'), {
        field: 'matter',
        value: '',
        rule: 'commitment.matter',
      });
    }
    const latest = addMonths(today, LONGEST_MONTHS);
    if (!isCivilDate(request.fulfilBy) || request.fulfilBy < today || request.fulfilBy > latest) {
      throw new ValidationError(msg('commitments.fulfil_by', { today, latest }), {
        field: 'fulfilBy',
        value: request.fulfilBy.slice(0, 20),
        rule: 'commitment.fulfil_by',
      });
    }
    const department = await new CommitmentsRepository(this.db).department(request.department);
    if (department === undefined) {
      throw new NotFoundError(msg('commitments.no_department', { code: request.department }));
    }
    const standard = COMMITMENT_TEXTS[request.kind];
    const text = standard.text.replace('{matter}', matter).replace('{fulfilBy}', request.fulfilBy);
    const code = actor.kind === 'user' ? (actor.subject ?? '') : '';
    const recordId = await this.send(actor, department, 'credit_commitment', {
      ...this.subjectCells(subject, code),
      承诺类型: standard.type,
      承诺事项: matter,
      承诺内容: text,
      承诺日期: today,
      承诺期限至: request.fulfilBy,
      承诺受理单位: department.name,
      承诺受理单位统一社会信用代码: department.uscc ?? '',
    });
    const id = await this.db.transaction().execute(async (trx) => {
      const made = await new CommitmentsRepository(trx).insert({
        subject_id: subject.id,
        department_code: department.code,
        kind: request.kind,
        matter,
        text,
        signed_by: toAuditActor(actor).label,
        signed_on: today,
        fulfil_by: request.fulfilBy,
        record_id: recordId,
      });
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'commitment.sign',
        target: { kind: 'commitment', id: String(made) },
        details: {
          subject: subject.id,
          department: department.code,
          kind: request.kind,
          fulfilBy: request.fulfilBy,
          record: recordId,
        },
      });
      return made;
    });
    return this.view(id);
  }

  /** The department records fulfilment, or a breach (which becomes a breached_commitment record). */
  async decide(actor: Actor, id: number, outcome: CommitmentOutcome): Promise<CommitmentView> {
    const c = await this.visible(actor, id, 'commitment.decide');
    if (c.status !== 'signed') {
      throw new ConflictError(msg('commitments.decided', { id, status: c.status }), {
        field: 'id',
        value: id,
        rule: 'commitment.open',
      });
    }
    const note = outcome.note.trim();
    if (note === '') {
      throw new ValidationError(msg('commitments.note'), {
        field: 'note',
        value: '',
        rule: 'commitment.note',
      });
    }
    let breachRecordId: number | null = null;
    if (outcome.outcome === 'breached') {
      const department = await new CommitmentsRepository(this.db).department(c.department_code);
      const code = await new CommitmentsRepository(this.db).code(c.subject_id);
      const subject = await this.db
        .selectFrom('subject')
        .select(['id', 'kind', 'name', 'name_encrypted'])
        .where('id', '=', c.subject_id)
        .executeTakeFirstOrThrow();
      const clearCode =
        code?.value ??
        (code?.sealed === null || code === undefined ? '' : this.protector.decrypt(code.sealed));
      breachRecordId = await this.send(
        actor,
        department ?? { code: c.department_code, name: c.department_code, uscc: null },
        'breached_commitment',
        {
          ...this.subjectCells(subject, clearCode),
          原承诺事项: c.matter,
          违诺情形: note,
          认定文书号: outcome.documentNumber,
          认定日期: this.today(),
          认定部门: department?.name ?? c.department_code,
          认定部门统一社会信用代码: department?.uscc ?? '',
        },
      );
    }
    await this.db.transaction().execute(async (trx) => {
      const repo = new CommitmentsRepository(trx);
      await repo.decide(id, {
        status: outcome.outcome,
        note,
        decidedBy: toAuditActor(actor).label,
        breachRecordId,
      });
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'commitment.decide',
        target: { kind: 'commitment', id: String(id) },
        details: { outcome: outcome.outcome, note, breachRecord: breachRecordId },
      });
      await tellSubject(trx, c.subject_id, `commitment.${outcome.outcome}`, {
        commitment: id,
        outcome: outcome.outcome,
        note,
        breachRecord: breachRecordId,
      });
    });
    return this.view(id);
  }

  async read(actor: Actor, id: number): Promise<CommitmentView> {
    const c = await this.visible(actor, id, 'commitment.read');
    await auditFiledRead(this.db, this.audit, actor, 'commitment', [c.id]);
    return this.toView(c);
  }

  /** A subject's own commitments; a reviewer's department's, the ones past their day first. */
  /**
   * What a subject chooses from before signing: each kind's standard text (with `{matter}` and
   * `{fulfilBy}` to fill in, exactly as signing fills them), the departments a commitment may be
   * made to, and the range of days it may be fulfilled by.
   */
  async standard(actor: Actor): Promise<CommitmentStandard> {
    authorize(actor, 'commitment.sign', { subject: actor.kind === 'user' ? actor.subject : undefined });
    const today = this.today();
    const departments = await new CommitmentsRepository(this.db).departments();
    return {
      kinds: COMMITMENT_KINDS.map((kind) => ({
        kind,
        type: COMMITMENT_TEXTS[kind].type,
        text: COMMITMENT_TEXTS[kind].text,
      })),
      departments,
      fulfilBy: { earliest: today, latest: addMonths(today, LONGEST_MONTHS) },
    };
  }

  async list(actor: Actor): Promise<CommitmentView[]> {
    const scope = await filedScope(this.db, this.protector, actor, 'commitment.read');
    const rows = await new CommitmentsRepository(this.db).list({ ...scope, limit: 500 });
    await auditFiledRead(
      this.db,
      this.audit,
      actor,
      'commitment',
      rows.map((c) => c.id),
    );
    return rows.map((c) => this.toView(c));
  }

  private subjectCells(
    subject: { kind: string; name: string; name_encrypted: string | null },
    code: string,
  ): Record<string, string> {
    const person = subject.kind === 'natural_person';
    return {
      主体名称:
        person && subject.name_encrypted !== null
          ? this.protector.decrypt(subject.name_encrypted)
          : subject.name,
      ...(person ? { 证件号码: code } : { 统一社会信用代码: code }),
    };
  }

  /** One row as the department's own batch; the record it made, or the row's reasons. */
  private async send(
    actor: Actor,
    department: { code: string; name: string; uscc: string | null },
    item: 'credit_commitment' | 'breached_commitment',
    row: Record<string, string>,
  ): Promise<number> {
    const system: Actor = { kind: 'system', name: `commitment:${toAuditActor(actor).label}` };
    const sent = await this.ingest.ingestOne(system, {
      department: department.code,
      item,
      record: { ...row, 数据来源单位: department.name, 数据来源单位统一社会信用代码: department.uscc ?? '' },
    });
    if (sent.recordId === undefined) {
      throw new RuleViolationError(
        msg('commitments.refused', { batch: sent.batchId, reasons: sent.reasons }),
        {
          field: item,
          value: sent.batchId,
          rule: 'commitment.record_valid',
        },
      );
    }
    return sent.recordId;
  }

  private async visible(
    actor: Actor,
    id: number,
    action: 'commitment.read' | 'commitment.decide',
  ): Promise<CommitmentRow> {
    return gateFiled(
      this.db,
      this.protector,
      actor,
      await new CommitmentsRepository(this.db).byId(id),
      action,
      () => new NotFoundError(msg('commitments.no_commitment', { id })),
    );
  }

  private async view(id: number): Promise<CommitmentView> {
    const c = await new CommitmentsRepository(this.db).byId(id);
    if (c === undefined) {
      throw new NotFoundError(msg('commitments.no_commitment', { id }));
    }
    return this.toView(c);
  }

  private toView(c: CommitmentRow): CommitmentView {
    return {
      id: c.id,
      kind: c.kind,
      subject: { id: c.subject_id, name: c.subject_name },
      department: c.department_code,
      matter: c.matter,
      text: c.text,
      signedBy: c.signed_by,
      signedOn: c.signed_on,
      fulfilBy: c.fulfil_by,
      overdue: c.status === 'signed' && c.fulfil_by < this.today(),
      status: c.status,
      outcomeNote: c.outcome_note,
      decidedBy: c.decided_by,
      decidedAt: c.decided_at,
      recordId: c.record_id,
      breachRecordId: c.breach_record_id,
    };
  }
}
