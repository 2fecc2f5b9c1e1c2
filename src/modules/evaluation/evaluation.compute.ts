/**
 * One subject's evaluation under a model, explained: pure, given the subject's current records and
 * the day. Every indicator says its value, its points, its contribution (weight × points) and each
 * record it read with what the model did with it, so the score is the base plus the contributions,
 * exactly (all in hundredths of a point). evaluation.sql.ts computes the same in SQL for many
 * subjects at once; the oracle test holds the two together.
 */
import { addMonths } from '../../platform/calendar/index.ts';
import { levelOf, type CompiledIndicator, type Model } from './evaluation.rules.ts';

/** A current record as the evaluation reads it. */
export interface EvaluatedRecord {
  id: number;
  item: string;
  tier: string | null;
  decisionDate: string | null;
  longestUntil: string | null;
  status: string;
}

/** What the model did with a record an indicator read. */
export type RecordTreatment =
  | { use: 'counted' }
  | { use: 'excluded'; because: 'repaired' | 'under_objection' | 'display_ended' }
  | { use: 'outside_window'; before: string }
  /** The record the years are counted from (the latest counted record, or the registration). */
  | { use: 'dates' };

export interface IndicatorResult {
  code: string;
  kind: CompiledIndicator['kind'];
  /** Records counted (count) or whole years (years_without, registration_age). */
  value: number;
  /** The points before the weight: pointsEach × min(value, cap), or pointsPerYear × value. */
  points: number;
  /** weight × points, in hundredths of a point. */
  contribution100: number;
  /** For years_without: what the years were counted from. */
  since?: { date: string; from: 'record' | 'registration' } | null;
  records: Array<EvaluatedRecord & { treatment: RecordTreatment }>;
}

export interface Evaluation {
  model: { code: string; version: number };
  asOf: string;
  base100: number;
  score100: number;
  level: string;
  indicators: IndicatorResult[];
  /** Every record a contribution rests on, by id. */
  counted: number[];
}

/** Whole years from `from` to `to` (as PostgreSQL's age() counts them), never negative. */
export function fullYears(from: string, to: string): number {
  const years = Number(to.slice(0, 4)) - Number(from.slice(0, 4)) - (to.slice(5) < from.slice(5) ? 1 : 0);
  return Math.max(0, years);
}

/** Whether a record takes part at all: the current version, not revoked nor replaced. */
export function readable(record: EvaluatedRecord): boolean {
  return record.status === 'active' || record.status === 'under_objection' || record.status === 'repaired';
}

function treat(indicator: CompiledIndicator, record: EvaluatedRecord, asOf: string): RecordTreatment {
  const t = indicator.treatment;
  if (record.status === 'repaired' && t.repaired === 'exclude') {
    return { use: 'excluded', because: 'repaired' };
  }
  if (record.status === 'under_objection' && t.underObjection === 'exclude') {
    return { use: 'excluded', because: 'under_objection' };
  }
  if (record.longestUntil !== null && asOf >= record.longestUntil && t.displayEnded === 'exclude') {
    return { use: 'excluded', because: 'display_ended' };
  }
  return { use: 'counted' };
}

/** The earliest decision date of the item's records: the day the subject was registered. */
function registeredOn(records: readonly EvaluatedRecord[], item: string): EvaluatedRecord | undefined {
  let first: EvaluatedRecord | undefined;
  for (const r of records) {
    if (
      r.item === item &&
      r.decisionDate !== null &&
      (first === undefined || r.decisionDate < (first.decisionDate ?? ''))
    ) {
      first = r;
    }
  }
  return first;
}

function indicatorResult(
  indicator: CompiledIndicator,
  records: readonly EvaluatedRecord[],
  asOf: string,
): IndicatorResult {
  const read = records.filter((r) => indicator.items.includes(r.item));
  const result = (
    value: number,
    points: number,
    listed: IndicatorResult['records'],
    since?: IndicatorResult['since'],
  ) => ({
    code: indicator.code,
    kind: indicator.kind,
    value,
    // + 0: a negative number of points times nothing is 0, not JavaScript's -0.
    points: points + 0,
    contribution100: indicator.weight100 * points + 0,
    ...(since === undefined ? {} : { since }),
    records: listed,
  });
  switch (indicator.kind) {
    case 'count': {
      const tiers = indicator.tiers;
      const start =
        indicator.withinMonths === undefined ? undefined : addMonths(asOf, -indicator.withinMonths);
      const listed = read
        .filter(
          (r) => tiers === undefined || (r.tier !== null && (tiers as readonly string[]).includes(r.tier)),
        )
        .map((r) => ({
          ...r,
          treatment:
            start !== undefined && (r.decisionDate === null || r.decisionDate < start)
              ? ({ use: 'outside_window', before: start } as const)
              : treat(indicator, r, asOf),
        }));
      const value = listed.filter((r) => r.treatment.use === 'counted').length;
      return result(value, indicator.pointsEach * Math.min(value, indicator.cap), listed);
    }
    case 'years_without': {
      const listed = read.map((r) => ({ ...r, treatment: treat(indicator, r, asOf) }));
      let latest: (typeof listed)[number] | undefined;
      for (const r of listed) {
        if (
          r.treatment.use === 'counted' &&
          r.decisionDate !== null &&
          (latest === undefined || r.decisionDate > (latest.decisionDate ?? ''))
        ) {
          latest = r;
        }
      }
      if (latest !== undefined) {
        latest.treatment = { use: 'dates' };
        const value = Math.min(indicator.cap, fullYears(latest.decisionDate ?? asOf, asOf));
        return result(value, indicator.pointsPerYear * value, listed, {
          date: latest.decisionDate ?? asOf,
          from: 'record',
        });
      }
      const registration = registeredOn(records, indicator.registrationItem);
      if (registration?.decisionDate === undefined || registration.decisionDate === null) {
        return result(0, 0, listed, null);
      }
      const value = Math.min(indicator.cap, fullYears(registration.decisionDate, asOf));
      return result(
        value,
        indicator.pointsPerYear * value,
        [...listed, { ...registration, treatment: { use: 'dates' } }],
        {
          date: registration.decisionDate,
          from: 'registration',
        },
      );
    }
    case 'registration_age': {
      const first = indicator.items
        .map((item) => registeredOn(records, item))
        .filter((r): r is EvaluatedRecord => r !== undefined)
        .sort((a, b) => ((a.decisionDate ?? '') < (b.decisionDate ?? '') ? -1 : 1))[0];
      if (first?.decisionDate === undefined || first.decisionDate === null) {
        return result(0, 0, []);
      }
      const value = Math.min(indicator.cap, fullYears(first.decisionDate, asOf));
      return result(value, indicator.pointsPerYear * value, [{ ...first, treatment: { use: 'dates' } }]);
    }
  }
}

/** The subject's evaluation on `asOf` from its records (others' and unreadable ones are ignored). */
export function evaluate(model: Model, records: readonly EvaluatedRecord[], asOf: string): Evaluation {
  const current = records.filter(readable);
  const indicators = model.indicators.map((indicator) => indicatorResult(indicator, current, asOf));
  const score100 = indicators.reduce((sum, i) => sum + i.contribution100, model.base100);
  const counted = new Set<number>();
  for (const i of indicators) {
    for (const r of i.records) {
      if (r.treatment.use === 'counted' || r.treatment.use === 'dates') {
        counted.add(r.id);
      }
    }
  }
  return {
    model: { code: model.code, version: model.version },
    asOf,
    base100: model.base100,
    score100,
    level: levelOf(model, score100).code,
    indicators,
    counted: [...counted].sort((a, b) => a - b),
  };
}
