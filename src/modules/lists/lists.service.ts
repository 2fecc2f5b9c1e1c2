/**
 * List types and designation (名单认定). A list type is checked against 国办发〔2020〕49号 before
 * it exists; a list entry comes only from a case that went through every step of due process, in
 * order, each by a reviewer of a department entitled to designate, each audited, each document kept.
 */
import type { Kysely } from 'kysely';
import {
  addMonths,
  isCivilDate,
  todayInShanghai,
  type WorkingDayCalendar,
} from '../../platform/calendar/index.ts';
import {
  canonicalJson,
  ConflictError,
  NotFoundError,
  RuleViolationError,
  ValidationError,
  type AuditWriter,
  type DataProtector,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import { authorize, toAuditActor, type Actor, type ActorDepartment } from '../auth/index.ts';
import type { CatalogService, ItemRow } from '../catalog/index.ts';
import { subjectByCode, type SubjectRow } from '../disclosure/index.ts';
import { lockCommits } from '../ingest/index.ts';
import { DOCUMENT_KINDS, renderDocument, type CaseDocument, type DocumentKind } from './lists.documents.ts';
import { ListsRepository, type CaseRow, type ListTypeRow, type StepRow } from './lists.repository.ts';
import {
  checkListType,
  designationRefusal,
  effectiveStatus,
  minorAt,
  presentFlags,
  refuseAll,
  stepRefusal,
  type Refusal,
} from './lists.rules.ts';
import {
  CATEGORY_NAMES,
  ITEM_OF_KIND,
  type CaseFacts,
  type LeniencyFlag,
  type ListTypeDefinition,
  type RemovalReason,
} from './lists.types.ts';

export interface ProposeRequest {
  listType: string;
  subjectCode: string;
  facts: CaseFacts;
  /** Grounds for lenience the proposer knows of; minority is derived, never entered. */
  leniency?: Partial<Record<Exclude<LeniencyFlag, 'minor'>, boolean>>;
}

export type StepRequest =
  | { step: 'notify' | 'announce' | 'decide' | 'confirm'; documentNumber: string }
  | { step: 'object'; statement: string }
  | { step: 'answer'; outcome: 'upheld' | 'rejected'; reply: string; documentNumber: string }
  | { step: 'weigh'; weighed: Partial<Record<LeniencyFlag, string>> }
  | { step: 'flag'; supervision: string }
  | { step: 'remove'; reason: RemovalReason; note: string; documentNumber: string }
  | { step: 'withdraw'; note: string };

export interface CaseView {
  case: CaseRow;
  status: CaseRow['status'];
  listType: ListTypeDefinition;
  steps: StepRow[];
}

/** The measures a list's memorandum attaches to it, as the decision document names them. */
export type MeasuresOfList = (listType: string) => Promise<Array<{ code: string; nameZh: string }>>;

export class ListService {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly audit: AuditWriter,
    private readonly catalog: CatalogService,
    private readonly protector: DataProtector,
    private readonly calendar: () => WorkingDayCalendar,
    private readonly options: { today?: () => string; measuresOf?: MeasuresOfList } = {},
  ) {}

  private today(): string {
    return (this.options.today ?? todayInShanghai)();
  }

  listTypes(): Promise<ListTypeRow[]> {
    return new ListsRepository(this.db).listTypes();
  }

  async listType(code: string): Promise<ListTypeRow> {
    const found = await new ListsRepository(this.db).listType(code);
    if (found === undefined) {
      throw new NotFoundError(`no list type ${code}`);
    }
    return found;
  }

  /** Creates a list type, or refuses it with every rule it breaks. False when it existed already. */
  async createListType(actor: Actor, def: ListTypeDefinition): Promise<boolean> {
    authorize(actor, 'list_type.manage');
    const bases = new Map((await this.catalog.legalBases()).map((b) => [b.code, b]));
    const refusals = checkListType(def, bases);
    refuseAll(refusals);
    const item = ITEM_OF_KIND[def.kind];
    await this.catalog.item(item); // the item its entries are records of must exist
    return this.db.transaction().execute(async (trx) => {
      const created = await new ListsRepository(trx).createListType(def, toAuditActor(actor).label, item);
      if (created) {
        await this.audit.append(trx, {
          actor: toAuditActor(actor),
          action: 'list_type.create',
          target: { kind: 'list_type', id: def.code },
          details: { kind: def.kind, domain: def.domain, item, bases: def.legalBases.map((b) => b.basis) },
        });
      }
      return created;
    });
  }

  /** A reviewer proposes to list a subject: the case opens, nothing is listed yet. */
  async propose(actor: Actor, request: ProposeRequest): Promise<CaseView> {
    const department = this.departmentOf(actor);
    authorize(actor, 'list.decide', { department: department.code });
    const { definition: def } = await this.listType(request.listType);
    refuse(designationRefusal(def, department), ForbiddenRule);
    const subject = await subjectByCode(this.db, this.protector, request.subjectCode, 'subjectCode');
    if (subject === undefined) {
      throw new NotFoundError('no subject with that code');
    }
    const item = (await this.catalog.item(ITEM_OF_KIND[def.kind])).definition;
    if (!(item.subjectKinds as readonly string[]).includes(subject.kind)) {
      throw new RuleViolationError(`${def.nameZh} does not list subjects of kind ${subject.kind}`, {
        field: 'subjectCode',
        rule: 'list.subject_kind',
      });
    }
    validateFacts(def, request.facts, this.today());
    const flags: Partial<Record<LeniencyFlag, boolean>> = { ...request.leniency };
    if (subject.kind === 'natural_person' && (await this.wasMinor(subject, request.facts.actDate))) {
      flags.minor = true;
    }
    const id = await this.db.transaction().execute(async (trx) => {
      await lockCommits(trx); // one proposal at a time may find no open case
      const open = await new ListsRepository(trx).openCase(def.code, subject.id, this.today());
      if (open !== undefined) {
        throw new ConflictError(`case ${open} about this subject on ${def.nameZh} is still open`, {
          field: 'subjectCode',
          rule: 'list.open_case',
        });
      }
      const made = await new ListsRepository(trx).createCase({
        listType: def.code,
        subjectId: subject.id,
        department: department.code,
        facts: request.facts,
        leniency: { flags, weighed: {} },
      });
      await new ListsRepository(trx).addStep({
        caseId: made,
        step: 'propose',
        on: this.today(),
        by: toAuditActor(actor).label,
      });
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: 'list.propose',
        target: { kind: 'list_case', id: String(made) },
        details: { listType: def.code, subject: subject.id, category: request.facts.category ?? null },
      });
      return made;
    });
    return this.view(id);
  }

  /** The next step of a case; refused, with the rule, when it is not the step due process allows now. */
  async step(actor: Actor, caseId: number, request: StepRequest): Promise<CaseView> {
    const department = this.departmentOf(actor);
    const today = this.today();
    // What the step reads outside the case is read first: the transaction holds its connection.
    const known = await new ListsRepository(this.db).case(caseId);
    const knownType =
      known === undefined ? undefined : await new ListsRepository(this.db).listType(known.list_type);
    const entryItem =
      knownType === undefined ? undefined : await this.catalog.item(ITEM_OF_KIND[knownType.definition.kind]);
    const measures = knownType === undefined ? [] : await this.measureNames(knownType.definition);
    await this.db.transaction().execute(async (trx) => {
      const repo = new ListsRepository(trx);
      const c = await repo.case(caseId, true);
      if (c === undefined || c.department_code !== department.code) {
        throw new NotFoundError(`no list case ${caseId}`);
      }
      authorize(actor, 'list.decide', { department: c.department_code });
      const def = (await repo.listType(c.list_type))?.definition;
      if (def === undefined) {
        throw new NotFoundError(`no list type ${c.list_type}`);
      }
      refuse(designationRefusal(def, department), ForbiddenRule);
      const state = {
        kind: def.kind,
        status: c.status,
        objectionUntil: c.objection_until,
        validUntil: c.valid_until,
        leniency: c.leniency,
      };
      refuse(stepRefusal(request.step, state, today), ConflictRule);
      const document = await this.apply(trx, repo, c, def, request, {
        today,
        department,
        entryItem,
        measures,
      });
      await repo.addStep({
        caseId,
        step: request.step,
        on: today,
        by: toAuditActor(actor).label,
        ...(document === undefined ? {} : { document }),
      });
      await this.audit.append(trx, {
        actor: toAuditActor(actor),
        action: `list.${request.step}`,
        target: { kind: 'list_case', id: String(caseId) },
        details: {
          listType: def.code,
          subject: c.subject_id,
          ...(document === undefined ? {} : { document: document.number }),
          ...stepDetails(request),
        },
      });
    });
    return this.view(caseId);
  }

  /** A case with its steps and documents, for the designating department and auditors. */
  async read(actor: Actor, caseId: number): Promise<CaseView> {
    const c = await new ListsRepository(this.db).case(caseId);
    if (c === undefined) {
      throw new NotFoundError(`no list case ${caseId}`);
    }
    authorize(actor, 'list.read', { department: c.department_code }, { hide: true });
    return this.view(caseId);
  }

  /** A document of a case, as HTML. */
  async document(actor: Actor, caseId: number, stepId: number): Promise<string> {
    await this.read(actor, caseId);
    const step = await new ListsRepository(this.db).step(caseId, stepId);
    if (step?.html === null || step?.html === undefined) {
      throw new NotFoundError(`no document ${stepId} in case ${caseId}`);
    }
    return step.html;
  }

  private async view(caseId: number): Promise<CaseView> {
    const repo = new ListsRepository(this.db);
    const c = await repo.case(caseId);
    if (c === undefined) {
      throw new NotFoundError(`no list case ${caseId}`);
    }
    const def = (await this.listType(c.list_type)).definition;
    const status = effectiveStatus(
      {
        kind: def.kind,
        status: c.status,
        objectionUntil: c.objection_until,
        validUntil: c.valid_until,
        leniency: c.leniency,
      },
      this.today(),
    );
    return { case: c, status, listType: def, steps: await repo.steps(caseId) };
  }

  /** What a step changes, and the document it issues. */
  private async apply(
    trx: Kysely<Schema>,
    repo: ListsRepository,
    c: CaseRow,
    def: ListTypeDefinition,
    request: StepRequest,
    at: { today: string; department: ActorDepartment; entryItem: ItemRow | undefined; measures: string[] },
  ): Promise<{ kind: string; number: string; data: unknown; html: string } | undefined> {
    const { today, department } = at;
    const issue = async (
      kind: DocumentKind,
      number: string,
      sections: CaseDocument['sections'],
      options: { toParty: boolean } = { toParty: def.kind !== 'watch' },
    ) => {
      const doc: CaseDocument = {
        kind,
        title:
          kind === 'decision' && def.kind !== 'serious_dishonesty'
            ? `列入${def.nameZh}决定书`
            : DOCUMENT_KINDS[kind],
        number: required(number, 'documentNumber'),
        date: today,
        department: { code: department.code, name: await this.departmentName(trx, department.code) },
        party: await this.party(trx, c.subject_id),
        sections,
      };
      if (options.toParty) {
        await trx
          .insertInto('outbox')
          .values({
            recipient_kind: 'subject',
            recipient: String(c.subject_id),
            topic: `list.${request.step}`,
            body: JSON.stringify({ case: c.id, listType: def.code, document: doc }),
          })
          .execute();
      }
      return { kind, number: doc.number, data: doc, html: renderDocument(doc) };
    };
    const facts = [
      { heading: '事由', text: c.facts.reasons },
      { heading: '依据', text: c.facts.basis },
      ...(c.facts.category === undefined
        ? []
        : [{ heading: '失信行为类别', text: CATEGORY_NAMES[c.facts.category] }]),
    ];
    switch (request.step) {
      case 'notify':
      case 'announce': {
        const days =
          request.step === 'notify' ? def.objectionDays : (def.announcementDays ?? def.objectionDays);
        const until = this.calendar().addWorkingDays(today, days).value;
        await repo.updateCase(c.id, {
          status: request.step === 'notify' ? 'notified' : 'announced',
          notified_on: today,
          objection_until: until,
        });
        return issue(request.step === 'notify' ? 'notice' : 'announcement', request.documentNumber, [
          ...facts,
          ...(request.step === 'notify' ? [{ heading: '拟采取的失信惩戒措施', text: at.measures }] : []),
          {
            heading: '当事人权利',
            text: `当事人有权陈述、申辩，并可于${until}前（${days}个工作日内）提出异议；逾期未提出的，视为放弃。`,
          },
        ]);
      }
      case 'object':
        await repo.updateCase(c.id, { status: 'objected' });
        // The party's statement is kept as received; the answer replies to it.
        return issue(
          'objection',
          `${c.id}-异议-${today}`,
          [{ heading: '异议内容', text: required(request.statement, 'statement') }],
          { toParty: false },
        );
      case 'answer':
        await repo.updateCase(c.id, { status: request.outcome === 'upheld' ? 'withdrawn' : 'answered' });
        return issue('answer', request.documentNumber, [
          {
            heading: '核实结果',
            text: request.outcome === 'upheld' ? '异议成立，不予列入名单。' : '异议不成立，维持拟列入意见。',
          },
          { heading: '答复', text: required(request.reply, 'reply') },
          { heading: '救济途径', text: def.remedies },
        ]);
      case 'weigh':
        return this.weigh(repo, c, request.weighed);
      case 'decide':
      case 'confirm':
      case 'flag': {
        const validUntil = def.validityMonths === null ? null : addMonths(today, def.validityMonths);
        const number = request.step === 'flag' ? `${def.code}-${c.id}` : request.documentNumber;
        if (at.entryItem === undefined) {
          throw new NotFoundError(`no catalog item ${ITEM_OF_KIND[def.kind]}`);
        }
        const recordId = await this.listEntry(trx, c, def, at.entryItem, {
          number,
          today,
          validUntil,
          department,
          request,
        });
        await repo.updateCase(c.id, {
          status: 'listed',
          decided_on: today,
          valid_until: validUntil,
          record_id: recordId,
        });
        if (request.step === 'flag') {
          return undefined; // a supervisory flag: no document to the party, never disclosed
        }
        return issue(request.step === 'decide' ? 'decision' : 'confirmation', number, [
          ...facts,
          ...(request.step === 'decide'
            ? [{ heading: '失信惩戒措施提示', text: at.measures }, ...this.weighedSections(c)]
            : []),
          { heading: '有效期', text: validUntil === null ? '至移出之日' : `自${today}起至${validUntil}止` },
          { heading: '移出条件', text: def.removal.conditions },
          { heading: '移出程序', text: def.removal.procedure },
          { heading: '救济措施', text: def.remedies },
        ]);
      }
      case 'remove': {
        if (c.record_id === null) {
          throw new ConflictError(`case ${c.id} has no list entry`, { rule: 'list.step_order' });
        }
        await lockCommits(trx);
        await repo.supersedeRecord(c.record_id, {
          status: request.reason === 'repair' ? 'repaired' : 'revoked',
          reason: `${REMOVAL_NAMES[request.reason]}: ${required(request.note, 'note')}`,
          repairOutcome: request.reason === 'repair' ? 'ended' : null,
        });
        await repo.updateCase(c.id, {
          status: 'removed',
          removed_on: today,
          removal: { reason: request.reason, note: request.note },
        });
        return issue('removal', request.documentNumber, [
          { heading: '移出事由', text: `${REMOVAL_NAMES[request.reason]}：${request.note}` },
          { heading: '效力', text: '自本决定作出之日起移出名单，相关失信惩戒措施同时解除，停止公开和共享。' },
        ]);
      }
      case 'withdraw':
        await repo.updateCase(c.id, { status: 'withdrawn' });
        required(request.note, 'note');
        return undefined;
    }
  }

  private async weigh(
    repo: ListsRepository,
    c: CaseRow,
    weighed: Partial<Record<LeniencyFlag, string>>,
  ): Promise<undefined> {
    const present = presentFlags(c.leniency);
    for (const [flag, text] of Object.entries(weighed)) {
      if (!present.includes(flag as LeniencyFlag)) {
        throw new RuleViolationError(
          `leniency: ${flag} is not a ground present in this case (present: ${present.join(', ') || 'none'})`,
          {
            field: `weighed.${flag}`,
            rule: 'list.leniency',
          },
        );
      }
      required(text, `weighed.${flag}`);
    }
    await repo.updateCase(c.id, {
      leniency: { flags: c.leniency.flags, weighed: { ...c.leniency.weighed, ...weighed } },
    });
    return undefined;
  }

  private weighedSections(c: CaseRow): CaseDocument['sections'] {
    const present = presentFlags(c.leniency);
    return present.length === 0
      ? []
      : [
          {
            heading: '宽容审慎情形的考量',
            text: present.map((f) => `${LENIENCY_LABELS[f]}：${c.leniency.weighed[f] ?? ''}`),
          },
        ];
  }

  private async measureNames(def: ListTypeDefinition): Promise<string[]> {
    const measures = (await this.options.measuresOf?.(def.code)) ?? [];
    return measures.length === 0
      ? ['依据相关合作备忘录确定（本名单尚未关联措施）']
      : measures.map((m) => `${m.code} ${m.nameZh}`);
  }

  /** The list entry: a record of the list type's catalog item, made by this decision. */
  private async listEntry(
    trx: Kysely<Schema>,
    c: CaseRow,
    def: ListTypeDefinition,
    row: ItemRow,
    at: {
      number: string;
      today: string;
      validUntil: string | null;
      department: ActorDepartment;
      request: StepRequest;
    },
  ): Promise<number> {
    await lockCommits(trx);
    const item = row.definition;
    const subject = await trx
      .selectFrom('subject')
      .selectAll()
      .where('id', '=', c.subject_id)
      .executeTakeFirstOrThrow();
    const dept = await trx
      .selectFrom('department')
      .select(['name', 'uscc'])
      .where('code', '=', at.department.code)
      .executeTakeFirstOrThrow();
    const uscc = await trx
      .selectFrom('subject_code')
      .select('value')
      .where('subject_id', '=', c.subject_id)
      .where('kind', '=', 'uscc')
      .executeTakeFirst();
    const person = subject.kind === 'natural_person';
    const name =
      person && subject.name_encrypted !== null
        ? this.protector.decrypt(subject.name_encrypted)
        : subject.name;
    const clear: Record<string, unknown> = {
      subject_name: name,
      uscc: uscc?.value ?? undefined,
      list_type: def.nameZh,
      list_name: def.nameZh,
      reason: c.facts.reasons,
      listing_basis: c.facts.basis,
      decision_no: at.number,
      listed_on: at.today,
      valid_until: at.validUntil ?? undefined,
      authority: dept.name,
      authority_uscc: dept.uscc ?? undefined,
      removal_conditions: def.removal.conditions,
      supervision: at.request.step === 'flag' ? at.request.supervision : undefined,
      data_source: dept.name,
      data_source_uscc: dept.uscc ?? undefined,
    };
    const keys = new Set(item.fields.map((f) => f.key));
    const kept = Object.fromEntries(
      Object.entries(clear).filter(([k, v]) => keys.has(k) && v !== undefined && v !== null),
    );
    const payload = { ...kept };
    if (person) {
      payload.subject_name = { $sealed: this.protector.encrypt(name), masked: subject.name };
    }
    return new ListsRepository(trx).insertRecord({
      subjectId: c.subject_id,
      department: at.department.code,
      item: item.code,
      catalogVersionId: row.versionId,
      identityKey: at.number.normalize('NFKC').replace(/\s+/g, ''),
      payload,
      digest: this.protector.hash('identity', canonicalJson(kept)),
      decisionDate: at.today,
      tier: def.kind === 'serious_dishonesty' ? 'serious' : null,
      validUntil: at.validUntil,
      displayPublic: item.display.default?.public ?? item.disclosure === 'public',
    });
  }

  private departmentOf(actor: Actor): ActorDepartment {
    const department = actor.kind === 'user' || actor.kind === 'token' ? actor.department : undefined;
    if (department === undefined) {
      authorize(actor, 'list.decide', { department: '' }); // refuses with the policy's rule
      throw new NotFoundError('no department');
    }
    return department;
  }

  private async departmentName(trx: Kysely<Schema>, code: string): Promise<string> {
    const d = await trx.selectFrom('department').select('name').where('code', '=', code).executeTakeFirst();
    return d?.name ?? code;
  }

  private async party(trx: Kysely<Schema>, subjectId: number): Promise<CaseDocument['party']> {
    const s = await trx
      .selectFrom('subject')
      .select(['name'])
      .where('id', '=', subjectId)
      .executeTakeFirstOrThrow();
    const code = await trx
      .selectFrom('subject_code')
      .select(['kind', 'masked', 'value'])
      .where('subject_id', '=', subjectId)
      .orderBy('id')
      .executeTakeFirst();
    return { name: s.name, code: code?.value ?? code?.masked ?? '' };
  }

  /** Whether a natural person was under 18 on the day of the act: from the ID's birth date, never shown. */
  private async wasMinor(subject: SubjectRow, actDate: string): Promise<boolean> {
    const id = await this.db
      .selectFrom('subject_code')
      .select('value_encrypted')
      .where('subject_id', '=', subject.id)
      .where('kind', '=', 'citizen_id')
      .executeTakeFirst();
    if (id?.value_encrypted === null || id?.value_encrypted === undefined) {
      return false;
    }
    const clear = this.protector.decrypt(id.value_encrypted);
    const birth = `${clear.slice(6, 10)}-${clear.slice(10, 12)}-${clear.slice(12, 14)}`;
    return minorAt(birth, actDate);
  }
}

