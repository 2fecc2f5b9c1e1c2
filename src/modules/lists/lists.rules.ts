/**
 * The rules of lists as pure functions: what a list type must carry before it can exist, who may
 * designate, and the due-process state machine that cannot skip a step. Each refusal names its
 * rule and the text it rests on.
 */
import { dayNumber, type CivilDate } from '../../platform/calendar/index.ts';
import { msg, RuleViolationError, type Message, type MessageKey } from '../../platform/index.ts';
import type { ListCaseStatus } from '../../platform/db/schema.ts';
import { DEPARTMENT_LEVELS, type ActorDepartment, type DepartmentLevel } from '../auth/index.ts';
import type { LegalBasis, LegalRank } from '../catalog/index.ts';
import {
  INGESTED_KINDS,
  ITEM_OF_KIND,
  LENIENCY_FLAGS,
  type LeniencyFlag,
  type Leniency,
  type ListKind,
  type ListTypeDefinition,
} from './lists.types.ts';

export interface Refusal {
  rule: string;
  /** Rendered in the reader's language (the request's, the command's). */
  message: Message;
  field?: string;
  value?: unknown;
}

/** Refuses with every rule broken (the first one's field, value and rule in the error's details). */
export function refuseAll(refusals: readonly Refusal[]): void {
  const first = refusals[0];
  const message = joined(refusals.map((r) => r.message));
  if (first !== undefined && message !== undefined) {
    throw new RuleViolationError(message, {
      field: first.field,
      value: first.value,
      rule: first.rule,
    });
  }
}

/** Messages one after another, in one message (`first; rest`); undefined for none. */
export function joined(messages: readonly Message[]): Message | undefined {
  return messages.reduceRight<Message | undefined>(
    (rest, first) => (rest === undefined ? first : msg('lists.refusals', { first, rest })),
    undefined,
  );
}

/** D49 (六): a list is set up only on a law, a regulation or a central policy document. */
const LIST_RANKS: readonly LegalRank[] = [
  'law',
  'administrative_regulation',
  'local_regulation',
  'state_council_decision',
  'central_policy',
  'judicial_interpretation',
];
/** D49 (七): the standard by law, administrative regulation or central policy; else a departmental rule. */
const STANDARD_RANKS: readonly LegalRank[] = [
  'law',
  'administrative_regulation',
  'local_regulation',
  'state_council_decision',
  'central_policy',
  'departmental_rule',
];
/** D49 (八): designation below county level only where a law, regulation or departmental rule says so. */
const LEVEL_EXCEPTION_RANKS: readonly LegalRank[] = [
  'law',
  'administrative_regulation',
  'local_regulation',
  'departmental_rule',
];
const PUNISHMENT_KINDS: readonly ListKind[] = ['serious_dishonesty', 'dishonest_debtor'];
const MIN_COMMENT_DAYS = 30;

export function isPunishment(kind: ListKind): boolean {
  return PUNISHMENT_KINDS.includes(kind);
}

const blank = (s: string | undefined) => s === undefined || s.trim() === '';

/** Everything that keeps a list type from being created; empty when it may be. */
export function checkListType(def: ListTypeDefinition, bases: ReadonlyMap<string, LegalBasis>): Refusal[] {
  const out: Refusal[] = [];
  const cited = def.legalBases.map((b, i) => ({ ...b, at: `legalBases[${i}]`, known: bases.get(b.basis) }));
  for (const c of cited.filter((c) => c.known === undefined)) {
    out.push({
      rule: 'list.legal_basis',
      message: msg('lists.rule.basis_unregistered', { at: c.at, basis: c.basis }),
      field: `${c.at}.basis`,
      value: c.basis,
    });
  }
  const ofRank = (of: 'list' | 'standard', ranks: readonly LegalRank[]) =>
    cited.some((c) => c.of === of && c.known !== undefined && ranks.includes(c.known.rank));
  if (isPunishment(def.kind) && !ofRank('list', LIST_RANKS)) {
    out.push({
      rule: 'list.legal_basis',
      message: msg('lists.rule.list_basis', { ranks: LIST_RANKS.join(', ') }),
      field: 'legalBases',
    });
  }
  if (isPunishment(def.kind) && blank(def.removal.conditions)) {
    out.push({
      rule: 'list.removal_conditions',
      message: msg('lists.rule.removal_conditions'),
      field: 'removal.conditions',
    });
  }
  if (def.kind === 'serious_dishonesty') {
    seriousRules(def, out, ofRank);
  }
  if (def.kind === 'red' && (def.announcementDays ?? 0) < 1) {
    out.push({
      rule: 'list.announcement',
      message: msg('lists.rule.announcement'),
      field: 'announcementDays',
      value: def.announcementDays,
    });
  }
  levelRules(def, cited, out);
  if (def.validityMonths !== null && (!Number.isInteger(def.validityMonths) || def.validityMonths < 1)) {
    out.push({
      rule: 'list.validity',
      message: msg('lists.rule.validity'),
      field: 'validityMonths',
      value: def.validityMonths,
    });
  }
  return out;
}

