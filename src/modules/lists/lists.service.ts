/**
 * List types and designation (名单认定). A list type is checked against 国办发〔2020〕49号 before
 * it exists; a list entry comes only from a case that went through every step of due process, in
 * order, each by a reviewer of a department entitled to designate, each audited, each document kept.
 */
import type { Kysely } from 'kysely';
import { isCivilDate, todayInShanghai, type WorkingDayCalendar } from '../../platform/calendar/index.ts';
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
import { authorize, requireDepartment, toAuditActor, type Actor } from '../auth/index.ts';
import type { CatalogService } from '../catalog/index.ts';
import { citizenIdFacts } from '../identifiers/index.ts';
import { lockCommits } from '../records/index.ts';
import { subjectByCode, type SubjectRow } from '../subjects/index.ts';
import { ListsRepository, type CaseRow, type ListTypeRow, type StepRow } from './lists.repository.ts';
import {
  checkListType,
  designationRefusal,
  effectiveStatus,
  minorAt,
  refuseAll,
  STEPS,
  stepRefusal,
  type CaseState,
  type Step,
  type Refusal,
} from './lists.rules.ts';
import { applyStep, required, stepDetails, type StepRequest } from './lists.steps.ts';
import { ITEM_OF_KIND, type CaseFacts, type LeniencyFlag, type ListTypeDefinition } from './lists.types.ts';

export type { StepRequest } from './lists.steps.ts';

export interface ProposeRequest {
  listType: string;
  subjectCode: string;
  facts: CaseFacts;
  /** Grounds for lenience the proposer knows of; minority is derived, never entered. */
  leniency?: Partial<Record<Exclude<LeniencyFlag, 'minor'>, boolean>>;
}

/**
 * A case in a department's queue: where it stands, the steps due process allows today, and the
 * day that matters next (the objection window's last day, or the listing's end).
 */
export interface CaseSummary {
  case: CaseRow;
  status: CaseRow['status'];
  listType: ListTypeDefinition;
  subject: { id: number; name: string; code: string };
  open: boolean;
  nextSteps: Step[];
  dueOn: string | null;
  due: 'objection_window' | 'validity' | null;
}

