/**
 * A subject's authorisations of institutions (国办发〔2021〕52号): named catalog categories, a
 * stated purpose, a last day no more than a year away (never open-ended), revocable at any time.
 * An institution sees only that; every use is audited and reported to the subject through the
 * outbox. In verification mode it may only ask a closed list of yes/no questions, each counted as
 * a use and limited per authorisation, so the answers cannot rebuild the records.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { addDays, addMonths, isCivilDate, todayInShanghai } from '../../platform/calendar/index.ts';
import {
  ForbiddenError,
  msg,
  NotFoundError,
  RateLimitedError,
  ValidationError,
  type AuditWriter,
  type Message,
  type MessageKey,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import type { AuthorisationTable } from '../../platform/db/schema.ts';
import { authorize, toAuditActor, type Actor } from '../auth/index.ts';
import { CATEGORIES, type CatalogService, type Category } from '../catalog/index.ts';
import type { SubjectRow } from '../subjects/index.ts';

export type AuthorisationRow = Selectable<AuthorisationTable>;

/** Categories no institution may be authorised to see: a supervisory flag is never disclosed. */
const NEVER_AUTHORISED: readonly Category[] = ['watch_list'];

/** The closed list of verification questions, the category each one reads, and its wording (`{years}`). */
export const QUESTIONS = {
  serious_dishonesty_listed: {
    categories: ['serious_dishonesty_list', 'judicial'] as Category[],
    text: 'disclosure.question.serious_dishonesty_listed',
  },
  penalised_general_or_serious: {
    categories: ['administrative_penalty'] as Category[],
    text: 'disclosure.question.penalised_general_or_serious',
  },
  red_listed: { categories: ['red_list'] as Category[], text: 'disclosure.question.red_listed' },
} as const satisfies Record<string, { categories: Category[]; text: MessageKey }>;
export type Question = keyof typeof QUESTIONS;
export const QUESTION_YEARS = [1, 2, 3, 5] as const;

/** Questions one authorisation may have answered in a day. */
export const VERIFICATIONS_PER_DAY = 20;

/** `a`, `a or b`, `a or b or c`, in the reader's language. */
function either(names: readonly string[]): string | Message {
  const [first = '', ...rest] = names;
  return rest.reduce<string | Message>(
    (list, name) => msg('disclosure.either', { first: list, second: name }),
    first,
  );
}

export interface GrantRequest {
  institution: string;
  categories: string[];
  purpose: string;
  validUntil: string;
  mode?: 'records' | 'verification';
}

