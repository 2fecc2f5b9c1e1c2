/**
 * What a model must be before it is loaded. Pure: given a parsed model file, the catalog items
 * and the legal bases known, returns the model ready to compute (weights, base and bounds in
 * hundredths of a point, so that every sum is exact) and every rule the file breaks, each with the
 * place and the value.
 */
import { msg } from '../../platform/i18n/index.ts';
import type { Violation } from '../catalog/index.ts';
import {
  EVALUATED_KINDS,
  type EvaluatedKind,
  type Indicator,
  type Level,
  type ModelFile,
  type TreatmentRules,
} from './evaluation.schema.ts';

export type CompiledIndicator = Indicator & {
  /** The weight in hundredths: a contribution is weight100 × points, in hundredths of a point. */
  weight100: number;
  treatment: TreatmentRules;
};

export interface CompiledLevel extends Level {
  min100: number | null;
  below100: number | null;
}

export interface Model {
  code: string;
  version: number;
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  legalBases: string[];
  subjectKinds: EvaluatedKind[];
  /** The base score in hundredths. */
  base100: number;
  publicLevel: boolean;
  treatment: TreatmentRules;
  indicators: CompiledIndicator[];
  /** From the lowest scores to the highest. */
  levels: CompiledLevel[];
}

export interface CheckedModel {
  model: Model;
  violations: Violation[];
}

const DECIMAL = /^(-?)(\d{1,6})(?:\.(\d{1,2}))?$/;

/** A decimal text of at most two places in hundredths, or undefined when it does not parse. */
export function hundredths(text: string): number | undefined {
  const m = DECIMAL.exec(text.trim());
  if (m === null) {
    return undefined;
  }
  const value = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -value : value;
}

