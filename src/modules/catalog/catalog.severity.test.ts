import { describe, expect, it } from 'vitest';
import { checkCatalog } from './catalog.rules.ts';
import { decideTier, displayPeriod, displayWindow } from './catalog.severity.ts';
import { CatalogFileSchema } from './catalog.schema.ts';
import { shippedBaseCatalog } from './catalog.service.ts';

const { items } = checkCatalog(CatalogFileSchema.parse(shippedBaseCatalog()), new Map());
const item = (code: string) => {
  const found = items.find((i) => i.code === code);
  if (found === undefined) {
    throw new Error(code);
  }
  return found;
};
const penalty = item('admin_penalty');

describe('severity tier of an administrative penalty', () => {
  it("takes the department's own statement first", () => {
    expect(decideTier(penalty, { severity: '严重', penalty_types: '警告' }, 'legal_person')).toEqual({
      tier: 'serious',
      source: 'field',
      reason: 'stated by the department: 严重',
    });
  });

  it('derives it from the penalty types and the fine when the department is silent', () => {
    const tier = (
      types: string,
      fine: string | undefined,
      kind: 'legal_person' | 'natural_person' = 'legal_person',
    ) => decideTier(penalty, { penalty_types: types, fine_amount: fine }, kind)?.tier;
    expect(tier('罚款;吊销营业执照', '5')).toBe('serious');
    expect(tier('责令停产停业', undefined)).toBe('serious');
    expect(tier('警告', undefined)).toBe('minor');
    expect(tier('警告、通报批评', undefined)).toBe('minor');
    expect(tier('罚款', '0.3')).toBe('minor'); // 3,000 yuan: simple procedure for an organisation
    expect(tier('罚款', '0.31')).toBe('general');
    expect(tier('罚款', '0.02', 'natural_person')).toBe('minor'); // 200 yuan for a citizen
    expect(tier('罚款', '0.05', 'natural_person')).toBe('general');
    expect(tier('罚款，没收违法所得', '0.1')).toBe('general');
  });

  it('explains a derived tier with the rule it rests on', () => {
    expect(decideTier(penalty, { penalty_types: '吊销许可证件' }, 'legal_person')?.reason).toContain(
      '吊销证照',
    );
  });

  it('fixes the tier of list items, and has none for non-dishonesty items', () => {
    expect(decideTier(item('serious_dishonesty_list'), {}, 'legal_person')?.tier).toBe('serious');
    expect(decideTier(item('admin_licensing'), {}, 'legal_person')).toBeUndefined();
  });

  it('refuses to guess an unknown stated severity', () => {
    expect(decideTier(penalty, { severity: '特别严重' }, 'legal_person')).toBeUndefined();
  });
});

describe('display windows', () => {
  it('counts the periods in months from the decision date', () => {
    const general = displayPeriod(penalty, 'general');
    expect(general).toEqual({ shortestMonths: 3, longestMonths: 12, public: true });
    expect(displayWindow(general!, '2026-03-05')).toEqual({
      public: true,
      shortestUntil: '2026-06-05',
      longestUntil: '2027-03-05',
    });
    expect(displayWindow(displayPeriod(penalty, 'serious')!, '2024-02-29').longestUntil).toBe('2027-02-28');
    expect(displayWindow(displayPeriod(penalty, 'minor')!, '2026-11-30')).toEqual({
      public: false,
      shortestUntil: '2026-11-30',
      longestUntil: '2027-02-28',
    });
  });

  it('gives list entries no end date: they end by removal', () => {
    expect(
      displayWindow(displayPeriod(item('serious_dishonesty_list'), 'serious')!, '2026-01-01').longestUntil,
    ).toBeNull();
  });
});
