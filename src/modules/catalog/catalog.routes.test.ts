import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import type { ItemView } from './catalog.view.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ fresh: true });
});

afterAll(async () => {
  await t.close();
});

describe('GET /api/catalog', () => {
  it('is loaded on first start and says what may be held, why and for how long', async () => {
    expect(t.container.catalogLoaded?.status).toBe('created');
    const res = await t.app.inject({ method: 'GET', url: '/api/catalog' });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ catalogs: Array<{ code: string; version: number }>; items: ItemView[] }>();
    expect(body.catalogs).toEqual([expect.objectContaining({ code: 'national-base', version: 1 })]);
    expect(body.items).toHaveLength(12);
    const penalty = body.items.find((i) => i.code === 'admin_penalty');
    expect(penalty?.legalBases.find((b) => b.code === 'PRC-ADMIN-PENALTY-LAW')).toEqual({
      code: 'PRC-ADMIN-PENALTY-LAW',
      title: '中华人民共和国行政处罚法',
      docNumber: null,
      article: '第四十八条',
      rank: 'law',
      uses: ['record', 'disclose'],
    });
    expect(penalty?.display.find((d) => d.tier === 'general')?.summary).toBe(
      'disclosed for at most 1 year from the decision date, then ends by itself; repair may be applied for after 3 months',
    );
    expect(penalty?.display.find((d) => d.tier === 'minor')?.public).toBe(false);
    expect(penalty?.personalInformation).toMatchObject({ disclosedOnLegalBasis: false, basis: null });
    expect(penalty?.personalInformation.fields).toEqual(expect.arrayContaining(['法定代表人', '证件号码']));
    const debtors = body.items.find((i) => i.code === 'dishonest_judgment_debtor');
    expect(debtors?.personalInformation.disclosedOnLegalBasis).toBe(true);
    const watch = body.items.find((i) => i.code === 'watch_list');
    expect(watch?.disclosure).toBe('none');
  });

  it('filters by category', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/catalog?category=commitment' });
    expect(
      res
        .json<{ items: ItemView[] }>()
        .items.map((i) => i.code)
        .sort(),
    ).toEqual(['breached_commitment', 'credit_commitment']);
    const bad = await t.app.inject({ method: 'GET', url: '/api/catalog?category=gossip' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'validation_failed', field: 'category', value: 'gossip' });
  });

  it('serves one item, and an unknown item as not found', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/catalog/items/admin_licensing' });
    expect(res.statusCode).toBe(200);
    expect(res.json<ItemView>().fields.find((f) => f.key === 'valid_until')?.nameZh).toBe('有效期至');
    // The item sets no deadlines of its own: the platform's 5 and 3 working days, said as such.
    expect(res.json<ItemView>().deadlines).toEqual({
      objection: { workingDays: 5, source: 'platform' },
      repair: { workingDays: 3, source: 'platform' },
    });
    const missing = await t.app.inject({ method: 'GET', url: '/api/catalog/items/gossip' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'not_found' });
  });
});