/** Hundredths as the decimal text a person reads ("-12.5" → "-12.50"). */
export function points(value100: number): string {
  const sign = value100 < 0 ? '-' : '';
  const abs = Math.abs(value100);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export interface KnownItem {
  code: string;
  subjectKinds: readonly string[];
}

export function checkModel(
  file: ModelFile,
  items: ReadonlyMap<string, KnownItem>,
  legalBases: ReadonlySet<string>,
): CheckedModel {
  const violations: Violation[] = [];
  const m = file.model;
  const kinds: EvaluatedKind[] = [];
  m.subjectKinds.forEach((kind, i) => {
    const field = `model.subjectKinds.${i}`;
    if (kind === 'natural_person') {
      violations.push({
        rule: 'evaluation.natural_person',
        message: msg('evaluation.rule.natural_person'),
        field,
        value: kind,
      });
    } else if (!(EVALUATED_KINDS as readonly string[]).includes(kind)) {
      violations.push({
        rule: 'evaluation.subject_kind',
        message: msg('evaluation.rule.subject_kind', { kind, kinds: EVALUATED_KINDS.join(', ') }),
        field,
        value: kind,
      });
    } else {
      kinds.push(kind as EvaluatedKind);
    }
  });
  m.legalBases.forEach((code, i) => {
    if (!legalBases.has(code)) {
      violations.push({
        rule: 'evaluation.basis_unknown',
        message: msg('evaluation.rule.basis_unknown', { basis: code }),
        field: `model.legalBases.${i}`,
        value: code,
      });
    }
  });
  const base100 = decimal(m.base, 'model.base', violations) ?? 0;
  const seen = new Set<string>();
  const indicators = file.indicators.map((indicator, i): CompiledIndicator => {
    const at = `indicators.${i}`;
    if (seen.has(indicator.code)) {
      violations.push({
        rule: 'evaluation.indicator_duplicate',
        message: msg('evaluation.rule.indicator_duplicate', { indicator: indicator.code }),
        field: `${at}.code`,
        value: indicator.code,
      });
    }
    seen.add(indicator.code);
    const named = indicator.items.map((item, j) => ({ item, field: `${at}.items.${j}` }));
    if (indicator.kind === 'years_without') {
      named.push({ item: indicator.registrationItem, field: `${at}.registrationItem` });
    }
    for (const { item, field } of named) {
      if (!items.has(item)) {
        violations.push({
          rule: 'evaluation.item_unknown',
          message: msg('evaluation.rule.item_unknown', { item, indicator: indicator.code }),
          field,
          value: item,
        });
      }
    }
    const weight100 = decimal(indicator.weight, `${at}.weight`, violations);
    if (weight100 !== undefined && weight100 <= 0) {
      violations.push({
        rule: 'evaluation.weight_positive',
        message: msg('evaluation.rule.weight_positive', { weight: indicator.weight }),
        field: `${at}.weight`,
        value: indicator.weight,
      });
    }
    return {
      ...indicator,
      weight100: weight100 ?? 0,
      treatment: { ...m.treatment, ...indicator.treatment } as TreatmentRules,
    };
  });
  for (const key of ['displayEnded', 'repaired', 'underObjection'] as const) {
    if (m.treatment[key] === undefined) {
      violations.push({
        rule: 'evaluation.treatment',
        message: msg('evaluation.rule.treatment', { state: key }),
        field: `model.treatment.${key}`,
      });
    }
  }
  const levels = checkLevels(file.levels, violations);
  return {
    model: {
      code: m.code,
      version: m.version,
      nameZh: m.nameZh,
      nameEn: m.nameEn,
      descriptionZh: m.descriptionZh,
      descriptionEn: m.descriptionEn,
      legalBases: m.legalBases,
      subjectKinds: kinds,
      base100,
      publicLevel: m.publicLevel,
      treatment: m.treatment as TreatmentRules,
      indicators,
      levels,
    },
    violations,
  };
}

function decimal(text: string, field: string, violations: Violation[]): number | undefined {
  const value = hundredths(text);
  if (value === undefined) {
    violations.push({
      rule: 'evaluation.decimal',
      message: msg('evaluation.rule.decimal', { value: text }),
      field,
      value: text,
    });
  }
  return value;
}

/** Levels cover every score once: sorted, each starting where the one below ends. */
function checkLevels(input: Level[], violations: Violation[]): CompiledLevel[] {
  const codes = new Set<string>();
  const levels = input.map((level, i): CompiledLevel & { index: number } => {
    const at = `levels.${i}`;
    if (codes.has(level.code)) {
      violations.push({
        rule: 'evaluation.level_duplicate',
        message: msg('evaluation.rule.level_duplicate', { level: level.code }),
        field: `${at}.code`,
        value: level.code,
      });
    }
    codes.add(level.code);
    const min100 = level.min === null ? null : (decimal(level.min, `${at}.min`, violations) ?? null);
    const below100 = level.below === null ? null : (decimal(level.below, `${at}.below`, violations) ?? null);
    if (min100 !== null && below100 !== null && min100 >= below100) {
      violations.push({
        rule: 'evaluation.level_empty',
        message: msg('evaluation.rule.level_empty', {
          level: level.code,
          min: level.min ?? '',
          below: level.below ?? '',
        }),
        field: `${at}.below`,
        value: level.below,
      });
    }
    return { ...level, min100, below100, index: i };
  });
  const low = (l: CompiledLevel) => l.min100 ?? -Infinity;
  const high = (l: CompiledLevel) => l.below100 ?? Infinity;
  const sorted = [...levels].sort((a, b) => low(a) - low(b) || high(a) - high(b));
  sorted.forEach((level, k) => {
    const next = sorted[k + 1];
    if (k === 0 && level.min100 !== null) {
      violations.push({
        rule: 'evaluation.levels_gap',
        message: msg('evaluation.rule.levels_bottom', { level: level.code, min: level.min ?? '' }),
        field: `levels.${level.index}.min`,
        value: level.min,
      });
    }
    if (next === undefined) {
      if (level.below100 !== null) {
        violations.push({
          rule: 'evaluation.levels_gap',
          message: msg('evaluation.rule.levels_top', { level: level.code, below: level.below ?? '' }),
          field: `levels.${level.index}.below`,
          value: level.below,
        });
      }
      return;
    }
    if (high(level) > low(next)) {
      violations.push({
        rule: 'evaluation.levels_overlap',
        message: msg('evaluation.rule.levels_overlap', { level: level.code, other: next.code }),
        field: `levels.${next.index}.min`,
        value: next.min,
      });
    } else if (high(level) < low(next)) {
      violations.push({
        rule: 'evaluation.levels_gap',
        message: msg('evaluation.rule.levels_gap', {
          level: level.code,
          other: next.code,
          below: level.below ?? '',
          min: next.min ?? '',
        }),
        field: `levels.${next.index}.min`,
        value: next.min,
      });
    }
  });
  return sorted.map(({ index: _index, ...level }) => level);
}

/** The level a score (hundredths) falls in. */
export function levelOf(model: Pick<Model, 'levels'>, score100: number): CompiledLevel {
  const level = model.levels.find(
    (l) => (l.min100 === null || score100 >= l.min100) && (l.below100 === null || score100 < l.below100),
  );
  if (level === undefined) {
    throw new Error(`no level holds the score ${score100}: the model was not checked`);
  }
  return level;
}
