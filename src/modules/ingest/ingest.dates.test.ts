/**
 * Dates in order, for every item: a field that ends or follows something (有效期至, 处罚有效期,
 * 公示截止期, 移出日期, 离任日期 …) names what it may not precede, and a row where it does is refused.
 */
import { describe, expect, it } from 'vitest';
import { checkCatalog, CatalogFileSchema, shippedBaseCatalog, type CatalogItem } from '../catalog/index.ts';
import { validateRow } from './ingest.validate.ts';

const items = checkCatalog(CatalogFileSchema.parse(shippedBaseCatalog()), new Map()).items;

/** Words in a date field's name that say it ends or follows something. */
const ENDS = /至|截止|期限|有效期|移出|离任|届满|终止|撤销|发布/;

const ctx = { fromSpreadsheet: false, today: '2026-11-30', hash: (v: string) => `h:${v}` };

function dateOrderProblems(item: CatalogItem, values: Record<string, string>): string[] {
  const cells = new Map(Object.entries(values));
  return validateRow(item, cells, ctx)
    .reasons.filter((r) => r.rule === 'date.order')
    .map((r) => r.field);
}

describe('dates in order in every item of the shipped catalog', () => {
  const pairs = items.flatMap((item) =>
    item.fields.flatMap((f) => (f.notBefore ?? []).map((other) => ({ item, field: f.key, other }))),
  );

  it('gives each date that ends or follows something the dates it may not precede', () => {
    const unpaired = items.flatMap((item) =>
      item.fields
        .filter(
          (f) =>
            f.type === 'date' &&
            (ENDS.test(f.nameZh) || f.role === 'valid_until' || f.role === 'disclosure_until'),
        )
        .filter((f) => f.notBefore === undefined)
        .map((f) => `${item.code}.${f.key} (${f.nameZh})`),
    );
    expect(unpaired).toEqual([]);
    // Licensing, penalties, lists, commitments, registration roles and court lists all have pairs.
    expect(new Set(pairs.map((p) => p.item.code)).size).toBeGreaterThanOrEqual(8);
  });

  it.each(pairs.map((p) => [`${p.item.code}: ${p.field} before ${p.other}`, p] as const))(
    'refuses %s, and accepts them in order',
    (_name, { item, field, other }) => {
      expect(dateOrderProblems(item, { [other]: '2025-03-10', [field]: '2025-03-09' })).toContain(field);
      expect(dateOrderProblems(item, { [other]: '2025-03-10', [field]: '2025-03-10' })).toEqual([]);
      expect(dateOrderProblems(item, { [other]: '2025-03-10', [field]: '2026-03-10' })).toEqual([]);
    },
  );
});
