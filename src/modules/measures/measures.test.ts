/** The shipped measure list, and memoranda: only measures on the list, of the list's direction, for the matters they cover. */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { sessionCookie } from '../../../test/support/session.ts';
import { AppError } from '../../platform/index.ts';
import type { Actor } from '../auth/index.ts';
import type { CatalogService } from '../catalog/index.ts';
import { ensureShippedLists, shippedMeasures, type MemorandumDefinition } from './index.ts';

const require = createRequire(import.meta.url);
const bases = (require('../catalog/data/legal-bases.json') as { legalBases: Array<{ code: string }> })
  .legalBases;

describe('the shipped measure list', () => {
  const measures = shippedMeasures();
  const count = (prefix: string) => measures.filter((m) => m.code.startsWith(prefix)).length;

  it('ships the measures the seeds enumerate, each citing a registered legal basis and its place in the seed', () => {
    expect(measures).toHaveLength(68);
    expect([
      count('JIP-P'),
      count('JIP-A'),
      count('JIP-M'),
      count('JIP-I'),
      count('JIP-S'),
      count('JD-'),
    ]).toEqual([10, 13, 9, 6, 3, 27]);
    const known = new Set(bases.map((b) => b.code));
    for (const m of measures) {
      expect(known.has(m.legalBasis.basis), m.code).toBe(true);
      // 国发〔2016〕33号 (三)–(十四) and 中办发〔2016〕64号 二, where the seed has them.
      const [from, to] = m.code.startsWith('JD-') ? [409, 440] : [359, 371];
      expect(m.legalBasis.seed.line, m.code).toBeGreaterThanOrEqual(from);
      expect(m.legalBasis.seed.line, m.code).toBeLessThanOrEqual(to);
      expect(m.legalBasis.quote.length, m.code).toBeGreaterThan(0);
      expect(m.matters.length, m.code).toBeGreaterThan(0);
    }
    expect(new Set(measures.map((m) => m.code)).size).toBe(68);
  });

  it('never makes a measure carried out by banks, associations or media mandatory', () => {
    const reference = measures.filter((m) => m.binding === 'reference');
    expect(reference.map((m) => m.code)).toEqual(expect.arrayContaining(['JIP-M08', 'JIP-M09', 'JD-5-3']));
    expect(reference.filter((m) => m.obligation === 'mandatory')).toEqual([]);
  });
});

