/**
 * What each step of a designation case changes, and the document it issues (to the party, through
 * the outbox, unless the list is the watch list or the document is the party's own objection).
 * The service has already checked that the step is the one due process allows now.
 */
import type { Kysely } from 'kysely';
import { addMonths, type WorkingDayCalendar } from '../../platform/calendar/index.ts';
import {
  ConflictError,
  msg,
  NotFoundError,
  RuleViolationError,
  ValidationError,
  type DataProtector,
} from '../../platform/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import type { ActorDepartment } from '../auth/index.ts';
import type { ItemRow } from '../catalog/index.ts';
import { lockCommits, supersedeRecord } from '../records/index.ts';
import { DOCUMENT_KINDS, renderDocument, type CaseDocument, type DocumentKind } from './lists.documents.ts';
import { makeListEntry } from './lists.entry.ts';
import type { CaseRow, ListsRepository } from './lists.repository.ts';
import { presentFlags } from './lists.rules.ts';
import {
  CATEGORY_NAMES,
  ITEM_OF_KIND,
  LENIENCY_NAMES,
  type LeniencyFlag,
  type ListTypeDefinition,
  type RemovalReason,
} from './lists.types.ts';

export type StepRequest =
  | { step: 'notify' | 'announce' | 'decide' | 'confirm'; documentNumber: string }
  | { step: 'object'; statement: string }
  | { step: 'answer'; outcome: 'upheld' | 'rejected'; reply: string; documentNumber: string }
  | { step: 'weigh'; weighed: Partial<Record<LeniencyFlag, string>> }
  | { step: 'flag'; supervision: string }
  | { step: 'remove'; reason: RemovalReason; note: string; documentNumber: string }
  | { step: 'withdraw'; note: string };

/** A document a step issued: kept with the step as data and as its HTML rendering. */
export interface IssuedDocument {
  kind: string;
  number: string;
  data: unknown;
  html: string;
}

/** What a step acts on, all of it read before (the case locked) in the step's transaction. */
export interface StepContext {
  trx: Kysely<Schema>;
  repo: ListsRepository;
  protector: DataProtector;
  calendar: WorkingDayCalendar;
  case: CaseRow;
  def: ListTypeDefinition;
  today: string;
  department: ActorDepartment;
  /** The catalog item the list's entries are records of. */
  entryItem: ItemRow | undefined;
  /** The measures the list's memoranda attach, as documents name them. */
  measures: string[];
}

const REMOVAL_NAMES: Readonly<Record<RemovalReason, string>> = {
  repair: '信用修复',
  court: '人民法院裁判',
  reconsideration: '行政复议决定',
  error: '认定错误',
};

/** What a step changes, and the document it issues. */
export async function applyStep(ctx: StepContext, request: StepRequest): Promise<IssuedDocument | undefined> {
  const { trx, repo, case: c, def, today, department } = ctx;
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
      department: { code: department.code, name: (await repo.department(department.code)).name },
      party: await repo.party(c.subject_id),
      sections,
    };
    if (options.toParty) {
      await repo.tellParty(c.subject_id, `list.${request.step}`, {
        case: c.id,
        listType: def.code,
        document: doc,
      });
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
      const until = ctx.calendar.addWorkingDays(today, days).value;
      await repo.updateCase(c.id, {
        status: request.step === 'notify' ? 'notified' : 'announced',
        notified_on: today,
        objection_until: until,
      });
      return issue(request.step === 'notify' ? 'notice' : 'announcement', request.documentNumber, [
        ...facts,
        ...(request.step === 'notify' ? [{ heading: '拟采取的失信惩戒措施', text: ctx.measures }] : []),
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
      return weigh(repo, c, request.weighed);
    case 'decide':
    case 'confirm':
    case 'flag': {
      const validUntil = def.validityMonths === null ? null : addMonths(today, def.validityMonths);
      const number = request.step === 'flag' ? `${def.code}-${c.id}` : request.documentNumber;
      if (ctx.entryItem === undefined) {
        throw new NotFoundError(msg('catalog.no_item', { code: ITEM_OF_KIND[def.kind] }));
      }
      await lockCommits(trx); // one writer of records at a time
      const recordId = await makeListEntry(repo, ctx.protector, c, def, ctx.entryItem, {
        number,
        today,
        validUntil,
        department,
        ...(request.step === 'flag' ? { supervision: request.supervision } : {}),
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
          ? [{ heading: '失信惩戒措施提示', text: ctx.measures }, ...weighedSections(c)]
          : []),
        { heading: '有效期', text: validUntil === null ? '至移出之日' : `自${today}起至${validUntil}止` },
        { heading: '移出条件', text: def.removal.conditions },
        { heading: '移出程序', text: def.removal.procedure },
        { heading: '救济措施', text: def.remedies },
      ]);
    }
    case 'remove': {
      if (c.record_id === null) {
        throw new ConflictError(msg('lists.no_entry', { case: c.id }), { rule: 'list.step_order' });
      }
      await lockCommits(trx);
      const removed = await supersedeRecord(trx, c.record_id, {
        status: request.reason === 'repair' ? 'repaired' : 'revoked',
        reason: `${REMOVAL_NAMES[request.reason]}: ${required(request.note, 'note')}`,
        repairOutcome: request.reason === 'repair' ? 'remove_from_list' : null,
      });
      if (removed === undefined) {
        throw new ConflictError(msg('lists.entry_not_current', { id: c.record_id }), {
          rule: 'list.entry_current',
        });
      }
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

async function weigh(
  repo: ListsRepository,
  c: CaseRow,
  weighed: Partial<Record<LeniencyFlag, string>>,
): Promise<undefined> {
  const present = presentFlags(c.leniency);
  for (const [flag, text] of Object.entries(weighed)) {
    if (!present.includes(flag as LeniencyFlag)) {
      throw new RuleViolationError(
        msg('lists.leniency_absent', {
          flag,
          present: present.length === 0 ? msg('lists.none') : present.join(', '),
        }),
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

function weighedSections(c: CaseRow): CaseDocument['sections'] {
  const present = presentFlags(c.leniency);
  return present.length === 0
    ? []
    : [
        {
          heading: '宽容审慎情形的考量',
          text: present.map((f) => `${LENIENCY_NAMES[f]}：${c.leniency.weighed[f] ?? ''}`),
        },
      ];
}

export function required(value: string, field: string): string {
  if (value.trim() === '') {
    throw new ValidationError(msg('lists.required', { field }), { field, rule: 'list.required' });
  }
  return value.trim();
}

/** What the audit event records of a step besides the case: outcomes and reasons, never the texts. */
export function stepDetails(request: StepRequest): Record<string, unknown> {
  return request.step === 'answer'
    ? { outcome: request.outcome }
    : request.step === 'remove'
      ? { reason: request.reason }
      : request.step === 'weigh'
        ? { weighed: Object.keys(request.weighed) }
        : {};
}
