/**
 * Reports of suspected dishonest conduct from the public (举报): anyone, with no account, names a
 * subject and a domain; the report goes to the department competent for that domain (the one of the
 * subject's division first), which acknowledges it and answers within working days. The reporter
 * follows it by a receipt code shown once, kept only as its SHA-256 and valid until a year after
 * the case closes. Who reported is sealed: read only by the handling department and the auditor,
 * never by the subject or the public. A report changes no record: the department acts through its
 * own procedures.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { addDays, addMonths, type WorkingDayCalendar } from '../../platform/calendar/index.ts';
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
import { authorize, PUBLIC, toAuditActor, type Actor } from '../auth/index.ts';
import { maskCitizenId, validate as validateCode } from '../identifiers/index.ts';
import { subjectByCode } from '../subjects/index.ts';
import { ConductReportsRepository, type ConductReportRow } from './conduct-reports.repository.ts';

export interface ConductReportRequest {
  subjectName: string;
  subjectCode?: string;
  domain: string;
  description: string;
  reporter?: { name?: string; contact?: string };
}

/** What the reporter sees by the receipt code: never who the subject is told reported it. */
export interface ReceiptView {
  status: ConductReportRow['status'];
  department: string;
  departmentName: string;
  receivedOn: string;
  acknowledgeBy: string;
  answerBy: string;
  acknowledged: boolean;
  answer: string | null;
  answeredOn: string | null;
}

export interface ConductReportView extends ReceiptView {
  id: number;
  subject: { name: string; code: string | null; id: number | null };
  domain: string;
  description: string;
  /** Only for the handling department and the auditor. */
  reporter: { name?: string; contact?: string } | null;
}

/** Receipt codes: 20 characters of an alphabet without look-alikes (100 bits). */
const RECEIPT_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

function receiptCode(): string {
  return [...randomBytes(20)].map((b) => RECEIPT_ALPHABET[b % 32]).join('');
}

const receiptHash = (code: string) => createHash('sha256').update(code.trim().toUpperCase()).digest('hex');