export class AuthorisationService {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly catalog: CatalogService,
    private readonly ownSubject: (actor: Actor) => Promise<SubjectRow>,
    private readonly today: () => string = () => todayInShanghai(),
  ) {}

  async grant(actor: Actor, request: GrantRequest): Promise<AuthorisationRow> {
    const subject = await this.granting(actor);
    const today = this.today();
    const purpose = request.purpose.trim();
    if (purpose === '') {
      throw new ValidationError(msg('disclosure.authorisation.purpose'), {
        field: 'purpose',
        rule: 'authorisation.purpose',
      });
    }
    const categories = [...new Set(request.categories)];
    const unknown = categories.filter((c) => !(CATEGORIES as readonly string[]).includes(c));
    if (categories.length === 0 || unknown.length > 0) {
      throw new ValidationError(
        msg('disclosure.authorisation.categories', { categories: CATEGORIES.join(', ') }),
        {
          field: 'categories',
          value: unknown.join(','),
          rule: 'authorisation.categories',
        },
      );
    }
    const never = categories.filter((c) => (NEVER_AUTHORISED as readonly string[]).includes(c));
    if (never.length > 0) {
      throw new ValidationError(
        msg('disclosure.authorisation.never_disclosed', { categories: never.join(', ') }),
        {
          field: 'categories',
          value: never.join(','),
          rule: 'authorisation.categories',
        },
      );
    }
    const lastDay = addMonths(today, 12);
    if (!isCivilDate(request.validUntil) || request.validUntil < today || request.validUntil > lastDay) {
      throw new ValidationError(msg('disclosure.authorisation.period', { today, last: lastDay }), {
        field: 'validUntil',
        value: request.validUntil,
        rule: 'authorisation.period',
      });
    }
    const institution = await this.db
      .selectFrom('institution')
      .select('code')
      .where('code', '=', request.institution)
      .executeTakeFirst();
    if (institution === undefined) {
      throw new NotFoundError(
        msg('disclosure.authorisation.no_institution', { institution: request.institution }),
      );
    }
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('authorisation')
        .values({
          subject_id: subject.id,
          institution_code: request.institution,
          categories,
          purpose,
          mode: request.mode ?? 'records',
          valid_from: today,
          valid_until: request.validUntil,
          granted_by: toAuditActor(actor).label,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'authorisation.grant',
        target: { kind: 'authorisation', id: String(row.id) },
        details: {
          subject: subject.id,
          institution: row.institution_code,
          categories,
          purpose,
          mode: row.mode,
          validUntil: row.valid_until,
        },
      });
      return row;
    });
  }

  async revoke(actor: Actor, id: number): Promise<AuthorisationRow> {
    const subject = await this.granting(actor);
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('authorisation')
        .set({ revoked_at: new Date() })
        .where('id', '=', id)
        .where('subject_id', '=', subject.id)
        .where('revoked_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) {
        throw new NotFoundError(msg('disclosure.authorisation.not_found', { id }));
      }
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'authorisation.revoke',
        target: { kind: 'authorisation', id: String(id) },
        details: { subject: subject.id, institution: row.institution_code },
      });
      return row;
    });
  }

  /** The subject's authorisations, with how often each was used. */
  async list(actor: Actor): Promise<Array<AuthorisationRow & { uses: number }>> {
    const subject = await this.granting(actor);
    const rows = await this.db
      .selectFrom('authorisation as a')
      .selectAll('a')
      .select((eb) =>
        eb
          .selectFrom('authorisation_use as u')
          .select(eb.fn.countAll<string>().as('n'))
          .whereRef('u.authorisation_id', '=', 'a.id')
          .as('uses'),
      )
      .where('a.subject_id', '=', subject.id)
      .orderBy('a.id', 'desc')
      .execute();
    return rows.map((r) => ({ ...r, uses: Number(r.uses ?? 0) }));
  }

  /** The subject a subject user acts for, once the policy allows it to manage authorisations. */
  private granting(actor: Actor): Promise<SubjectRow> {
    authorize(actor, 'authorisation.grant', { subject: actor.kind === 'user' ? actor.subject : undefined });
    return this.ownSubject(actor);
  }

  /**
   * The authorisations in force today for `institution` over `subject` that allow `mode`; an
   * error that says why when there is none (expired, revoked, never granted).
   */
  async inForce(
    institution: string,
    subjectId: number,
    mode: 'records' | 'verification',
  ): Promise<AuthorisationRow[]> {
    const today = this.today();
    const all = await this.db
      .selectFrom('authorisation')
      .selectAll()
      .where('institution_code', '=', institution)
      .where('subject_id', '=', subjectId)
      .orderBy('id', 'desc')
      .execute();
    const usable = all.filter(
      (a) =>
        a.revoked_at === null &&
        a.valid_from <= today &&
        today <= a.valid_until &&
        (mode === 'verification' || a.mode === 'records'),
    );
    if (usable.length > 0) {
      return usable;
    }
    const last = all[0];
    if (last === undefined) {
      // Never authorised: the institution learns nothing, not even that the platform holds this
      // subject (a natural person, say). It answers exactly as for a code the platform does not know.
      throw new NotFoundError(msg('disclosure.no_subject'));
    }
    // An institution that held an authorisation knows the subject: it is told why it has ended.
    const why =
      last.revoked_at !== null
        ? msg('disclosure.authorisation.revoked', {
            id: last.id,
            date: last.revoked_at.toISOString().slice(0, 10),
          })
        : today > last.valid_until
          ? msg('disclosure.authorisation.ended', { id: last.id, date: last.valid_until })
          : msg('disclosure.authorisation.verification_only', { id: last.id });
    throw new ForbiddenError(msg('disclosure.authorisation.required', { why }), {
      rule: 'authorisation.required',
    });
  }

  /** Records one use of each authorisation, reports it to the subject, inside `trx`. */
  async recordUse(
    trx: Transaction<Schema>,
    authorisations: AuthorisationRow[],
    use: { kind: 'file' | 'verify'; question?: string; institution: string; categories: string[] },
  ): Promise<void> {
    for (const a of authorisations) {
      await trx
        .insertInto('authorisation_use')
        .values({ authorisation_id: a.id, kind: use.kind, question: use.question ?? null })
        .execute();
    }
    const first = authorisations[0];
    if (first === undefined) {
      return;
    }
    await trx
      .insertInto('outbox')
      .values({
        recipient_kind: 'subject',
        recipient: String(first.subject_id),
        topic: 'authorisation.used',
        body: JSON.stringify({
          institution: use.institution,
          authorisations: authorisations.map((a) => a.id),
          kind: use.kind,
          question: use.question ?? null,
          categories: use.categories,
          purpose: first.purpose,
          on: this.today(),
        }),
      })
      .execute();
  }

  /** Uses of an authorisation since the start of today (Asia/Shanghai), for the limit. */
  private async usesToday(trx: Transaction<Schema>, authorisationId: number): Promise<number> {
    const since = `${this.today()}T00:00:00+08:00`;
    const r = await sql<{ n: string }>`
      select count(*) as n from authorisation_use
      where authorisation_id = ${authorisationId} and kind = 'verify' and used_at >= ${since}::timestamptz`.execute(
      trx,
    );
    return Number(r.rows[0]?.n ?? 0);
  }

  /** The catalog items of the question's categories. */
  async itemsFor(question: Question): Promise<string[]> {
    const items = await this.catalog.items();
    const categories: readonly string[] = QUESTIONS[question].categories;
    return items.filter((i) => categories.includes(i.definition.category)).map((i) => i.definition.code);
  }

  /** The first day of the N-year window that ends today. */
  windowStart(years: number): string {
    return addDays(addMonths(this.today(), -12 * years), 1);
  }

  assertVerificationAllowed(authorisations: AuthorisationRow[], question: Question): AuthorisationRow[] {
    const needs: readonly string[] = QUESTIONS[question].categories;
    const covering = authorisations.filter((a) => a.categories.some((c) => needs.includes(c)));
    if (covering.length === 0) {
      throw new ForbiddenError(
        msg('disclosure.authorisation.scope', { categories: either(needs), question }),
        { rule: 'authorisation.scope' },
      );
    }
    return covering;
  }

  /** The limit per authorisation per day: throws once it is reached, else answers the uses so far. */
  async assertUnderLimit(trx: Transaction<Schema>, authorisation: AuthorisationRow): Promise<number> {
    const used = await this.usesToday(trx, authorisation.id);
    if (used >= VERIFICATIONS_PER_DAY) {
      throw new RateLimitedError(
        msg('disclosure.authorisation.limit', { id: authorisation.id, max: VERIFICATIONS_PER_DAY }),
        { rule: 'authorisation.rate_limit' },
      );
    }
    return used;
  }
}
