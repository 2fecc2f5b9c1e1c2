/**
 * What an evaluation looks like to a reader: points as exact decimal texts (the contributions add up
 * to the score digit for digit), each record with what the model did with it in the reader's
 * language, and the model's public description.
 */
import { render, type Locale } from '../../platform/i18n/index.ts';
import { msg } from '../../platform/i18n/index.ts';
import type { RecordTreatment } from './evaluation.compute.ts';
import type { Model } from './evaluation.rules.ts';
import { points } from './evaluation.rules.ts';
import type { SubjectEvaluation } from './evaluation.service.ts';

const named = (locale: Locale, x: { nameZh: string; nameEn: string }) =>
  locale === 'en' ? x.nameEn : x.nameZh;
const described = (locale: Locale, x: { descriptionZh?: string; descriptionEn?: string }) =>
  (locale === 'en' ? x.descriptionEn : x.descriptionZh) ?? null;

function note(locale: Locale, t: RecordTreatment): string {
  switch (t.use) {
    case 'counted':
      return render(locale, msg('evaluation.treatment.counted'));
    case 'dates':
      return render(locale, msg('evaluation.treatment.dates'));
    case 'outside_window':
      return render(locale, msg('evaluation.treatment.outside_window', { before: t.before }));
    case 'excluded':
      return render(locale, msg(`evaluation.treatment.${t.because}`));
  }
}

export function presentLevel(model: Model, code: string, locale: Locale) {
  const level = model.levels.find((l) => l.code === code);
  return {
    code,
    name: level === undefined ? code : named(locale, level),
    description: level === undefined ? null : described(locale, level),
  };
}

export function presentEvaluation(model: Model, e: SubjectEvaluation, locale: Locale) {
  return {
    model: { code: model.code, version: model.version, name: named(locale, model) },
    asOf: e.asOf,
    computedAt: e.computedAt,
    score: points(e.score100),
    level: presentLevel(model, e.level, locale),
    base: points(e.base100),
    indicators: e.indicators.map((r, i) => {
      const ind = model.indicators[i];
      return {
        code: r.code,
        name: ind === undefined ? r.code : named(locale, ind),
        kind: r.kind,
        rule: ind === undefined ? null : described(locale, ind),
        weight: ind === undefined ? '0' : points(ind.weight100),
        value: r.value,
        points: r.points,
        contribution: points(r.contribution100),
        since: r.since ?? null,
        records: r.records.map((rec) => ({
          id: rec.id,
          item: rec.item,
          tier: rec.tier,
          decisionDate: rec.decisionDate,
          displayEnds: rec.longestUntil,
          status: rec.status,
          use: rec.treatment.use,
          because: rec.treatment.use === 'excluded' ? rec.treatment.because : null,
          note: note(locale, rec.treatment),
        })),
      };
    }),
    counted: e.counted,
  };
}

export function presentModel(
  model: Model,
  meta: { inForce: boolean; loadedAt: Date; currentSince: Date | null; digest: string },
  locale: Locale,
) {
  return {
    code: model.code,
    version: model.version,
    name: named(locale, model),
    description: locale === 'en' ? model.descriptionEn : model.descriptionZh,
    legalBases: model.legalBases,
    subjectKinds: model.subjectKinds,
    base: points(model.base100),
    publicLevel: model.publicLevel,
    treatment: model.treatment,
    inForce: meta.inForce,
    loadedAt: meta.loadedAt,
    inForceSince: meta.currentSince,
    digest: meta.digest,
    indicators: model.indicators.map((i) => ({
      code: i.code,
      name: named(locale, i),
      description: described(locale, i),
      kind: i.kind,
      items: i.items,
      weight: points(i.weight100),
      treatment: i.treatment,
      tiers: i.kind === 'count' ? (i.tiers ?? null) : null,
      withinMonths: i.kind === 'count' ? (i.withinMonths ?? null) : null,
      pointsEach: i.kind === 'count' ? i.pointsEach : null,
      pointsPerYear: i.kind === 'count' ? null : i.pointsPerYear,
      cap: i.cap,
    })),
    levels: model.levels.map((l) => ({
      code: l.code,
      name: named(locale, l),
      description: described(locale, l),
      min: l.min100 === null ? null : points(l.min100),
      below: l.below100 === null ? null : points(l.below100),
    })),
  };
}
