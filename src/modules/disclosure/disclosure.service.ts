/**
 * The credit file (信用档案) of one subject, as one audience may see it: registration data, codes,
 * person roles, and every current record grouped by catalog category with its provenance, each
 * decided by `decide()`. Every read that is not the public's is audited.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { todayInShanghai } from '../../platform/calendar/index.ts';
import {
  AppError,
  DEFAULT_LOCALE,
  msg,
  NotFoundError,
  ValidationError,
  type AuditWriter,
  type DataProtector,
  type Locale,
} from '../../platform/index.ts';
import { unprepared, type Prepared, type Schema } from '../../platform/db/index.ts';
import type { AuthorisationTable } from '../../platform/db/schema.ts';
import { authorize, toAuditActor, type Actor, actorDepartment } from '../auth/index.ts';
import type { CatalogService, Category } from '../catalog/index.ts';
import {
  hashesOf,
  subjectByCode,
  subjectByHashes,
  subjectOfUser,
  type SubjectRow,
} from '../subjects/index.ts';
import { decide } from './disclosure.decide.ts';
import { presentFile, type CreditFile } from './disclosure.presenter.ts';
import { DisclosureRepository, type FileData } from './disclosure.repository.ts';
import { MATTERS, type Audience, type Matter, type RecordFacts } from './disclosure.types.ts';

export interface FileRequest {
  /** Why a department reads the file: required of departments. */
  purpose?: string;
  /** The administrative matter the read serves (conditional items need one). */
  matter?: string;
  /** For the command line: the audience an operator reads as (`public` or `auditor`). */
  as?: 'public' | 'auditor';
  /** The reader's language, for the explanations (default Chinese). */
  locale?: Locale;
}

type AuthorisationRow = Selectable<AuthorisationTable>;

/**
 * What a file read by an institution needs of the subject's authorisations (sharing/ keeps them,
 * and its AuthorisationService is passed in): those in force, and each use recorded.
 */
export interface InstitutionAuthorisations {
  /** The authorisations in force for `institution` over the subject; an error saying why when none. */
  inForce(institution: string, subjectId: number, mode: 'records'): Promise<AuthorisationRow[]>;
  /** Records one use of each, inside `trx`, and reports it to the subject. */
  recordUse(
    trx: Transaction<Schema>,
    authorisations: AuthorisationRow[],
    use: { kind: 'file'; institution: string; categories: string[] },
  ): Promise<void>;
}

const MAX_PURPOSE = 500;
export const MAX_LOOKUP = 1000;

export type LookupResult =
  | { code: string; status: 'found'; file: CreditFile }
  | { code: string; status: 'not_found' }
  | { code: string; status: 'invalid'; message: string };

