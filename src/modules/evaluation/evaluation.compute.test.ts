/**
 * Each indicator computed from known records, with what the model does with repaired, objected
 * and ended records shown; and, for any records at all, the base and the contributions adding up to
 * the score exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWith } from '../../platform/index.ts';
import catalog from '../catalog/data/national-base.json' with { type: 'json' };
import bases from '../catalog/data/legal-bases.json' with { type: 'json' };
import { evaluate, fullYears, type EvaluatedRecord } from './evaluation.compute.ts';
import { checkModel, type KnownItem } from './evaluation.rules.ts';
import { ModelFileSchema } from './evaluation.schema.ts';
import { shippedModel } from './evaluation.service.ts';
import { arbitraryRecord } from '../../../test/support/evaluation.ts';

const items = new Map<string, KnownItem>(
  catalog.items.map((i) => [i.code, { code: i.code, subjectKinds: i.subjectKinds }]),
);
const { model } = checkModel(
  parseWith(ModelFileSchema, shippedModel()),
  items,
  new Set(bases.legalBases.map((b) => b.code)),
);
const AS_OF = '2026-12-03';

let nextId = 1;
const rec = (item: string, decisionDate: string, more: Partial<EvaluatedRecord> = {}): EvaluatedRecord => ({
  id: nextId++,
  item,
  tier: null,
  decisionDate,
  longestUntil: null,
  status: 'active',
  ...more,
});
const indicator = (e: ReturnType<typeof evaluate>, code: string) =>
  e.indicators.find((i) => i.code === code)!;

describe('indicators from known records', () => {
  const registered = rec('registration', '2019-04-01');
  const serious = rec('admin_penalty', '2025-06-01', { tier: 'serious', longestUntil: '2028-06-01' });
  const seriousOld = rec('admin_penalty', '2022-01-10', { tier: 'serious', longestUntil: '2025-01-10' });
  const general = rec('admin_penalty', '2026-03-01', { tier: 'general', longestUntil: '2027-03-01' });
  const repaired = rec('admin_penalty', '2026-05-01', {
    tier: 'general',
    longestUntil: '2027-05-01',
    status: 'repaired',
  });
  const objected = rec('admin_penalty', '2026-06-01', {
    tier: 'general',
    longestUntil: '2027-06-01',
    status: 'under_objection',
  });
  const revoked = rec('admin_penalty', '2026-07-01', {
    tier: 'general',
    longestUntil: '2027-07-01',
    status: 'revoked',
  });
  const red = rec('red_list', '2026-01-05');
  const redEnded = rec('red_list', '2023-01-05', { longestUntil: '2025-01-05' });
  const promise = rec('credit_commitment', '2026-02-02');
  const e = evaluate(
    model,
    [registered, serious, seriousOld, general, repaired, objected, revoked, red, redEnded, promise],
    AS_OF,
  );

  it('counts serious penalties of the last 36 months, leaving older ones outside the window', () => {
    const i = indicator(e, 'penalty_serious');
    expect([i.value, i.points, i.contribution100]).toEqual([1, -10, -1000]);
    expect(i.records.map((r) => [r.id, r.treatment])).toEqual([
      [serious.id, { use: 'counted' }],
      [seriousOld.id, { use: 'outside_window', before: '2023-12-03' }],
    ]);
  });

  it('leaves repaired records and records under objection out, and says why; a revoked record is not read', () => {
    const i = indicator(e, 'penalty_general');
    expect([i.value, i.points]).toEqual([1, -4]);
    expect(i.records.map((r) => [r.id, r.treatment])).toEqual([
      [general.id, { use: 'counted' }],
      [repaired.id, { use: 'excluded', because: 'repaired' }],
      [objected.id, { use: 'excluded', because: 'under_objection' }],
    ]);
  });

  it('counts red-list entries at their weight, not ones whose display ended', () => {
    const i = indicator(e, 'red_list');
    expect([i.value, i.points, i.contribution100]).toEqual([1, 4, 600]);
    expect(i.records.find((r) => r.id === redEnded.id)?.treatment).toEqual({
      use: 'excluded',
      because: 'display_ended',
    });
  });

  it('counts commitments made and the years since the latest counted adverse record and since registration', () => {
    expect(indicator(e, 'commitments_made').value).toBe(1);
    const clean = indicator(e, 'years_without_adverse');
    // the latest counted adverse record is the general penalty of 2026-03-01 (the later ones are left out)
    expect([clean.value, clean.since]).toEqual([0, { date: '2026-03-01', from: 'record' }]);
    expect(indicator(e, 'registration_age').value).toBe(5); // 7 whole years, capped at 5
  });

  it('adds up: base 75 − 10 − 4 + 6 + 1 + 0 + 5 = 73, level C', () => {
    expect(e.score100).toBe(7300);
    expect(e.level).toBe('C');
    expect(e.counted).toEqual(
      [registered.id, serious.id, general.id, red.id, promise.id].sort((a, b) => a - b),
    );
  });

  it('changes level when the penalty is repaired', () => {
    const after = evaluate(
      model,
      [registered, { ...serious, status: 'repaired' }, general, red, promise],
      AS_OF,
    );
    expect(after.score100).toBe(8300);
    expect(after.level).toBe('B');
  });

  it('counts years from registration when there is no adverse record, up to the cap', () => {
    const young = evaluate(model, [rec('registration', '2024-12-04')], AS_OF);
    expect(indicator(young, 'years_without_adverse')).toMatchObject({
      value: 1,
      since: { date: '2024-12-04', from: 'registration' },
    });
    expect(indicator(young, 'registration_age').value).toBe(1);
    const none = evaluate(model, [], AS_OF);
    expect(none.score100).toBe(7500);
    expect(indicator(none, 'years_without_adverse').since).toBeNull();
  });

  it('counts whole years as PostgreSQL does, 29 February included', () => {
    expect(fullYears('2024-02-29', '2025-02-28')).toBe(0);
    expect(fullYears('2024-02-29', '2025-03-01')).toBe(1);
    expect(fullYears('2020-12-03', '2026-12-03')).toBe(6);
    expect(fullYears('2027-01-01', '2026-12-03')).toBe(0);
  });
});

describe('the contributions add up to the score', () => {
  it('exactly, for any records on any day (property)', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryRecord, { maxLength: 40 }),
        fc.integer({ min: 0, max: 4000 }),
        (records, day) => {
          const asOf = new Date(Date.UTC(2016, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
          const e = evaluate(
            model,
            records.map((r, i) => ({ ...r, id: i + 1 })),
            asOf,
          );
          const sum = e.indicators.reduce((s, i) => s + i.contribution100, e.base100);
          expect(sum).toBe(e.score100);
          for (const i of e.indicators) {
            const ind = model.indicators.find((x) => x.code === i.code)!;
            expect(i.contribution100).toBe(ind.weight100 * i.points);
          }
          const level = model.levels.find((l) => l.code === e.level)!;
          expect(level.min100 === null || e.score100 >= level.min100).toBe(true);
          expect(level.below100 === null || e.score100 < level.below100).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
