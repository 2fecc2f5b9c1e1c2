/**
 * Who may see a record, how, and why: one pure function of (record, catalog item, audience, today).
 * Every answer carries the rule it rests on and, where the catalog names one, the legal basis.
 *
 * - The public sees what the item discloses, within its display period, unless the record was
 *   revoked or repaired away; personal fields only masked, and only on a basis of the rank of law,
 *   regulation or State Council decision, or with the person's consent (国办发〔2020〕49号 (四)).
 * - The subject sees everything about itself, free, with the reason each record is or is not public.
 * - A department sees what the sharing scope gives it for a declared purpose.
 * - An institution sees only the categories the subject authorised.
 * - An auditor sees everything; the service audits every such read.
 */
import { msg, type Message, type MessageKey } from '../../platform/index.ts';
import {
  personalFieldsDisclosable,
  type CatalogItem,
  type Field,
  type LegalBasis,
  type RepairOutcome,
} from '../catalog/index.ts';
import { repairEligibility } from '../records/index.ts';
import type { Audience, Decision, Mark, Reason, RecordFacts, Treatment } from './disclosure.types.ts';

export interface DecideContext {
  /** The legal bases by code, for their rank and title. */
  bases: ReadonlyMap<string, LegalBasis>;
  /** The natural person the record is about consented to the disclosure of their personal information. */
  consent: boolean;
}

/** Repair outcomes that take a record out of disclosure and sharing (a mark keeps it shown). */
const REPAIRED_AWAY: Partial<Record<RepairOutcome, MessageKey>> = {
  end_disclosure: 'disclosure.reason.repaired_ended',
  stop_sharing: 'disclosure.reason.repaired_stopped_sharing',
  shield: 'disclosure.reason.repaired_shielded',
  delete: 'disclosure.reason.repaired_deleted',
  remove_from_list: 'disclosure.reason.repaired_removed',
};

function basisOf(item: CatalogItem, use: string, ctx: DecideContext): Reason['basis'] {
  const cited = item.legalBases.find((b) => (b.uses as readonly string[]).includes(use));
  const basis = cited === undefined ? undefined : ctx.bases.get(cited.basis);
  if (basis === undefined) {
    return undefined;
  }
  return {
    code: basis.code,
    title: basis.title,
    ...(basis.docNumber === undefined ? {} : { docNumber: basis.docNumber }),
    ...(cited?.article === undefined ? {} : { article: cited.article }),
  };
}

function reason(rule: string, message: Message, basis?: Reason['basis']): Reason {
  return basis === undefined ? { rule, message } : { rule, message, basis };
}

/** A field holds personal information for a record of a subject of this kind. */
export function isPersonal(field: Field, subjectKind: string): boolean {
  return field.personal === true || (field.personal === 'natural_person' && subjectKind === 'natural_person');
}

/** When the display period ends, and whether the subject may apply for repair (and if not, why). */
function clockOf(
  record: RecordFacts,
  item: CatalogItem,
  today: string,
): { ended: boolean; repair: Decision['repair'] } {
  const ended = record.longestUntil !== null && today >= record.longestUntil;
  const repairable = item.repair?.repairable === true;
  const e = repairEligibility(record, item, today);
  return {
    ended,
    repair: {
      repairable,
      from: e.verdict === 'not_yet' ? e.from : repairable ? record.shortestUntil : null,
      eligible: e.verdict === 'eligible',
      verdict: e.verdict,
      rule: e.rule,
      message: e.message,
    },
  };
}

function marksOf(record: RecordFacts): Mark[] {
  const marks: Mark[] = [];
  if (record.status === 'under_objection') {
    marks.push('under_objection');
  }
  if (record.status === 'corrected') {
    marks.push('corrected');
  }
  if (record.repairOutcome === 'mark_repaired') {
    marks.push('repaired');
  }
  return marks;
}

/**
 * Why the public may not see a record, or undefined when it may. In order: the record's own
 * state (revoked, repaired away), the clock, then the item's disclosure scope and the person.
 */