export class ConductReportService {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly protector: DataProtector,
    private readonly calendar: () => WorkingDayCalendar,
    private readonly today: () => string,
    private readonly days: { acknowledgeWorkingDays: number; answerWorkingDays: number },
  ) {}

  /** Files a report; returns its receipt code (shown once) and what the reporter may follow. */
  async file(request: ConductReportRequest): Promise<{ receipt: string; report: ReceiptView }> {
    const description = request.description.trim();
    if (description === '') {
      throw new ValidationError(msg('conduct_reports.description'), {
        field: 'description',
        value: '',
        rule: 'conduct_report.description',
      });
    }
    let subjectId: number | null = null;
    let shownCode = '';
    const code = request.subjectCode?.trim() ?? '';
    if (code !== '') {
      const v = validateCode(code);
      if (!v.valid) {
        throw new ValidationError(msg('conduct_reports.code'), {
          field: 'subjectCode',
          value: code.slice(0, 64),
          rule: 'identifier.valid',
        });
      }
      subjectId = (await subjectByCode(this.db, this.protector, code, 'subjectCode'))?.id ?? null;
      // A person's ID number is kept masked: the subject is found by it now, never read back.
      shownCode =
        v.kind === 'citizen_id' || v.kind === 'citizen_id15' ? maskCitizenId(v.normalized) : v.normalized;
    }
    const repo = new ConductReportsRepository(this.db);
    const department = await repo.competent(request.domain);
    if (department === undefined) {
      throw new RuleViolationError(msg('conduct_reports.no_department', { domain: request.domain }), {
        field: 'domain',
        value: request.domain.slice(0, 64),
        rule: 'conduct_report.domain',
      });
    }
    const today = this.today();
    const calendar = this.calendar();
    const receipt = receiptCode();
    const reporter = request.reporter ?? {};
    const hasReporter = (reporter.name ?? '').trim() !== '' || (reporter.contact ?? '').trim() !== '';
    const id = await this.db.transaction().execute(async (trx) => {
      const made = await new ConductReportsRepository(trx).insert({
        receipt_hash: receiptHash(receipt),
        subject_name: request.subjectName.trim(),
        subject_code: code === '' ? null : shownCode,
        subject_id: subjectId,
        domain: request.domain,
        department_code: department,
        description,
        reporter_sealed: hasReporter ? this.protector.encrypt(JSON.stringify(reporter)) : null,
        received_on: today,
        acknowledge_by: calendar.addWorkingDays(today, this.days.acknowledgeWorkingDays).value,
        answer_by: calendar.addWorkingDays(today, this.days.answerWorkingDays).value,
      });
      await this.audit.append(trx, {
        actor: toAuditActor(PUBLIC),
        action: 'conduct_report.file',
        target: { kind: 'conduct_report', id: String(made) },
        // Who reported is not in the event: the chain is read by more people than the department.
        details: { department, domain: request.domain, subject: subjectId, identified: hasReporter },
      });
      return made;
    });
    return { receipt, report: this.receiptView((await repo.byId(id)) as ConductReportRow) };
  }

  /** The reporter's view by the receipt code; an unknown or expired code answers alike, with the rule. */
  async follow(receipt: string): Promise<ReceiptView> {
    const r = await new ConductReportsRepository(this.db).byReceipt(receiptHash(receipt));
    if (r === undefined) {
      throw new NotFoundError(msg('conduct_reports.no_receipt'));
    }
    if (r.answered_on !== null && addMonths(r.answered_on, 12) < this.today()) {
      throw new RuleViolationError(
        msg('conduct_reports.receipt_expired', { until: addMonths(r.answered_on, 12) }),
        {
          field: 'receipt',
          rule: 'conduct_report.receipt_expired',
        },
      );
    }
    return this.receiptView(r);
  }

  /** The department's reports (the auditor's: all), with who reported; each read is audited. */
  async list(actor: Actor): Promise<ConductReportView[]> {
    const department = actor.kind === 'user' || actor.kind === 'token' ? actor.department?.code : undefined;
    authorize(actor, 'conduct_report.read', department === undefined ? {} : { department });
    const rows = await new ConductReportsRepository(this.db).list(department);
    await this.auditRead(
      actor,
      rows.map((r) => r.id),
    );
    return rows.map((r) => this.view(r));
  }

  async acknowledge(actor: Actor, id: number): Promise<ConductReportView> {
    const r = await this.handled(actor, id);
    if (r.status !== 'received') {
      throw new ConflictError(msg('conduct_reports.step', { id, status: r.status }), {
        field: 'id',
        value: id,
        rule: 'conduct_report.step',
      });
    }
    return this.step(actor, r, 'conduct_report.acknowledge', {
      status: 'acknowledged',
      acknowledged_at: new Date(),
    });
  }

  async answer(actor: Actor, id: number, answer: string): Promise<ConductReportView> {
    const r = await this.handled(actor, id);
    if (r.status !== 'acknowledged') {
      throw new ConflictError(msg('conduct_reports.step', { id, status: r.status }), {
        field: 'id',
        value: id,
        rule: 'conduct_report.step',
      });
    }
    const text = answer.trim();
    if (text === '') {
      throw new ValidationError(msg('conduct_reports.answer'), {
        field: 'answer',
        value: '',
        rule: 'conduct_report.answer',
      });
    }
    return this.step(actor, r, 'conduct_report.answer', {
      status: 'answered',
      answer: text,
      answered_on: this.today(),
    });
  }

  /**
   * Who reported is kept for the audit retention period after the answer, then forgotten (the
   * report stays, without it). Returns how many reports forgot their reporter.
   */
  async forgetReporters(retentionDays: number): Promise<number> {
    const before = addDays(this.today(), -retentionDays);
    return this.db.transaction().execute(async (trx) => {
      const forgotten = await new ConductReportsRepository(trx).forgetReporters(before);
      if (forgotten > 0) {
        await this.audit.append(trx, {
          actor: { label: 'system:retention' },
          action: 'conduct_report.forget_reporters',
          details: { reports: forgotten, answeredBefore: before },
        });
      }
      return forgotten;
    });
  }

  private async handled(actor: Actor, id: number): Promise<ConductReportRow> {
    const r = await new ConductReportsRepository(this.db).byId(id);
    if (r === undefined) {
      throw new NotFoundError(msg('conduct_reports.no_report', { id }));
    }
    try {
      authorize(actor, 'conduct_report.handle', { department: r.department_code }, { hide: true });
    } catch (err) {
      throw err instanceof NotFoundError ? new NotFoundError(msg('conduct_reports.no_report', { id })) : err;
    }
    return r;
  }

  private async step(
    actor: Actor,
    r: ConductReportRow,
    action: 'conduct_report.acknowledge' | 'conduct_report.answer',
    change: Parameters<ConductReportsRepository['update']>[2],
  ): Promise<ConductReportView> {
    await this.db.transaction().execute(async (trx) => {
      if (!(await new ConductReportsRepository(trx).update(r.id, r.status, change))) {
        throw new ConflictError(msg('conduct_reports.step', { id: r.id, status: r.status }), {
          field: 'id',
          value: r.id,
          rule: 'conduct_report.step',
        });
      }
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action,
        target: { kind: 'conduct_report', id: String(r.id) },
        details: { status: change.status },
      });
    });
    return this.view((await new ConductReportsRepository(this.db).byId(r.id)) as ConductReportRow);
  }

  private async auditRead(actor: Actor, ids: readonly number[]): Promise<void> {
    await this.db.transaction().execute((trx) =>
      this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'conduct_report.read',
        target: { kind: 'conduct_report', id: `${ids.length} reports` },
        details: { ids: ids.slice(0, 500) },
      }),
    );
  }

  private receiptView(r: ConductReportRow): ReceiptView {
    return {
      status: r.status,
      department: r.department_code,
      departmentName: r.department_name ?? r.department_code,
      receivedOn: r.received_on,
      acknowledgeBy: r.acknowledge_by,
      answerBy: r.answer_by,
      acknowledged: r.acknowledged_at !== null,
      answer: r.answer,
      answeredOn: r.answered_on,
    };
  }

  private view(r: ConductReportRow): ConductReportView {
    return {
      ...this.receiptView(r),
      id: r.id,
      subject: { name: r.subject_name, code: r.subject_code, id: r.subject_id },
      domain: r.domain,
      description: r.description,
      reporter:
        r.reporter_sealed === null
          ? null
          : (JSON.parse(this.protector.decrypt(r.reporter_sealed)) as { name?: string; contact?: string }),
    };
  }
}