/** A case still in due process (not yet listed, withdrawn or removed). */
const OPEN_STATUSES: ReadonlyArray<CaseRow['status']> = [
  'proposed',
  'notified',
  'objected',
  'answered',
  'announced',
];

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
      throw new NotFoundError(msg('lists.no_list_type', { code }));
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
    const department = requireDepartment(actor, 'list.decide');
    authorize(actor, 'list.decide', { department: department.code });
    const { definition: def } = await this.listType(request.listType);
    refuseWith(RuleViolationError, designationRefusal(def, department));
    const subject = await subjectByCode(this.db, this.protector, request.subjectCode, 'subjectCode');
    if (subject === undefined) {
      throw new NotFoundError(msg('lists.no_subject'));
    }
    const item = (await this.catalog.item(ITEM_OF_KIND[def.kind])).definition;
    if (!(item.subjectKinds as readonly string[]).includes(subject.kind)) {
      throw new RuleViolationError(msg('lists.subject_kind', { list: def.nameZh, kind: subject.kind }), {
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
        throw new ConflictError(msg('lists.open_case', { case: open, list: def.nameZh }), {
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
    const take = await this.prepareStep(actor, caseId, request);
    await this.db.transaction().execute(take);
    return this.view(caseId);
  }

  /**
   * A step made ready to be taken inside the caller's transaction (an upheld objection or an
   * approved repair removes a list entry in the same transaction that closes the application): what
   * it reads outside the case is read now; the case is locked and checked when it is taken.
   */
  async prepareStep(
    actor: Actor,
    caseId: number,
    request: StepRequest,
  ): Promise<(trx: Kysely<Schema>) => Promise<void>> {
    const department = requireDepartment(actor, 'list.decide');
    const today = this.today();
    // What the step reads outside the case is read first: the transaction holds its connection.
    // (A list type never changes once made; the case is read again, locked, inside.)
    const known = await new ListsRepository(this.db).case(caseId);
    if (known === undefined || known.department_code !== department.code) {
      throw new NotFoundError(msg('lists.no_case', { id: caseId }));
    }
    authorize(actor, 'list.decide', { department: known.department_code });
    const def = (await this.listType(known.list_type)).definition;
    refuseWith(RuleViolationError, designationRefusal(def, department));
    const entryItem = await this.catalog.item(ITEM_OF_KIND[def.kind]);
    const measures = await this.measureNames(def);
    return async (trx) => {
      const repo = new ListsRepository(trx);
      const c = await repo.case(caseId, true);
      if (c === undefined) {
        throw new NotFoundError(msg('lists.no_case', { id: caseId }));
      }
      refuseWith(ConflictError, stepRefusal(request.step, stateOf(c, def), today));
      const document = await applyStep(
        {
          trx,
          repo,
          protector: this.protector,
          calendar: this.calendar(),
          case: c,
          def,
          today,
          department,
          entryItem,
          measures,
        },
        request,
      );
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
    };
  }

  /** The listed case whose entry a record is (an objection or a repair ends it by the removal step). */
  async listedCaseOf(recordId: number): Promise<number | undefined> {
    const c = await this.db
      .selectFrom('list_case')
      .select('id')
      .where('record_id', '=', recordId)
      .where('status', '=', 'listed')
      .executeTakeFirst();
    return c?.id;
  }

  /** A case with its steps and documents, for the designating department and auditors. */
  async read(actor: Actor, caseId: number): Promise<CaseView> {
    const c = await new ListsRepository(this.db).case(caseId);
    if (c === undefined) {
      throw new NotFoundError(msg('lists.no_case', { id: caseId }));
    }
    authorize(actor, 'list.read', { department: c.department_code }, { hide: true });
    return this.view(caseId);
  }

  /**
   * The cases a reviewer or credit officer's department designated or proposed (the auditor: every
   * department's): those still in due process first, the nearest day first, then the rest, the
   * latest first.
   */
  async list(actor: Actor, filter: { limit?: number } = {}): Promise<CaseSummary[]> {
    const own = actor.kind === 'user' || actor.kind === 'token' ? actor.department : undefined;
    const decision = authorize(actor, 'list.read', { department: own?.code ?? '' });
    const department = decision.rule === 'policy.any' ? undefined : own?.code;
    const limit = Math.min(Math.max(filter.limit ?? 200, 1), 500);
    const repo = new ListsRepository(this.db);
    const rows = await repo.cases(department, limit);
    const types = new Map((await repo.listTypes()).map((t) => [t.code, t.definition]));
    const today = this.today();
    const summaries: CaseSummary[] = [];
    for (const row of rows) {
      const def = types.get(row.list_type);
      if (def === undefined) {
        continue;
      }
      const state = stateOf(row, def);
      const status = effectiveStatus(state, today);
      const windowOpen = row.objection_until !== null && today <= row.objection_until;
      const [dueOn, due] =
        OPEN_STATUSES.includes(status) && windowOpen
          ? [row.objection_until, 'objection_window' as const]
          : status === 'listed' && row.valid_until !== null
            ? [row.valid_until, 'validity' as const]
            : [null, null];
      summaries.push({
        case: row,
        status,
        listType: def,
        subject: { id: row.subject_id, name: row.subject_name, code: row.subject_code },
        open: OPEN_STATUSES.includes(status),
        nextSteps: STEPS.filter((s) => stepRefusal(s, state, today) === undefined),
        dueOn,
        due,
      });
    }
    return summaries.sort(
      (a, b) =>
        Number(b.open) - Number(a.open) ||
        (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999') ||
        b.case.id - a.case.id,
    );
  }

  /** A document of a case, as HTML. */
  async document(actor: Actor, caseId: number, stepId: number): Promise<string> {
    await this.read(actor, caseId);
    const step = await new ListsRepository(this.db).step(caseId, stepId);
    if (step?.html === null || step?.html === undefined) {
      throw new NotFoundError(msg('lists.no_document', { step: stepId, case: caseId }));
    }
    return step.html;
  }

  private async view(caseId: number): Promise<CaseView> {
    const repo = new ListsRepository(this.db);
    const c = await repo.case(caseId);
    if (c === undefined) {
      throw new NotFoundError(msg('lists.no_case', { id: caseId }));
    }
    const def = (await this.listType(c.list_type)).definition;
    const status = effectiveStatus(stateOf(c, def), this.today());
    return { case: c, status, listType: def, steps: await repo.steps(caseId) };
  }

  /** The measures the list's memoranda attach, as notices and decisions name them. */
  private async measureNames(def: ListTypeDefinition): Promise<string[]> {
    const measures = (await this.options.measuresOf?.(def.code)) ?? [];
    return measures.length === 0
      ? ['依据相关合作备忘录确定（本名单尚未关联措施）']
      : measures.map((m) => `${m.code} ${m.nameZh}`);
  }

  /** Whether a natural person was under 18 on the day of the act: from the ID's birth date, never shown. */
  private async wasMinor(subject: SubjectRow, actDate: string): Promise<boolean> {
    const sealed = await new ListsRepository(this.db).citizenIdSealed(subject.id);
    const birth =
      sealed === undefined ? undefined : citizenIdFacts(this.protector.decrypt(sealed))?.birthDate;
    return birth !== undefined && minorAt(birth, actDate);
  }
}

/** What the state machine needs of a case. */
function stateOf(c: CaseRow, def: ListTypeDefinition): CaseState {
  return {
    kind: def.kind,
    status: c.status,
    objectionUntil: c.objection_until,
    validUntil: c.valid_until,
    leniency: c.leniency,
  };
}

function refuseWith(
  As: typeof RuleViolationError | typeof ConflictError,
  refusal: Refusal | undefined,
): void {
  if (refusal !== undefined) {
    throw new As(refusal.message, { field: refusal.field, value: refusal.value, rule: refusal.rule });
  }
}

function validateFacts(def: ListTypeDefinition, facts: CaseFacts, today: string): void {
  required(facts.reasons, 'facts.reasons');
  required(facts.basis, 'facts.basis');
  if (!isCivilDate(facts.actDate) || facts.actDate > today) {
    throw new ValidationError(msg('lists.act_date', { today }), {
      field: 'facts.actDate',
      value: facts.actDate,
      rule: 'list.act_date',
    });
  }
  if (
    def.kind === 'serious_dishonesty' &&
    (facts.category === undefined || !def.categories.includes(facts.category))
  ) {
    throw new RuleViolationError(
      msg('lists.facts_category', { list: def.nameZh, categories: def.categories.join(', ') }),
      { field: 'facts.category', value: facts.category, rule: 'list.category' },
    );
  }
}