function publicRefusal(
  record: RecordFacts,
  item: CatalogItem,
  today: string,
  ctx: DecideContext,
): Reason | undefined {
  const common = withdrawal(record, item, today, ctx);
  if (common !== undefined) {
    return common;
  }
  if (item.disclosure !== 'public') {
    return reason(
      'catalog.disclosure',
      msg(
        item.disclosure === 'subject_only'
          ? 'disclosure.reason.subject_only'
          : 'disclosure.reason.government_only',
        { item: item.nameZh },
      ),
    );
  }
  if (!record.displayPublic) {
    return reason(
      'display.not_public',
      record.tier === 'minor'
        ? msg('disclosure.reason.minor')
        : msg('disclosure.reason.shared_only', { item: item.nameZh }),
      basisOf(item, 'display', ctx),
    );
  }
  if (record.subjectKind === 'natural_person' && !personalDisclosable(item, ctx)) {
    return reason('personal.no_basis', msg('disclosure.reason.personal_no_basis'));
  }
  return undefined;
}

/** Revoked, repaired away, or past the display period: no longer shown or used by anyone but the subject. */
function withdrawal(
  record: RecordFacts,
  item: CatalogItem,
  today: string,
  ctx: DecideContext,
): Reason | undefined {
  if (record.status === 'revoked') {
    return reason('record.revoked', msg('disclosure.reason.revoked'));
  }
  const outcome = record.repairOutcome ?? (record.status === 'repaired' ? 'end_disclosure' : null);
  if (outcome !== null && outcome !== 'mark_repaired') {
    return reason(
      `repair.${outcome}`,
      msg(REPAIRED_AWAY[outcome] ?? 'disclosure.reason.repaired'),
      basisOf(item, 'display', ctx),
    );
  }
  if (record.longestUntil !== null && today >= record.longestUntil) {
    return reason(
      'display.ended',
      msg('disclosure.reason.display_ended', { date: record.longestUntil }),
      basisOf(item, 'display', ctx),
    );
  }
  return undefined;
}

function personalDisclosable(item: CatalogItem, ctx: DecideContext): boolean {
  return personalFieldsDisclosable(item, ctx.bases) || ctx.consent;
}

/** How each field of the record reaches the audience. */
function treatments(
  item: CatalogItem,
  record: RecordFacts,
  audience: Audience,
  ctx: DecideContext,
): Record<string, { treatment: Treatment; rule: string }> {
  const out: Record<string, { treatment: Treatment; rule: string }> = {};
  for (const field of item.fields) {
    if (!isPersonal(field, record.subjectKind)) {
      out[field.key] = { treatment: 'shown', rule: 'field.not_personal' };
      continue;
    }
    out[field.key] = personalTreatment(field, item, record, audience, ctx);
  }
  return out;
}

function personalTreatment(
  field: Field,
  item: CatalogItem,
  record: RecordFacts,
  audience: Audience,
  ctx: DecideContext,
): { treatment: Treatment; rule: string } {
  switch (audience.kind) {
    case 'auditor':
      return { treatment: 'shown', rule: 'audience.auditor' };
    case 'subject':
      // A person's own data in full; another person's ID number (a legal representative's) masked.
      return record.subjectKind === 'natural_person' || field.disclosure !== 'never'
        ? { treatment: 'shown', rule: 'personal.own' }
        : { treatment: 'masked', rule: 'personal.third_party' };
    case 'public':
      if (field.disclosure === 'never') {
        return { treatment: 'withheld', rule: 'personal.never' };
      }
      if (personalFieldsDisclosable(item, ctx.bases)) {
        return { treatment: 'masked', rule: 'personal.basis' };
      }
      return record.subjectKind === 'natural_person' && ctx.consent
        ? { treatment: 'masked', rule: 'personal.consent' }
        : { treatment: 'withheld', rule: 'personal.no_basis' };
    case 'department':
    case 'institution':
      return field.disclosure === 'never'
        ? { treatment: 'withheld', rule: 'personal.never' }
        : { treatment: 'masked', rule: 'personal.masked' };
  }
}