function seriousRules(
  def: ListTypeDefinition,
  out: Refusal[],
  ofRank: (of: 'list' | 'standard', ranks: readonly LegalRank[]) => boolean,
): void {
  if (def.categories.length === 0) {
    out.push({
      rule: 'list.category',
      message: msg('lists.rule.category'),
      field: 'categories',
    });
  }
  if (!ofRank('standard', STANDARD_RANKS)) {
    out.push({
      rule: 'list.standard_basis',
      message: msg('lists.rule.standard_basis'),
      field: 'legalBases',
    });
  }
  for (const [key, value] of [
    ['removal.procedure', def.removal.procedure],
    ['remedies', def.remedies],
  ] as const) {
    if (blank(value)) {
      out.push({
        rule: key === 'remedies' ? 'list.remedies' : 'list.removal_procedure',
        message: msg('lists.rule.removal_procedure', { field: key }),
        field: key,
      });
    }
  }
  const comment = def.standardComment;
  const [from, to] = [dayNumber(comment?.from ?? ''), dayNumber(comment?.to ?? '')];
  const days = from === undefined || to === undefined ? undefined : to - from;
  if (comment === undefined || days === undefined || days < MIN_COMMENT_DAYS || blank(comment.where)) {
    out.push({
      rule: 'list.public_comment',
      message:
        days === undefined
          ? msg('lists.rule.public_comment', { min: MIN_COMMENT_DAYS })
          : msg('lists.rule.public_comment_days', {
              min: MIN_COMMENT_DAYS,
              from: comment?.from ?? '',
              to: comment?.to ?? '',
              days,
            }),
      field: 'standardComment',
      value: comment,
    });
  }
  if (def.objectionDays < 1) {
    out.push({
      rule: 'list.objection_window',
      message: msg('lists.rule.objection_days'),
      field: 'objectionDays',
      value: def.objectionDays,
    });
  }
}

function levelRules(
  def: ListTypeDefinition,
  cited: Array<{ basis: string; known: LegalBasis | undefined }>,
  out: Refusal[],
): void {
  if (levelRank(def.designation.minLevel) <= levelRank('county')) {
    return;
  }
  const exception = cited.find((c) => c.basis === def.designation.exceptionBasis)?.known;
  if (exception === undefined || !LEVEL_EXCEPTION_RANKS.includes(exception.rank)) {
    out.push({
      rule: 'list.level',
      message: msg('lists.rule.level_exception'),
      field: 'designation.minLevel',
      value: def.designation.minLevel,
    });
  }
}

/** 0 for national … 4 for township: a larger number is a lower level. */
function levelRank(level: DepartmentLevel): number {
  return DEPARTMENT_LEVELS.indexOf(level);
}

/** Why this department may not designate on this list type, or undefined when it may. */
export function designationRefusal(
  def: ListTypeDefinition,
  department: ActorDepartment,
): Refusal | undefined {
  if (INGESTED_KINDS.includes(def.kind)) {
    return {
      rule: 'list.by_ingest',
      message: msg('lists.rule.by_ingest', { list: def.nameZh, item: ITEM_OF_KIND[def.kind] }),
      field: 'listType',
      value: def.code,
    };
  }
  if (!department.domains.includes(def.domain)) {
    return {
      rule: 'list.domain',
      message: msg('lists.rule.domain', {
        list: def.nameZh,
        domain: def.domain,
        department: department.code,
        domains: department.domains.length === 0 ? msg('lists.no_domain') : department.domains.join(', '),
      }),
      field: 'listType',
      value: def.code,
    };
  }
  if (levelRank(department.level) > levelRank(def.designation.minLevel)) {
    return {
      rule: 'list.level',
      message: msg('lists.rule.level', {
        list: def.nameZh,
        minLevel: def.designation.minLevel,
        department: department.code,
        level: department.level,
      }),
      field: 'department',
      value: department.code,
    };
  }
  return undefined;
}