export class CreditFileService {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly catalog: CatalogService,
    private readonly protector: DataProtector,
    private readonly options: {
      today?: () => string;
      authorisations?: InstitutionAuthorisations;
      /** Runs the public's file query as a prepared statement; without it, an ordinary query. */
      prepared?: Prepared;
      /** Where the public's file is read (a read replica while it follows); without it, `db`. */
      publicReads?: { db: Kysely<Schema>; prepared: Prepared };
    } = {},
  ) {}

  private today(): string {
    return (this.options.today ?? todayInShanghai)();
  }

  /** The file of the subject a code names, as `actor` may see it. */
  async file(actor: Actor, code: string, request: FileRequest = {}): Promise<CreditFile> {
    const hashes = hashesOf(this.protector, code, 'code');
    const repo = new DisclosureRepository(this.db);
    if (actor.kind === 'public' || (actor.kind === 'system' && (request.as ?? 'public') === 'public')) {
      // The public's path: the subject and its file in one round trip, nothing audited.
      const reads = this.options.publicReads;
      const found =
        reads === undefined
          ? await repo.fileByCode(hashes, this.options.prepared ?? unprepared(this.db))
          : await new DisclosureRepository(reads.db).fileByCode(hashes, reads.prepared);
      const built =
        found === undefined
          ? undefined
          : await this.build(found.subject, { kind: 'public' }, found.data, request.locale);
      // Not found does not reveal whether a subject the public may not see exists.
      if (built === undefined || !built.visible) {
        throw new NotFoundError(msg('disclosure.no_subject'));
      }
      return built.file;
    }
    const subject = await subjectByHashes(this.db, hashes);
    const { audience, authorisations } = await this.audienceOf(actor, subject, request);
    if (subject === undefined) {
      throw new NotFoundError(msg('disclosure.no_subject'));
    }
    const file = await this.build(subject, audience, await repo.fileData(subject), request.locale);
    if (audience.kind === 'public') {
      // Not found does not reveal whether a subject the public may not see exists.
      if (!file.visible) {
        throw new NotFoundError(msg('disclosure.no_subject'));
      }
      return file.file;
    }
    const shown = file.file.categories.flatMap((c) => c.records.map((r) => r.id));
    await this.db.transaction().execute(async (trx) => {
      if (authorisations !== undefined && audience.kind === 'institution') {
        await this.options.authorisations?.recordUse(trx, authorisations, {
          kind: 'file',
          institution: audience.institution,
          categories: [...audience.categories],
        });
      }
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'file.read',
        target: { kind: 'subject', id: String(subject.id) },
        details: {
          audience: audience.kind,
          ...('purpose' in audience ? { purpose: audience.purpose } : {}),
          ...('matter' in audience && audience.matter !== undefined ? { matter: audience.matter } : {}),
          ...(authorisations === undefined ? {} : { authorisations: authorisations.map((a) => a.id) }),
          asOf: file.file.asOf,
          recordIds: shown,
        },
      });
    });
    return file.file;
  }

  /**
   * A department's lookup of up to 1,000 codes at once (批量比对): for each code, the shareable
   * file or why there is none; one audit event lists every subject read.
   */
  async lookup(actor: Actor, codes: string[], request: FileRequest): Promise<LookupResult[]> {
    if (codes.length === 0 || codes.length > MAX_LOOKUP) {
      throw new ValidationError(msg('disclosure.codes_count', { max: MAX_LOOKUP }), {
        field: 'codes',
        value: codes.length,
        rule: 'sharing.lookup_size',
      });
    }
    authorize(actor, 'sharing.query', { department: actorDepartment(actor) ?? '' });
    const repo = new DisclosureRepository(this.db);
    const { audience } = await this.audienceOf(actor, undefined, request);
    const results: LookupResult[] = [];
    const read: number[] = [];
    for (const code of codes) {
      let hashes: Array<{ kind: string; hash: string }>;
      try {
        hashes = hashesOf(this.protector, code, 'code');
      } catch (err) {
        const message =
          err instanceof AppError ? err.messageIn(request.locale ?? DEFAULT_LOCALE) : (err as Error).message;
        results.push({ code, status: 'invalid', message });
        continue;
      }
      const subject = await subjectByHashes(this.db, hashes);
      if (subject === undefined) {
        results.push({ code, status: 'not_found' });
        continue;
      }
      const { file } = await this.build(subject, audience, await repo.fileData(subject), request.locale);
      read.push(subject.id);
      results.push({ code, status: 'found', file });
    }
    await this.db.transaction().execute(async (trx) => {
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'sharing.lookup',
        details: {
          audience: audience.kind,
          ...('purpose' in audience ? { purpose: audience.purpose } : {}),
          ...('matter' in audience && audience.matter !== undefined ? { matter: audience.matter } : {}),
          codes: codes.length,
          subjects: read,
          asOf: this.today(),
        },
      });
    });
    return results;
  }

  /**
   * Records a natural person's consent to the disclosure of their personal information (one item,
   * or all), as the credit centre received it (a signed form): the operator records it, audited.
   */
  async giveConsent(
    actor: Actor,
    code: string,
    request: { item: string | null; evidence: string },
  ): Promise<{ id: number; item: string | null }> {
    authorize(actor, 'consent.record');
    const subject = await this.naturalPerson(code);
    if (request.item !== null) {
      await this.catalog.item(request.item);
    }
    const evidence = request.evidence.trim();
    if (evidence === '') {
      throw new ValidationError(msg('disclosure.consent.evidence'), {
        field: 'evidence',
        rule: 'consent.evidence',
      });
    }
    const id = await this.db.transaction().execute(async (trx) => {
      const made = await new DisclosureRepository(trx).giveConsent(
        subject.id,
        request.item,
        toAuditActor(actor).label,
      );
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'consent.give',
        target: { kind: 'subject', id: String(subject.id) },
        details: { consent: made, item: request.item, evidence },
      });
      return made;
    });
    return { id, item: request.item };
  }

  async withdrawConsent(actor: Actor, code: string, id: number): Promise<void> {
    authorize(actor, 'consent.record');
    const subject = await this.naturalPerson(code);
    await this.db.transaction().execute(async (trx) => {
      if (!(await new DisclosureRepository(trx).withdrawConsent(subject.id, id))) {
        throw new NotFoundError(msg('disclosure.consent.not_found', { id }));
      }
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'consent.withdraw',
        target: { kind: 'subject', id: String(subject.id) },
        details: { consent: id },
      });
    });
  }

  private async naturalPerson(code: string): Promise<SubjectRow> {
    const subject = await subjectByCode(this.db, this.protector, code, 'code');
    if (subject === undefined) {
      throw new NotFoundError(msg('disclosure.no_subject'));
    }
    if (subject.kind !== 'natural_person') {
      throw new ValidationError(msg('disclosure.consent.natural_person'), {
        field: 'code',
        rule: 'consent.natural_person',
      });
    }
    return subject;
  }

  /** The subject a code names; NotFoundError when none (the same answer as for a file). */
  async subjectOf(code: string): Promise<SubjectRow> {
    const subject = await subjectByHashes(this.db, hashesOf(this.protector, code, 'code'));
    if (subject === undefined) {
      throw new NotFoundError(msg('disclosure.no_subject'));
    }
    return subject;
  }

  /** The audience `actor` reads a file as (see `audienceOf`), for a caller that builds its own document. */
  async audienceFor(actor: Actor, subject: SubjectRow | undefined, request: FileRequest): Promise<Audience> {
    return (await this.audienceOf(actor, subject, request)).audience;
  }

  /**
   * The file of `subject` as `audience` sees it, by the same decision as every file, not audited:
   * for a caller that audits its own use of it (a credit report). `visible`: whether the audience
   * may know of the subject at all.
   */
  async fileAs(
    subject: SubjectRow,
    audience: Audience,
    locale: Locale = DEFAULT_LOCALE,
  ): Promise<{ file: CreditFile; visible: boolean }> {
    return this.build(subject, audience, await new DisclosureRepository(this.db).fileData(subject), locale);
  }

  /** The audience an actor reads as: checked before anything about the subject is revealed. */
  private async audienceOf(
    actor: Actor,
    subject: SubjectRow | undefined,
    request: FileRequest,
  ): Promise<{ audience: Audience; authorisations?: AuthorisationRow[] }> {
    if (actor.kind === 'public') {
      return { audience: { kind: 'public' } };
    }
    if (actor.kind === 'system') {
      return { audience: { kind: request.as ?? 'public' } };
    }
    switch (actor.role) {
      case 'subject_user': {
        // Its own file in full; anyone else's as the public sees it.
        const own = await subjectOfUser(this.db, this.protector, actor);
        return {
          audience: own !== undefined && own.id === subject?.id ? { kind: 'subject' } : { kind: 'public' },
        };
      }
      case 'service_desk':
        // The window staff see a file as the public does; a person's own file is read in its own account.
        return { audience: { kind: 'public' } };
      case 'auditor':
        authorize(actor, 'audit.read');
        return { audience: { kind: 'auditor' } };
      case 'institution_user': {
        authorize(actor, 'institution.query', { institution: actor.institution ?? '' });
        if (subject === undefined || this.options.authorisations === undefined) {
          throw new NotFoundError(msg('disclosure.no_subject'));
        }
        const granted = await this.options.authorisations.inForce(
          actor.institution ?? '',
          subject.id,
          'records',
        );
        return {
          audience: {
            kind: 'institution',
            institution: actor.institution ?? '',
            purpose: [...new Set(granted.map((a) => a.purpose))].join('; '),
            categories: [...new Set(granted.flatMap((a) => a.categories))] as Category[],
          },
          authorisations: granted,
        };
      }
      case 'platform_admin':
      case 'data_clerk':
      case 'reviewer':
      case 'credit_officer': {
        authorize(actor, 'sharing.query', { department: actorDepartment(actor) ?? '' });
        const purpose = (request.purpose ?? '').trim();
        if (purpose === '') {
          throw new ValidationError(msg('disclosure.file.purpose_required'), {
            field: 'purpose',
            rule: 'sharing.purpose',
          });
        }
        if (purpose.length > MAX_PURPOSE) {
          throw new ValidationError(msg('disclosure.file.purpose_length', { max: MAX_PURPOSE }), {
            field: 'purpose',
            value: `${purpose.slice(0, 64)}…`,
            rule: 'sharing.purpose',
          });
        }
        const matter = request.matter;
        if (matter !== undefined && !(MATTERS as readonly string[]).includes(matter)) {
          throw new ValidationError(msg('disclosure.file.matter', { matters: MATTERS.join(', ') }), {
            field: 'matter',
            value: matter,
            rule: 'sharing.matter',
          });
        }
        return {
          audience: {
            kind: 'department',
            department: actor.department?.code ?? '',
            purpose,
            ...(matter === undefined ? {} : { matter: matter as Matter }),
          },
        };
      }
    }
  }

  private async build(
    subject: SubjectRow,
    audience: Audience,
    data: FileData,
    locale: Locale = DEFAULT_LOCALE,
  ): Promise<{ file: CreditFile; visible: boolean }> {
    const today = this.today();
    const { codes, names, records, roles, consents } = data;
    const [bases, items] = await Promise.all([this.catalog.legalBases(), this.catalog.items()]);
    const basisMap = byKey(bases, (b) => b.code);
    const itemMap = byKey(
      items,
      (i) => i.definition.code,
      (i) => i.definition,
    );
    const decided = [];
    for (const r of records) {
      const item =
        itemMap.get(r.item_code) ?? (await this.catalog.itemAtVersion(r.item_code, r.catalog_version_id));
      const facts: RecordFacts = {
        departmentCode: r.department_code,
        subjectKind: subject.kind as RecordFacts['subjectKind'],
        status: r.status,
        repairOutcome: r.repair_outcome as RecordFacts['repairOutcome'],
        tier: r.tier as RecordFacts['tier'],
        displayPublic: r.display_public,
        decisionDate: r.decision_date,
        shortestUntil: r.shortest_until,
        longestUntil: r.longest_until,
      };
      const consent = consents.some((c) => c.item_code === null || c.item_code === r.item_code);
      const present = new Set(Object.keys(r.payload));
      const decision = decide(facts, item, audience, today, { bases: basisMap, consent }, present);
      decided.push({ row: r, item, decision });
    }
    return presentFile({
      subject,
      audience,
      today,
      codes,
      names,
      roles,
      records: decided,
      consents,
      protector: this.protector,
      locale,
    });
  }
}

/** The catalog's cached lists, indexed once per list rather than once per file. */
const indexes = new WeakMap<object, Map<string, unknown>>();
function byKey<T, V = T>(list: readonly T[], key: (x: T) => string, value?: (x: T) => V): Map<string, V> {
  let index = indexes.get(list);
  if (index === undefined) {
    index = new Map(list.map((x) => [key(x), value === undefined ? x : value(x)]));
    indexes.set(list, index);
  }
  return index as Map<string, V>;
}
