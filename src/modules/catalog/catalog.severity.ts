/**
 * The severity tier of a dishonesty record (minor / general / serious): the department's own
 * statement when it gives one, otherwise the item's rule, kept as data in the catalog.
 */
import { addMonths, type CivilDate } from '../../platform/calendar/index.ts';
import type { CatalogItem, DisplayPeriod, SubjectKind, Tier, TierRule } from './catalog.schema.ts';

export interface TierDecision {
  tier: Tier;
  source: 'fixed' | 'field' | 'rule' | 'default';
  /** Why, for a person: the field's value or the rule's reason. */
  reason: string;
}

/** 处罚类别 often lists several types: 警告;罚款 or 罚款、没收违法所得. */
export function splitPenaltyTypes(value: string): string[] {
  return value
    .split(/[;；,，、\s]+/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

function matches(
  rule: TierRule,
  types: string[],
  fineWan: number | undefined,
  subjectKind: SubjectKind,
): boolean {
  const w = rule.when;
  if (w.penaltyTypesAny !== undefined && !types.some((t) => w.penaltyTypesAny?.some((p) => t.includes(p)))) {
    return false;
  }
  if (
    w.penaltyTypesOnly !== undefined &&
    (types.length === 0 || !types.every((t) => w.penaltyTypesOnly?.includes(t)))
  ) {
    return false;
  }
  if (w.fineAtMostWan !== undefined) {
    const limit = subjectKind === 'natural_person' ? w.fineAtMostWan.natural_person : w.fineAtMostWan.other;
    if (fineWan !== undefined && fineWan > limit) {
      return false;
    }
  }
  if (w.fineAtLeastWan !== undefined && (fineWan === undefined || fineWan < w.fineAtLeastWan)) {
    return false;
  }
  return true;
}

/**
 * Decides the tier of a record of `item` from its payload (field key → value). Undefined when the
 * item has no tiers, or when nothing decides it (the record then cannot be committed).
 */
export function decideTier(
  item: CatalogItem,
  payload: Readonly<Record<string, string | undefined>>,
  subjectKind: SubjectKind,
): TierDecision | undefined {
  const severity = item.severity;
  if (severity === undefined) {
    return undefined;
  }
  if ('fixed' in severity) {
    return {
      tier: severity.fixed,
      source: 'fixed',
      reason: `every ${item.nameZh} record is ${severity.fixed}`,
    };
  }
  const stated = payload[severity.field]?.trim();
  if (stated !== undefined && stated !== '') {
    const tier = severity.values[stated];
    return tier === undefined
      ? undefined
      : { tier, source: 'field', reason: `stated by the department: ${stated}` };
  }
  const typesField = item.fields.find((f) => f.role === 'penalty_types');
  const fineField = item.fields.find((f) => f.role === 'fine_amount_wan');
  const types = typesField === undefined ? [] : splitPenaltyTypes(payload[typesField.key] ?? '');
  const fineText = fineField === undefined ? undefined : payload[fineField.key]?.trim();
  const fineWan = fineText === undefined || fineText === '' ? undefined : Number(fineText);
  for (const rule of severity.rule ?? []) {
    if (matches(rule, types, Number.isFinite(fineWan) ? fineWan : undefined, subjectKind)) {
      return { tier: rule.tier, source: 'rule', reason: rule.reason };
    }
  }
  return severity.default === undefined
    ? undefined
    : { tier: severity.default, source: 'default', reason: `the item's default tier is ${severity.default}` };
}

/** The display period that applies to a record of `item` in `tier` (or the item's single period). */
export function displayPeriod(item: CatalogItem, tier: Tier | undefined): DisplayPeriod | undefined {
  if (item.display.tiers !== undefined) {
    return tier === undefined ? undefined : item.display.tiers[tier];
  }
  return item.display.default;
}

export interface DisplayWindow {
  public: boolean;
  /** From this date the subject may apply for repair; null where no shortest period applies. */
  shortestUntil: CivilDate | null;
  /** Disclosure ends by itself on this date; null: no end (a list entry ends by removal). */
  longestUntil: CivilDate | null;
}

/** The display window of a record decided on `decisionDate`. */
export function displayWindow(period: DisplayPeriod, decisionDate: CivilDate): DisplayWindow {
  return {
    public: period.public,
    shortestUntil: period.shortestMonths === null ? null : addMonths(decisionDate, period.shortestMonths),
    longestUntil: period.longestMonths === null ? null : addMonths(decisionDate, period.longestMonths),
  };
}