/** Why a department may not see a record, or the reason it may. */
function departmentScope(
  record: RecordFacts,
  item: CatalogItem,
  audience: Extract<Audience, { kind: 'department' }>,
  ctx: DecideContext,
): { shown: boolean; reason: Reason } {
  if (record.departmentCode === audience.department) {
    return { shown: true, reason: reason('sharing.own', msg('disclosure.reason.own_department')) };
  }
  switch (item.sharing) {
    case 'unconditional':
      return {
        shown: true,
        reason: reason(
          'sharing.unconditional',
          msg('disclosure.reason.unconditional', { item: item.nameZh }),
          basisOf(item, 'share', ctx),
        ),
      };
    case 'conditional':
      return audience.matter === undefined
        ? {
            shown: false,
            reason: reason(
              'sharing.conditional',
              msg('disclosure.reason.conditional_no_matter', { item: item.nameZh }),
              basisOf(item, 'share', ctx),
            ),
          }
        : {
            shown: true,
            reason: reason(
              'sharing.conditional',
              msg('disclosure.reason.conditional_matter', { item: item.nameZh, matter: audience.matter }),
              basisOf(item, 'share', ctx),
            ),
          };
    case 'none':
      return {
        shown: false,
        reason: reason('sharing.none', msg('disclosure.reason.not_shared', { item: item.nameZh })),
      };
  }
}

function visibilityOf(
  fields: Record<string, { treatment: Treatment }>,
  present: ReadonlySet<string>,
): 'full' | 'masked' {
  return Object.entries(fields).some(([key, f]) => present.has(key) && f.treatment !== 'shown')
    ? 'masked'
    : 'full';
}

/**
 * Decides how `record` of `item` reaches `audience` on `today` (a civil date, Asia/Shanghai).
 * `present` names the fields the record fills (a masked field it does not fill masks nothing).
 */
export function decide(
  record: RecordFacts,
  item: CatalogItem,
  audience: Audience,
  today: string,
  ctx: DecideContext,
  present: ReadonlySet<string> = new Set(item.fields.map((f) => f.key)),
): Decision {
  const { ended, repair } = clockOf(record, item, today);
  const base = { marks: marksOf(record), repair, displayEnds: record.longestUntil, displayEnded: ended };
  const hidden = (why: Reason): Decision => ({ ...base, visibility: 'hidden', reasons: [why], fields: {} });
  const shown = (why: Reason[]): Decision => {
    const fields = treatments(item, record, audience, ctx);
    return { ...base, visibility: visibilityOf(fields, present), reasons: why, fields };
  };
  // What the public sees: decided for the public, and told to the subject and to an auditor.
  const publicView = (): NonNullable<Decision['publicView']> => {
    const publicly = publicRefusal(record, item, today, ctx);
    return {
      shown: publicly === undefined,
      reason:
        publicly ??
        reason(
          'catalog.disclosure',
          msg('disclosure.reason.public', { item: item.nameZh }),
          basisOf(item, 'disclose', ctx),
        ),
    };
  };

  switch (audience.kind) {
    case 'auditor':
      return {
        ...shown([reason('audience.auditor', msg('disclosure.reason.auditor'))]),
        publicView: publicView(),
      };
    case 'subject':
      return {
        ...shown([
          reason('audience.subject', msg('disclosure.reason.subject'), basisOf(item, 'record', ctx)),
        ]),
        publicView: publicView(),
      };
    case 'public': {
      const view = publicView();
      return view.shown ? shown([view.reason]) : hidden(view.reason);
    }
    case 'department': {
      const away = withdrawal(record, item, today, ctx);
      if (away !== undefined) {
        return hidden(away);
      }
      const scope = departmentScope(record, item, audience, ctx);
      return scope.shown ? shown([scope.reason]) : hidden(scope.reason);
    }
    case 'institution': {
      const away = withdrawal(record, item, today, ctx);
      if (away !== undefined) {
        return hidden(away);
      }
      if (!audience.categories.includes(item.category)) {
        return hidden(
          reason('authorisation.scope', msg('disclosure.reason.not_authorised', { category: item.category })),
        );
      }
      if (item.disclosure === 'none') {
        return hidden(
          reason('catalog.disclosure', msg('disclosure.reason.government_only', { item: item.nameZh })),
        );
      }
      return shown([
        reason(
          'authorisation.granted',
          msg('disclosure.reason.authorised', { category: item.category, purpose: audience.purpose }),
        ),
      ]);
    }
  }
}