export const STEPS = [
  'notify',
  'object',
  'answer',
  'weigh',
  'decide',
  'announce',
  'confirm',
  'flag',
  'remove',
  'withdraw',
] as const;
export type Step = (typeof STEPS)[number];

export interface CaseState {
  kind: ListKind;
  status: ListCaseStatus;
  /** The last day the party may object (after a notice or an announcement). */
  objectionUntil: CivilDate | null;
  validUntil: CivilDate | null;
  leniency: Leniency;
}

/** The steps each kind goes through, from each status. */
const FLOW: Readonly<
  Record<'serious_dishonesty' | 'red' | 'watch', Partial<Record<ListCaseStatus, readonly Step[]>>>
> = {
  serious_dishonesty: {
    proposed: ['notify', 'weigh', 'withdraw'],
    notified: ['object', 'weigh', 'decide', 'withdraw'],
    objected: ['answer', 'weigh', 'withdraw'],
    answered: ['object', 'weigh', 'decide', 'withdraw'],
    listed: ['remove'],
  },
  red: {
    proposed: ['announce', 'withdraw'],
    announced: ['object', 'confirm', 'withdraw'],
    objected: ['answer', 'withdraw'],
    answered: ['object', 'confirm', 'withdraw'],
    listed: ['remove'],
  },
  watch: {
    proposed: ['flag', 'withdraw'],
    listed: ['remove'],
  },
};

/** What a step needs before it may happen next (the message saying so). */
const NEEDS: Partial<Record<Step, MessageKey>> = {
  notify: 'lists.needs.notify',
  object: 'lists.needs.object',
  answer: 'lists.needs.answer',
  decide: 'lists.needs.decide',
  announce: 'lists.needs.announce',
  confirm: 'lists.needs.confirm',
  flag: 'lists.needs.flag',
  remove: 'lists.needs.remove',
};

/** The effective status: an entry whose validity has ended is off the list by the clock. */
export function effectiveStatus(state: CaseState, today: CivilDate): ListCaseStatus {
  return state.status === 'listed' && state.validUntil !== null && today >= state.validUntil
    ? 'removed'
    : state.status;
}

/** Why `step` may not happen now, or undefined when it may. */
export function stepRefusal(step: Step, state: CaseState, today: CivilDate): Refusal | undefined {
  if (INGESTED_KINDS.includes(state.kind)) {
    return { rule: 'list.by_ingest', message: msg('lists.rule.entries_by_ingest') };
  }
  const status = effectiveStatus(state, today);
  const flow = FLOW[state.kind as keyof typeof FLOW];
  if (!(flow[status] ?? []).includes(step)) {
    return {
      rule: 'list.step_order',
      message:
        status === 'removed' && state.status === 'listed'
          ? msg('lists.rule.left_by_clock', { date: state.validUntil ?? '' })
          : msg('lists.rule.step_order', {
              step,
              needs: msg(NEEDS[step] ?? 'lists.needs.open_case'),
              status,
            }),
      field: 'step',
      value: step,
    };
  }
  const windowOpen = state.objectionUntil !== null && today <= state.objectionUntil;
  if (step === 'object' && !windowOpen) {
    return {
      rule: 'list.objection_window',
      message: msg('lists.rule.objection_closed', { date: state.objectionUntil ?? '' }),
      field: 'step',
      value: step,
    };
  }
  if ((step === 'decide' || step === 'confirm') && windowOpen) {
    return {
      rule: 'list.objection_window',
      message: msg('lists.rule.objection_open', {
        date: state.objectionUntil ?? '',
        what: msg(step === 'decide' ? 'lists.rule.no_decision' : 'lists.rule.no_confirmation'),
      }),
      field: 'step',
      value: step,
    };
  }
  if (step === 'decide') {
    const unweighed = presentFlags(state.leniency).filter((f) => blank(state.leniency.weighed[f]));
    if (unweighed.length > 0) {
      return {
        rule: 'list.leniency',
        message: msg('lists.rule.leniency_unweighed', { flags: unweighed.join(', ') }),
        field: 'leniency',
        value: unweighed,
      };
    }
  }
  return undefined;
}

export function presentFlags(leniency: Leniency): LeniencyFlag[] {
  return LENIENCY_FLAGS.filter((f) => leniency.flags[f] === true);
}

/** A person was under 18 on the day of the act, from the birth date in the citizen ID. */
export function minorAt(birthDate: CivilDate, actDate: CivilDate): boolean {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const adult = `${String(y + 18).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return actDate < adult;
}
