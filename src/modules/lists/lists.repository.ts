/** Where list types, designation cases and their steps are kept. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { ConflictError, msg } from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import type { ListCaseTable, ListStepTable, SubjectTable } from '../../platform/db/schema.ts';
import type { CaseFacts, Leniency, ListTypeDefinition } from './lists.types.ts';

type Executor = Kysely<Schema> | Transaction<Schema>;

export interface ListTypeRow {
  code: string;
  definition: ListTypeDefinition;
  createdAt: Date;
}

export type CaseRow = Omit<Selectable<ListCaseTable>, 'facts' | 'leniency' | 'removal'> & {
  facts: CaseFacts;
  leniency: Leniency;
  removal: { reason: string; note: string } | null;
};

export type StepRow = Omit<Selectable<ListStepTable>, 'document'> & { document: unknown };

export class ListsRepository {
  constructor(private readonly db: Executor) {}

  async listTypes(): Promise<ListTypeRow[]> {
    const rows = await this.db
      .selectFrom('list_type')
      .select(['code', 'definition', 'created_at'])
      .orderBy('code')
      .execute();
    return rows.map((r) => ({
      code: r.code,
      definition: r.definition as ListTypeDefinition,
      createdAt: r.created_at,
    }));
  }

  async listType(code: string): Promise<ListTypeRow | undefined> {
    const r = await this.db
      .selectFrom('list_type')
      .select(['code', 'definition', 'created_at'])
      .where('code', '=', code)
      .executeTakeFirst();
    return r === undefined
      ? undefined
      : { code: r.code, definition: r.definition as ListTypeDefinition, createdAt: r.created_at };
  }

  /** False when a list type of that code exists already. */
  async createListType(def: ListTypeDefinition, by: string, item: string): Promise<boolean> {
    const r = await this.db
      .insertInto('list_type')
      .values({
        code: def.code,
        name_zh: def.nameZh,
        kind: def.kind,
        item_code: item,
        domain: def.domain,
        categories: def.categories,
        definition: JSON.stringify(def),
        created_by: by,
      })
      .onConflict((oc) => oc.column('code').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async createCase(values: {
    listType: string;
    subjectId: number;
    department: string;
    facts: CaseFacts;
    leniency: Leniency;
  }): Promise<number> {
    const r = await this.db
      .insertInto('list_case')
      .values({
        list_type: values.listType,
        subject_id: values.subjectId,
        department_code: values.department,
        status: 'proposed',
        facts: JSON.stringify(values.facts),
        leniency: JSON.stringify(values.leniency),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  /** The case, locked for the transaction when `lock`. */
  async case(id: number, lock = false): Promise<CaseRow | undefined> {
    let q = this.db.selectFrom('list_case').selectAll().where('id', '=', id);
    if (lock) {
      q = q.forUpdate();
    }
    const r = await q.executeTakeFirst();
    return r === undefined ? undefined : (r as CaseRow);
  }

  /** An open case (not removed, withdrawn or ended by the clock) of this list type about this subject. */
  async openCase(listType: string, subjectId: number, today: string): Promise<number | undefined> {
    const r = await this.db
      .selectFrom('list_case')
      .select('id')
      .where('list_type', '=', listType)
      .where('subject_id', '=', subjectId)
      .where('status', 'not in', ['removed', 'withdrawn'])
      // A listing whose validity has ended is off the list by the clock.
      .where((eb) =>
        eb.or([eb('status', '<>', 'listed'), eb('valid_until', 'is', null), eb('valid_until', '>', today)]),
      )
      .executeTakeFirst();
    return r?.id;
  }

  /**
   * The cases of a department (every department's when `department` is undefined), with the name
   * of the subject each is about and its first code as documents show it; at most `limit`.
   */
  async cases(
    department: string | undefined,
    limit: number,
  ): Promise<Array<CaseRow & { subject_name: string; subject_code: string }>> {
    let q = this.db
      .selectFrom('list_case')
      .innerJoin('subject', 'subject.id', 'list_case.subject_id')
      .selectAll('list_case')
      .select('subject.name as subject_name')
      .select((eb) =>
        eb
          .selectFrom('subject_code')
          .select((c) => c.fn.coalesce('subject_code.value', 'subject_code.masked').as('code'))
          .whereRef('subject_code.subject_id', '=', 'list_case.subject_id')
          .orderBy('subject_code.id')
          .limit(1)
          .as('subject_code'),
      )
      .orderBy('list_case.id', 'desc')
      .limit(limit);
    if (department !== undefined) {
      q = q.where('list_case.department_code', '=', department);
    }
    const rows = await q.execute();
    return rows.map((r) => ({
      ...(r as unknown as CaseRow),
      subject_name: r.subject_name,
      subject_code: r.subject_code ?? '',
    }));
  }

  async casesOfSubject(subjectId: number): Promise<CaseRow[]> {
    const rows = await this.db
      .selectFrom('list_case')
      .selectAll()
      .where('subject_id', '=', subjectId)
      .orderBy('id')
      .execute();
    return rows as CaseRow[];
  }

  async updateCase(
    id: number,
    set: Partial<{
      status: CaseRow['status'];
      leniency: Leniency;
      notified_on: string;
      objection_until: string;
      decided_on: string;
      valid_until: string | null;
      record_id: number;
      removed_on: string;
      removal: { reason: string; note: string };
    }>,
  ): Promise<void> {
    const { leniency, removal, ...rest } = set;
    await this.db
      .updateTable('list_case')
      .set({
        ...rest,
        ...(leniency === undefined ? {} : { leniency: JSON.stringify(leniency) }),
        ...(removal === undefined ? {} : { removal: JSON.stringify(removal) }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
  }

  async addStep(step: {
    caseId: number;
    step: string;
    on: string;
    by: string;
    document?: { kind: string; number: string; data: unknown; html: string };
  }): Promise<number> {
    const r = await this.db
      .insertInto('list_step')
      .values({
        case_id: step.caseId,
        step: step.step,
        on_day: step.on,
        by_actor: step.by,
        document_kind: step.document?.kind ?? null,
        document_number: step.document?.number ?? null,
        document: step.document === undefined ? null : JSON.stringify(step.document.data),
        html: step.document?.html ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async steps(caseId: number): Promise<StepRow[]> {
    return this.db.selectFrom('list_step').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  }

  async step(caseId: number, stepId: number): Promise<StepRow | undefined> {
    return this.db
      .selectFrom('list_step')
      .selectAll()
      .where('case_id', '=', caseId)
      .where('id', '=', stepId)
      .executeTakeFirst();
  }

  async insertRecord(values: {
    subjectId: number;
    department: string;
    item: string;
    catalogVersionId: number;
    identityKey: string;
    payload: Record<string, unknown>;
    digest: string;
    decisionDate: string;
    tier: string | null;
    validUntil: string | null;
    displayPublic: boolean;
  }): Promise<number> {
    const previous = await this.db
      .selectFrom('record')
      .select(['id', 'version', 'is_current'])
      .where('department_code', '=', values.department)
      .where('item_code', '=', values.item)
      .where('identity_key', '=', values.identityKey)
      .where('subject_id', '=', values.subjectId)
      .orderBy('version', 'desc')
      .executeTakeFirst();
    if (previous?.is_current === true) {
      throw new ConflictError(
        msg('lists.document_number', { number: values.identityKey, item: values.item }),
        { field: 'documentNumber', value: values.identityKey, rule: 'list.document_number' },
      );
    }
    const r = await this.db
      .insertInto('record')
      .values({
        subject_id: values.subjectId,
        department_code: values.department,
        item_code: values.item,
        catalog_version_id: values.catalogVersionId,
        identity_key: values.identityKey,
        version: (previous?.version ?? 0) + 1,
        previous_id: previous?.id ?? null,
        is_current: true,
        payload: JSON.stringify(values.payload),
        payload_digest: values.digest,
        decision_date: values.decisionDate,
        tier: values.tier,
        tier_source: values.tier === null ? null : 'list_type',
        display_from: values.decisionDate,
        shortest_until: null,
        longest_until: values.validUntil,
        display_public: values.displayPublic,
        status: 'active',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  /** A department's name and unified code, as documents and list entries name it. */
  async department(code: string): Promise<{ name: string; uscc: string | null }> {
    const d = await this.db
      .selectFrom('department')
      .select(['name', 'uscc'])
      .where('code', '=', code)
      .executeTakeFirst();
    return d ?? { name: code, uscc: null };
  }

  /** The party as a document names it: its name (a person's masked) and its first code (a citizen ID masked). */
  async party(subjectId: number): Promise<{ name: string; code: string }> {
    const s = await this.db
      .selectFrom('subject')
      .select(['name'])
      .where('id', '=', subjectId)
      .executeTakeFirstOrThrow();
    const code = await this.db
      .selectFrom('subject_code')
      .select(['masked', 'value'])
      .where('subject_id', '=', subjectId)
      .orderBy('id')
      .executeTakeFirst();
    return { name: s.name, code: code?.value ?? code?.masked ?? '' };
  }

  /** The subject a list entry is about, and its unified code. */
  async entrySubject(subjectId: number): Promise<{ subject: Selectable<SubjectTable>; uscc: string | null }> {
    const subject = await this.db
      .selectFrom('subject')
      .selectAll()
      .where('id', '=', subjectId)
      .executeTakeFirstOrThrow();
    const code = await this.db
      .selectFrom('subject_code')
      .select('value')
      .where('subject_id', '=', subjectId)
      .where('kind', '=', 'uscc')
      .executeTakeFirst();
    return { subject, uscc: code?.value ?? null };
  }

  /** A message to the party through the outbox (a notice, an answer, a decision). */
  async tellParty(subjectId: number, topic: string, body: unknown): Promise<void> {
    await this.db
      .insertInto('outbox')
      .values({ recipient_kind: 'subject', recipient: String(subjectId), topic, body: JSON.stringify(body) })
      .execute();
  }

  /** The encrypted citizen ID of a person, if the platform holds one. */
  async citizenIdSealed(subjectId: number): Promise<string | undefined> {
    const id = await this.db
      .selectFrom('subject_code')
      .select('value_encrypted')
      .where('subject_id', '=', subjectId)
      .where('kind', '=', 'citizen_id')
      .executeTakeFirst();
    return id?.value_encrypted ?? undefined;
  }
}
