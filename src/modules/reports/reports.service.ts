/**
 * Credit reports: issued for the audience the type names, built by the same disclosure decision as
 * the credit file, signed with the platform's key, stored exactly as issued and audited; confirmed
 * by number and verification code without revealing their content.
 */
import type { Kysely } from 'kysely';
import { todayInShanghai } from '../../platform/calendar/index.ts';
import {
  canonicalJson,
  ForbiddenError,
  isUniqueViolation,
  msg,
  NotFoundError,
  t,
  ValidationError,
  type AuditWriter,
  type Locale,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { toAuditActor, type Actor } from '../auth/index.ts';
import type { CatalogService, Category } from '../catalog/index.ts';
import { MATTERS, type Audience, type CreditFileService } from '../disclosure/index.ts';
import type { KeyRegistry, PublishedKey } from '../keys/index.ts';
import type { SubjectRow } from '../subjects/index.ts';
import { REPORT_LOCALE, reportContent } from './reports.content.ts';
import { ReportsRepository, type ReportRow } from './reports.repository.ts';
import {
  codeHash,
  fingerprintOf,
  newReportNumber,
  newVerificationCode,
  normaliseCode,
  signReport,
  verifyReportJson,
  type ReportCheck,
} from './reports.signing.ts';
import { REPORT_TYPES, type ReportRequest, type ReportType, type SignedReport } from './reports.types.ts';
import { renderHtml } from './reports.html.ts';
import { renderPdf } from './reports.pdf.ts';
import { verifyReportFile, type FileCheck } from './reports.verify.ts';
import { specialDomains, specialWindow } from './reports.window.ts';

export const REPORT_FORMATS = ['json', 'html', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface IssuedReport {
  number: string;
  /** The verification code printed on the report: with the number, it confirms the report online. */
  code: string;
  type: ReportType;
  fingerprint: string;
  signed: SignedReport;
  /** The signed JSON exactly as stored. */
  text: string;
}

export interface Verification {
  number: string;
  type: ReportType;
  issuedAt: string;
  fingerprint: string;
  keyId: string;
  algorithm: string;
  verdict: ReportCheck['verdict'];
  message: string;
}

const DEPARTMENT_ROLES = new Set(['credit_officer', 'reviewer', 'data_clerk', 'platform_admin']);

export class ReportService {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly files: CreditFileService,
    private readonly catalog: CatalogService,
    private readonly keys: KeyRegistry,
    private readonly options: {
      publicUrl: string;
      issuerName?: string;
      today?: () => string;
      now?: () => Date;
      /** Where the public's reads (a report by number and code, its verification) go; without it, `db`. */
      publicReads?: Kysely<Schema>;
    },
  ) {}

  private today(): string {
    return (this.options.today ?? todayInShanghai)();
  }

  /** Checks what the request asks before anything about the subject is read. */
  private async checkRequest(
    request: ReportRequest,
  ): Promise<{ window?: { from: string; to: string }; domains?: string[] }> {
    if (!(REPORT_TYPES as readonly string[]).includes(request.type)) {
      throw new ValidationError(msg('reports.type', { types: REPORT_TYPES.join(', ') }), {
        field: 'type',
        value: request.type,
        rule: 'report.type',
      });
    }
    if (request.type === 'matter' && (request.matter === undefined || request.matter === '')) {
      throw new ValidationError(msg('reports.matter_required', { matters: MATTERS.join(', ') }), {
        field: 'matter',
        rule: 'report.matter',
      });
    }
    if (request.type !== 'special') {
      return {};
    }
    const window = specialWindow(request, this.today());
    const domains = specialDomains(request.domains, await new ReportsRepository(this.db).domains());
    return { window, domains };
  }

  /** Who the report is for, as the actor may have it; never more than the actor may see. */
  private async audienceOf(
    actor: Actor,
    request: ReportRequest,
  ): Promise<{ audience: Audience; subject: SubjectRow }> {
    if (request.type === 'public') {
      return { audience: { kind: 'public' }, subject: await this.files.subjectOf(request.code) };
    }
    if (request.type === 'matter') {
      const role = actor.kind === 'user' || actor.kind === 'token' ? actor.role : actor.kind;
      if (!DEPARTMENT_ROLES.has(role)) {
        throw new ForbiddenError(msg('reports.department_only', { role }), {
          rule: 'report.matter_audience',
        });
      }
      // Purpose and matter are checked (and the actor's right to query) before the subject is looked up.
      const audience = await this.files.audienceFor(actor, undefined, request);
      return { audience, subject: await this.files.subjectOf(request.code) };
    }
    if (actor.kind === 'system') {
      // The credit centre's operator at the command line, issuing a subject's report at the window.
      return { audience: { kind: 'subject' }, subject: await this.files.subjectOf(request.code) };
    }
    if (actor.kind !== 'user' || actor.role !== 'subject_user') {
      throw new ForbiddenError(msg('reports.own_only'), { rule: 'report.own_audience' });
    }
    const subject = await this.files.subjectOf(request.code);
    const audience = await this.files.audienceFor(actor, subject, {});
    if (audience.kind !== 'subject') {
      // Someone else's subject: the same answer as a code the platform does not know.
      throw new NotFoundError(msg('disclosure.no_subject'));
    }
    return { audience, subject };
  }

  async issue(actor: Actor, request: ReportRequest): Promise<IssuedReport> {
    const { window, domains } = await this.checkRequest(request);
    const { audience, subject } = await this.audienceOf(actor, request);
    const subjectId = subject.id;
    const { file, visible } = await this.files.fileAs(subject, audience, REPORT_LOCALE);
    if (audience.kind === 'public' && !visible) {
      throw new NotFoundError(msg('disclosure.no_subject'));
    }
    const repo = new ReportsRepository(this.db);
    const departments = await repo.departments();
    const catalogs = await this.catalog.catalogs();
    const recordIds = file.categories.flatMap((c) => c.records.map((r) => r.id));
    const special =
      window === undefined || domains === undefined
        ? undefined
        : {
            ...window,
            domains,
            recordDomains: await repo.recordDomains(recordIds),
            // A category is held when the catalog has an item of it.
            held: new Set<Category>((await this.catalog.items()).map((i) => i.definition.category)),
          };
    const signer = await this.keys.signer();
    for (let attempt = 0; ; attempt += 1) {
      const number = newReportNumber(file.asOf);
      const code = newVerificationCode();
      const issuedAt = (this.options.now ?? (() => new Date()))();
      const content = reportContent({
        number,
        code,
        type: request.type,
        issuedAt,
        issuer: {
          name: this.options.issuerName ?? t(REPORT_LOCALE, 'reports.issuer'),
          publicUrl: this.options.publicUrl,
        },
        audience,
        file,
        catalog: catalogs.map((c) => ({ code: c.code, version: c.version })),
        departments,
        ...(special === undefined ? {} : { special }),
      });
      const signed = signReport(signer, content);
      const text = canonicalJson(signed);
      const fingerprint = fingerprintOf(content);
      try {
        await this.db.transaction().execute(async (trx) => {
          await new ReportsRepository(trx).insert({
            number,
            type: request.type,
            audience: JSON.stringify(content.audience),
            subject_id: subjectId,
            requested_by: toAuditActor(actor).label,
            department_code: audience.kind === 'department' ? audience.department : null,
            user_id: actor.kind === 'user' ? actor.userId : null,
            code_hash: codeHash(code),
            fingerprint,
            key_id: signer.keyId,
            signed: text,
            issued_at: issuedAt,
          });
          await this.audit.append(trx, {
            actor: toAuditActor(actor),
            action: 'report.issue',
            target: { kind: 'subject', id: String(subjectId) },
            details: {
              number,
              type: request.type,
              audience: content.audience,
              fingerprint,
              keyId: signer.keyId,
              recordIds,
              ...(special === undefined ? {} : { window, domains }),
            },
          });
        });
      } catch (err) {
        // Two reports drew the same number: draw again.
        if (isUniqueViolation(err, 'credit_report_number_key') && attempt < 3) {
          continue;
        }
        throw err;
      }
      return { number, code, type: request.type, fingerprint, signed, text };
    }
  }

  /**
   * A report as issued, for those entitled to it: who asked for it (a matter report: its
   * department), the subject's own account for its public, own and special reports, the auditor
   * (audited). Anyone else gets the answer a number never issued gets.
   */
  async get(actor: Actor, number: string): Promise<{ row: ReportRow; text: string }> {
    const row = await new ReportsRepository(this.db).byNumber(number.trim().toUpperCase());
    const refused = new NotFoundError(msg('reports.no_number', { number }));
    if (row === undefined || actor.kind === 'public') {
      throw refused;
    }
    let entitled = actor.kind === 'system';
    if (actor.kind === 'user' || actor.kind === 'token') {
      const dept = actor.department?.code;
      if (actor.role === 'auditor') {
        entitled = true;
      } else if (row.type === 'matter') {
        entitled = dept !== undefined && dept === row.department_code && DEPARTMENT_ROLES.has(actor.role);
      } else if (actor.kind === 'user' && row.user_id === actor.userId) {
        entitled = true;
      } else if (actor.role === 'subject_user') {
        const subject = await this.files
          .subjectOf(actor.kind === 'user' ? (actor.subject ?? '') : '')
          .catch(() => undefined);
        entitled = subject?.id === row.subject_id;
      }
    }
    if (!entitled) {
      throw refused;
    }
    await this.audit.append(this.db, {
      actor: toAuditActor(actor),
      action: 'report.read',
      target: { kind: 'report', id: row.number },
      details: { type: row.type, subject: row.subject_id },
    });
    return { row, text: row.signed };
  }

  /** A public report, for whoever holds its number and code (the same answer for anything else). */
  async publicReport(number: string, code: string): Promise<{ number: string; text: string }> {
    const row = await new ReportsRepository(this.options.publicReads ?? this.db).byNumber(
      number.trim().toUpperCase(),
    );
    if (row === undefined || row.type !== 'public' || row.code_hash !== codeHash(normaliseCode(code))) {
      throw new NotFoundError(msg('reports.not_found'));
    }
    return { number: row.number, text: row.signed };
  }

  /**
   * Confirms a report by its number and verification code: its type, time and fingerprint, and
   * whether its stored signature still verifies against the registry; never its content. A wrong
   * code gets the answer a number never issued gets.
   */
  async verify(number: string, code: string, locale: Locale): Promise<Verification> {
    const row = await new ReportsRepository(this.options.publicReads ?? this.db).byNumber(
      number.trim().toUpperCase(),
    );
    if (row === undefined || row.code_hash !== codeHash(normaliseCode(code))) {
      throw new NotFoundError(msg('reports.not_found'));
    }
    const check = verifyReportJson(row.signed, await this.keys.published());
    return {
      number: row.number,
      type: row.type,
      issuedAt: row.issued_at.toISOString(),
      fingerprint: row.fingerprint,
      keyId: row.key_id,
      algorithm: check.algorithm ?? '',
      verdict: check.verdict,
      message: verdictMessage(check, locale),
    };
  }

  /** Verifies a report file (PDF or JSON) as a reader holds it, against the platform's published keys. */
  async verifyFile(bytes: Buffer, locale: Locale): Promise<FileCheck & { message: string }> {
    const check = verifyReportFile(bytes, await this.keys.published());
    return { ...check, message: verdictMessage(check, locale) };
  }

  /**
   * An issued report (its signed JSON as stored) in a format: the JSON itself, printable HTML, or
   * a PDF that carries the JSON and is signed over its bytes by the key that signs now.
   */
  async render(text: string, format: ReportFormat): Promise<Buffer> {
    switch (format) {
      case 'json':
        return Buffer.from(text, 'utf8');
      case 'html':
        return Buffer.from(renderHtml((JSON.parse(text) as SignedReport).report), 'utf8');
      case 'pdf':
        return renderPdf(text, await this.keys.signer());
    }
  }
}

export function verdictMessage(check: ReportCheck, locale: Locale): string {
  const key: PublishedKey | undefined = check.key;
  switch (check.verdict) {
    case 'key_revoked':
      return t(locale, 'reports.verdict.key_revoked', { reason: key?.revokedReason ?? '' });
    case 'unknown_key':
      return t(locale, 'reports.verdict.unknown_key', { key: check.keyId ?? '' });
    case 'outside_validity':
      return t(locale, 'reports.verdict.outside_validity', { key: check.keyId ?? '' });
    case 'valid':
    case 'tampered':
    case 'not_a_report':
      return t(locale, `reports.verdict.${check.verdict}`);
  }
}
