/**
 * Verification: an authorised institution asks one of a closed list of yes/no questions about a
 * subject and gets only the answer. Each answer is a use of the authorisation (audited, reported
 * to the subject) and counts against its daily limit. What the public may no longer see (revoked,
 * repaired away, past the display period) does not count.
 */
import { sql, type Kysely } from 'kysely';
import {
  DEFAULT_LOCALE,
  msg,
  NotFoundError,
  t,
  ValidationError,
  type AuditWriter,
  type DataProtector,
  type Locale,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, toAuditActor, type Actor } from '../auth/index.ts';
import { shownOn } from '../records/index.ts';
import { subjectByCode } from '../subjects/index.ts';
import {
  QUESTION_YEARS,
  QUESTIONS,
  VERIFICATIONS_PER_DAY,
  type AuthorisationService,
  type Question,
} from './sharing.authorisation.ts';

export interface VerificationRequest {
  code: string;
  question: string;
  /** For `penalised_general_or_serious`: the window, in years. */
  years?: number;
  /** The language of the answer's text (default Chinese). */
  locale?: Locale;
}

export interface VerificationAnswer {
  question: Question;
  text: string;
  years: number | null;
  answer: boolean;
  asOf: string;
  authorisation: number;
  remainingToday: number;
}

export class VerificationService {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly protector: DataProtector,
    private readonly authorisations: AuthorisationService,
    private readonly today: () => string,
  ) {}

  async verify(actor: Actor, request: VerificationRequest): Promise<VerificationAnswer> {
    const institution = actor.kind === 'user' || actor.kind === 'token' ? (actor.institution ?? '') : '';
    authorize(actor, 'institution.query', { institution });
    if (!(request.question in QUESTIONS)) {
      throw new ValidationError(
        msg('disclosure.verification.question', { questions: Object.keys(QUESTIONS).join(', ') }),
        {
          field: 'question',
          value: request.question,
          rule: 'verification.question',
        },
      );
    }
    const question = request.question as Question;
    const years = question === 'penalised_general_or_serious' ? (request.years ?? 3) : null;
    if (years !== null && !(QUESTION_YEARS as readonly number[]).includes(years)) {
      throw new ValidationError(msg('disclosure.verification.years', { years: QUESTION_YEARS.join(', ') }), {
        field: 'years',
        value: years,
        rule: 'verification.years',
      });
    }
    const subject = await subjectByCode(this.db, this.protector, request.code, 'code');
    if (subject === undefined) {
      throw new NotFoundError(msg('disclosure.no_subject'));
    }
    const granted = await this.authorisations.inForce(institution, subject.id, 'verification');
    const covering = this.authorisations.assertVerificationAllowed(granted, question);
    const items = await this.authorisations.itemsFor(question);
    const today = this.today();
    return this.db.transaction().execute(async (trx) => {
      const authorisation = covering[0] as (typeof covering)[number];
      const usedBefore = await this.authorisations.assertUnderLimit(trx, authorisation);
      const found = await sql<{ yes: boolean }>`
        select exists (
          select 1 from record r
          where r.subject_id = ${subject.id} and r.is_current and r.item_code in (${sql.join(items.length > 0 ? items : [''])})
            and ${shownOn(today)}
            ${
              years === null
                ? sql``
                : sql`and r.tier in ('general', 'serious') and r.decision_date >= ${this.authorisations.windowStart(years)}`
            }
        ) as yes`.execute(trx);
      const answer = found.rows[0]?.yes === true;
      await this.authorisations.recordUse(trx, [authorisation], {
        kind: 'verify',
        question: years === null ? question : `${question}:${years}`,
        institution,
        categories: [...QUESTIONS[question].categories],
      });
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'verification.answer',
        target: { kind: 'subject', id: String(subject.id) },
        details: { authorisation: authorisation.id, question, years, answer },
      });
      return {
        question,
        text: t(request.locale ?? DEFAULT_LOCALE, QUESTIONS[question].text, { years: years ?? 'N' }),
        years,
        answer,
        asOf: today,
        authorisation: authorisation.id,
        remainingToday: Math.max(0, VERIFICATIONS_PER_DAY - usedBefore - 1),
      };
    });
  }
}
