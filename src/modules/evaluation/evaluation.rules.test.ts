/**
 * A model is checked like the catalog: the shipped one passes; a model naming an unknown item, a
 * weight that does not parse, levels that overlap or leave a gap, or natural persons is refused
 * with every reason, each naming its place.
 */
import { describe, expect, it } from 'vitest';
import { parseWith, ValidationError } from '../../platform/index.ts';
import { render } from '../../platform/i18n/index.ts';
import { checkModel, hundredths, points, type KnownItem } from './evaluation.rules.ts';
import { ModelFileSchema, type ModelFile } from './evaluation.schema.ts';
import { shippedModel } from './evaluation.service.ts';
import catalog from '../catalog/data/national-base.json' with { type: 'json' };
import bases from '../catalog/data/legal-bases.json' with { type: 'json' };

const items = new Map<string, KnownItem>(
  catalog.items.map((i) => [i.code, { code: i.code, subjectKinds: i.subjectKinds }]),
);
const basisCodes = new Set(bases.legalBases.map((b) => b.code));
const shipped = (): ModelFile => structuredClone(parseWith(ModelFileSchema, shippedModel()));

describe('the shipped model', () => {
  it('passes every rule and reads only catalog items', () => {
    const { model, violations } = checkModel(shipped(), items, basisCodes);
    expect(violations).toEqual([]);
    expect(model.subjectKinds).toEqual(['legal_person', 'other_org', 'individual_business']);
    expect(model.levels.map((l) => l.code)).toEqual(['D', 'C', 'B', 'A']);
    expect(model.indicators.find((i) => i.code === 'red_list')?.weight100).toBe(150);
  });
});

describe('a model refused', () => {
  it('names every reason: an unknown item, a weight that does not parse, overlapping levels, natural persons', () => {
    const file = shipped();
    file.model.subjectKinds.push('natural_person');
    file.indicators[0]!.items = ['admin_penalty', 'no_such_item'];
    file.indicators[1]!.weight = '1,5';
    file.levels[1]!.min = '60'; // C starts below D's end (65): they overlap
    const { violations } = checkModel(file, items, basisCodes);
    expect(violations.map((v) => [v.rule, v.field, v.value])).toEqual([
      ['evaluation.natural_person', 'model.subjectKinds.3', 'natural_person'],
      ['evaluation.item_unknown', 'indicators.0.items.1', 'no_such_item'],
      ['evaluation.decimal', 'indicators.1.weight', '1,5'],
      ['evaluation.levels_overlap', 'levels.1.min', '60'],
    ]);
    expect(render('en', violations[3]!.message)).toBe('the levels D and C overlap: a score would be in both');
  });

  it('refuses a gap between levels and a top level with a ceiling', () => {
    const file = shipped();
    file.levels[2]!.min = '82'; // C ends below 80, B starts at 82
    file.levels[3]!.below = '120';
    const { violations } = checkModel(file, items, basisCodes);
    expect(violations.map((v) => [v.rule, v.field])).toEqual([
      ['evaluation.levels_gap', 'levels.2.min'],
      ['evaluation.levels_gap', 'levels.3.below'],
    ]);
    expect(render('zh-CN', violations[0]!.message)).toContain('自 80（等级 C 的终点）至 82');
  });

  it('refuses a malformed file by its shape, naming the field', () => {
    const file = shipped() as unknown as { indicators: Array<Record<string, unknown>> };
    file.indicators[0]!.pointsEach = 'ten';
    expect(() => parseWith(ModelFileSchema, file)).toThrow(ValidationError);
    try {
      parseWith(ModelFileSchema, file);
    } catch (err) {
      expect((err as ValidationError).toBody()).toMatchObject({ field: 'indicators.0.pointsEach' });
    }
  });
});

describe('points', () => {
  it('parses decimals of at most two places exactly and prints them back', () => {
    expect(hundredths('1.5')).toBe(150);
    expect(hundredths('-0.05')).toBe(-5);
    expect(hundredths('75')).toBe(7500);
    expect(hundredths('1.555')).toBeUndefined();
    expect(hundredths('1e2')).toBeUndefined();
    expect(points(-1250)).toBe('-12.50');
    expect(points(7)).toBe('0.07');
  });
});