describe('memoranda', () => {
  let t: TestApp;
  const admin: Actor = { kind: 'system', name: 'test' };
  const memo = (entries: MemorandumDefinition['entries']): MemorandumDefinition => ({
    code: 'TEST-MEMO',
    name: '测试备忘录',
    signedOn: '2026-01-01',
    signatories: ['测试部门'],
    basis: 'GF-2016-33',
    entries,
  });

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps starting on a catalog without a list’s item: that list and its memorandum wait, with a warning', async () => {
    const warnings: string[] = [];
    const older = {
      items: async () => (await t.container.catalog.items()).filter((i) => i.code !== 'red_list'),
    } as unknown as CatalogService;
    await ensureShippedLists(
      { lists: t.container.lists, measures: t.container.measures, catalog: older },
      { demo: true, warn: (message) => warnings.push(message) },
    );
    expect(warnings).toEqual([
      'list type RED-INTEGRITY-MODEL waits for catalog item red_list: load the current base catalog',
      'memorandum GF-2016-33-INCENTIVES waits for list type RED-INTEGRITY-MODEL',
    ]);
  });

  it('attaches the dishonest-debtor measures to the court list, and nothing to the watch list', async () => {
    const court = await t.container.measures.attached(['COURT-DISHONEST-DEBTOR']);
    expect(court).toHaveLength(27);
    expect(await t.container.measures.attached(['WATCH-KEY-ATTENTION'])).toEqual([]);
  });

  it('refuses each shortcut with the rule named, and keeps nothing of a refused memorandum', async () => {
    const cases: Array<[MemorandumDefinition['entries'][number], string]> = [
      [{ listType: 'DEMO-SCJG-SERIOUS', measure: 'JIP-A99' }, 'measure.not_listed'],
      [{ listType: 'DEMO-SCJG-SERIOUS', measure: 'JIP-P01' }, 'memorandum.direction'],
      [{ listType: 'WATCH-KEY-ATTENTION', measure: 'JIP-A01' }, 'memorandum.watch_list'],
      [{ listType: 'DEMO-SCJG-SERIOUS', measure: 'JIP-A01', matters: ['hiring'] }, 'measure.matter'],
      [
        { listType: 'COURT-DISHONEST-DEBTOR', measure: 'JD-5-3', obligation: 'mandatory' },
        'measure.reference_only',
      ],
    ];
    for (const [entry, rule] of cases) {
      const refused = await t.container.measures.createMemorandum(admin, memo([entry])).then(
        () => undefined,
        (err: { rule?: string; status?: number }) => err,
      );
      expect(refused, rule).toMatchObject({ status: 422, rule });
    }
    expect((await t.container.measures.memoranda()).map((m) => m.code)).not.toContain('TEST-MEMO');
    const wrongWay = await t.container.measures
      .createMemorandum(admin, memo([{ listType: 'DEMO-SCJG-SERIOUS', measure: 'JIP-P01' }]))
      .catch((err: unknown) => err);
    expect(wrongWay).toBeInstanceOf(AppError);
    expect((wrongWay as AppError).messageIn('zh-CN')).toBe(
      'entries[0]：JIP-P01 是激励措施；DEMO-SCJG-SERIOUS 只能关联惩戒措施',
    );
    expect((wrongWay as AppError).messageIn('en')).toBe(
      'entries[0]: JIP-P01 is an incentive measure; DEMO-SCJG-SERIOUS takes punishment measures',
    );
  });

  it('over HTTP: lists measures by matter, and signs in a memorandum for the platform administrator only', async () => {
    const listed = await t.app.inject({
      method: 'GET',
      url: '/api/measures?direction=punishment&matter=government_procurement',
    });
    expect(listed.statusCode).toBe(200);
    const codes = listed.json<Array<{ code: string; direction: string }>>().map((m) => m.code);
    expect(codes).toContain('JD-1-7');
    expect(codes).not.toContain('JIP-P01');
    const body = memo([{ listType: 'DEMO-SCJG-SERIOUS', measure: 'JD-1-7', matters: ['bidding'] }]);
    const reviewer = await sessionCookie(t.app, 'reviewer.scjg');
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/memoranda',
          headers: { cookie: reviewer },
          payload: body,
        })
      ).statusCode,
    ).toBe(403);
    const cookie = await sessionCookie(t.app, 'admin');
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/memoranda',
      headers: { cookie },
      payload: body,
    });
    expect(made.statusCode).toBe(201);
    const attached = await t.container.measures.attached(['DEMO-SCJG-SERIOUS']);
    expect(attached.find((a) => a.measure.code === 'JD-1-7')).toMatchObject({
      matters: ['bidding'],
      memorandum: 'TEST-MEMO',
    });
  });

  it('over HTTP: the whole list, one measure, the memoranda and the list types answer as documented', async () => {
    // Each answer passes its route's response schema on the way out, or it would be a 500.
    const all = await t.app.inject({ method: 'GET', url: '/api/measures' });
    expect(all.statusCode).toBe(200);
    expect(all.json<unknown[]>()).toHaveLength((await t.container.measures.measures()).length);
    const one = await t.app.inject({ method: 'GET', url: '/api/measures/JIP-P01' });
    expect([one.statusCode, one.json<{ direction: string }>().direction]).toEqual([200, 'incentive']);
    for (const [language, message] of [
      ['zh-CN', '措施清单中没有措施 JIP-X99'],
      ['en', 'no measure JIP-X99 on the measure list'],
    ] as const) {
      const none = await t.app.inject({
        method: 'GET',
        url: '/api/measures/JIP-X99',
        headers: { 'accept-language': language },
      });
      expect([none.statusCode, none.json()]).toEqual([404, { error: 'not_found', message }]);
    }
    for (const url of ['/api/memoranda', '/api/list-types']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect([url, res.statusCode]).toEqual([url, 200]);
      expect(res.json<unknown[]>().length).toBeGreaterThan(0);
    }
  });
});