const REMOVAL_NAMES: Readonly<Record<RemovalReason, string>> = {
  repair: '信用修复',
  court: '人民法院裁判',
  reconsideration: '行政复议决定',
  error: '认定错误',
};

const LENIENCY_LABELS: Readonly<Record<LeniencyFlag, string>> = {
  minor: '行为时未成年',
  force_majeure: '不可抗力',
  unintentional: '非主观故意',
  minor_act: '轻微失信',
};

const ForbiddenRule = RuleViolationError;
const ConflictRule = ConflictError;

function refuse(refusal: Refusal | undefined, As: typeof RuleViolationError | typeof ConflictError): void {
  if (refusal !== undefined) {
    throw new As(refusal.message, { field: refusal.field, value: refusal.value, rule: refusal.rule });
  }
}

function required(value: string, field: string): string {
  if (value.trim() === '') {
    throw new ValidationError(`${field}: required`, { field, rule: 'list.required' });
  }
  return value.trim();
}

function validateFacts(def: ListTypeDefinition, facts: CaseFacts, today: string): void {
  required(facts.reasons, 'facts.reasons');
  required(facts.basis, 'facts.basis');
  if (!isCivilDate(facts.actDate) || facts.actDate > today) {
    throw new ValidationError(
      `facts.actDate: the day of the conduct, a real date not after today (${today})`,
      {
        field: 'facts.actDate',
        value: facts.actDate,
        rule: 'list.act_date',
      },
    );
  }
  if (
    def.kind === 'serious_dishonesty' &&
    (facts.category === undefined || !def.categories.includes(facts.category))
  ) {
    throw new RuleViolationError(
      `facts.category: ${def.nameZh} serves ${def.categories.join(', ')}; the conduct must fall under one of them`,
      { field: 'facts.category', value: facts.category, rule: 'list.category' },
    );
  }
}

/** What the audit event records of a step besides the case: outcomes and reasons, never the texts. */
function stepDetails(request: StepRequest): Record<string, unknown> {
  return request.step === 'answer'
    ? { outcome: request.outcome }
    : request.step === 'remove'
      ? { reason: request.reason }
      : request.step === 'weigh'
        ? { weighed: Object.keys(request.weighed) }
        : {};
}
