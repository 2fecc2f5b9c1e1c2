/** The public API: Chinese name search, the public file, and what never leaves the platform. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { codes, penaltyRecord } from '../../../test/support/records.ts';
import { createTestDatabase, testConfig } from '../../../test/support/database.ts';
import { createContainer } from '../../container.ts';
import { addDays, todayInShanghai } from '../../platform/calendar/index.ts';
import { validate } from '../identifiers/index.ts';
import { DEMO_PASSWORD, type Actor } from '../auth/index.ts';
import { SearchService, type SearchResult } from '../subjects/index.ts';
import type { CreditFile } from './index.ts';
import { createDataProtector } from '../../platform/index.ts';

let t: TestApp;
let clerk: Actor;
const ADMIN: Actor = { kind: 'system', name: 'test' };
const recent = () => addDays(todayInShanghai(), -20);

/** Synthetic companies: one brand (星辰) in several names and legal forms, and one other. */
const COMPANIES = {
  tech: { name: '闽江星辰科技有限公司', code: codes.uscc('91350100', 'XC000001') },
  trade: { name: '星辰贸易（福州）有限责任公司', code: codes.uscc('91350100', 'XC000002') },
  group: { name: '福州星辰股份有限公司', code: codes.uscc('91350100', 'XC000003') },
  shop: { name: 'ＸＹ星辰餐饮店', code: codes.uscc('92350100', 'XC000004') },
  other: { name: '闽江潮汐物流有限公司', code: codes.uscc('91350100', 'XC000005') },
  /** Known only from minor (not public) information: the public must not learn it exists. */
  hidden: { name: '星辰隐秘咨询有限公司', code: codes.uscc('91350100', 'XC000006') },
};

async function penalties(rows: Array<Record<string, unknown>>): Promise<void> {
  const s = await t.container.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'admin_penalty',
    records: rows,
  });
  expect(s.rejected).toBe(0);
}

beforeAll(async () => {
  t = await createTestApp();
  clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: DEMO_PASSWORD })).actor;
  await penalties(
    Object.entries(COMPANIES).map(([key, c], i) =>
      penaltyRecord({
        行政相对人名称: c.name,
        行政相对人类别: key === 'shop' ? '个体工商户' : '法人及非法人组织',
        统一社会信用代码: c.code,
        行政处罚决定书文号: `P-${i}`,
        处罚决定日期: recent(),
        失信程度: key === 'hidden' ? '轻微' : '一般',
      }),
    ),
  );
});

afterAll(async () => {
  await t.close();
});

const search = async (q: string, extra = '') =>
  t.app.inject({ method: 'GET', url: `/api/public/subjects?q=${encodeURIComponent(q)}${extra}` });
const names = async (q: string) => (await search(q)).json<SearchResult>().results.map((r) => r.name);

describe('public name search', () => {
  it('finds every name holding a two-character brand, closest first, and nothing else', async () => {
    const found = await names('星辰');
    expect(found.sort()).toEqual(
      [COMPANIES.tech, COMPANIES.trade, COMPANIES.group, COMPANIES.shop].map((c) => c.name).sort(),
    );
    // The closest name first: the one with the fewest characters besides the query.
    expect((await names('星辰'))[0]).toBe(COMPANIES.group.name);
  });

  it('matches part of a name, ignores legal forms, and puts the same name first', async () => {
    expect(await names('星辰科技')).toEqual([COMPANIES.tech.name]);
    expect((await names('福州星辰有限公司'))[0]).toBe(COMPANIES.group.name);
    expect((await names('福州星辰股份有限公司'))[0]).toBe(COMPANIES.group.name);
  });

  it('ranks and counts alike whether a bigram is intersected or read in order from the index', async () => {
    const protector = createDataProtector(t.container.config.dataKeyFile);
    const intersected = new SearchService(t.container.database.db, protector, { dense: 1_000_000 });
    const walked = new SearchService(t.container.database.db, protector, { dense: 1 });
    for (const q of ['星辰', '星辰科技', '福州星辰股份有限公司', 'xy星辰', '隐秘咨询']) {
      const a = await intersected.search({ q, pageSize: 2 });
      const b = await walked.search({ q, pageSize: 2 });
      expect([q, b.total, b.results.map((r) => r.name)]).toEqual([q, a.total, a.results.map((r) => r.name)]);
    }
    const page2 = await walked.search({ q: '星辰', page: 2, pageSize: 2 });
    expect(page2.results).toHaveLength(2);
    expect(page2.results.map((r) => r.name)).not.toContain(COMPANIES.group.name);
  });

  it('treats full-width and half-width alike', async () => {
    expect(await names('xy星辰')).toEqual([COMPANIES.shop.name]);
    expect(await names('ＸＹ星辰')).toEqual([COMPANIES.shop.name]);
  });

  it('finds by code, and lists the unified code with each result', async () => {
    const res = (await search(COMPANIES.other.code)).json<SearchResult>();
    expect(res).toMatchObject({
      by: 'code',
      total: 1,
      results: [{ name: COMPANIES.other.name, code: COMPANIES.other.code }],
    });
  });

  it('does not reveal a subject the public may not see, by name or by code', async () => {
    expect(await names('隐秘咨询')).toEqual([]);
    expect((await search(COMPANIES.hidden.code)).json<SearchResult>().total).toBe(0);
    const file = await t.app.inject({ method: 'GET', url: `/api/public/subjects/${COMPANIES.hidden.code}` });
    const missing = await t.app.inject({
      method: 'GET',
      url: `/api/public/subjects/${codes.uscc('91350100', 'XC999999')}`,
    });
    expect(file.statusCode).toBe(404);
    expect(file.json()).toEqual(missing.json());
  });

  it('explains an empty, a one-character, a suffix-only or an over-long query, and a page beyond the end', async () => {
    for (const [q, message] of [
      ['', /give a name/],
      ['星', /two characters/],
      ['有限公司', /two characters/],
      ['星'.repeat(101), /at most 100/],
    ] as const) {
      const res = await search(q);
      expect([q.slice(0, 4), res.statusCode]).toEqual([q.slice(0, 4), 400]);
      expect(res.json()).toMatchObject({
        field: 'q',
        rule: 'search.query',
        message: expect.stringMatching(message) as unknown,
      });
    }
    const beyond = await search('星辰', '&page=3&pageSize=2');
    expect(beyond.statusCode).toBe(400);
    expect(beyond.json()).toMatchObject({
      field: 'page',
      rule: 'search.page',
      message: expect.stringContaining('last page (2) of 4') as unknown,
    });
  });

  it('lets a member of the public find a company by a fragment of its name and read its public file', async () => {
    const hit = (await search('潮汐')).json<SearchResult>().results[0];
    expect(hit?.code).toBe(COMPANIES.other.code);
    const res = await t.app.inject({ method: 'GET', url: `/api/public/subjects/${hit?.code ?? ''}` });
    expect(res.statusCode).toBe(200);
    const file = res.json<CreditFile>();
    expect(file.audience).toBe('public');
    expect(file.subject.name).toBe(COMPANIES.other.name);
    expect(file.categories[0]?.records[0]?.provenance.document.number).toBe('P-4');
  });
});

describe('what never leaves the platform', () => {
  const ID = /\d{17}[\dX]/g;
  const fullIds = (text: string) =>
    [...text.matchAll(ID)]
      .map((m) => m[0])
      .filter((id) => validate(id).valid && validate(id).kind === 'citizen_id');

  it('finds a full citizen ID in text that holds one (the check below can fail)', () => {
    const id = codes.citizenId('35010219900307231');
    expect(fullIds(`{"code":"${id}"}`)).toEqual([id]);
  });

  it('no public response holds a citizen ID, whoever the records name', async () => {
    const person = fc.record({
      division: fc.constantFrom('350102', '350103', '350104', '350105', '110101', '440305'),
      birth: fc.date({ min: new Date('1950-01-01'), max: new Date('2005-12-31'), noInvalidDate: true }),
      seq: fc.integer({ min: 0, max: 999 }),
      surname: fc.constantFrom('林', '陈', '黄', '欧阳', '张'),
      given: fc.string({
        unit: fc.constantFrom('晓', '测', '明', '华', '芳', '伟'),
        minLength: 1,
        maxLength: 2,
      }),
    });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(person, async (p) => {
        n += 1;
        const birth = p.birth.toISOString().slice(0, 10).replaceAll('-', '');
        const id = codes.citizenId(`${p.division}${birth}${String(p.seq).padStart(3, '0')}`);
        const name = p.surname + p.given;
        const company = {
          name: `测试${n}号星河商贸有限公司`,
          code: codes.uscc('91350100', `PX${String(n).padStart(6, '0')}`),
        };
        await penalties([
          penaltyRecord({
            行政相对人名称: company.name,
            统一社会信用代码: company.code,
            法定代表人: name,
            法定代表人证件类型: '身份证',
            法定代表人证件号码: id,
            行政处罚决定书文号: `PX-${n}`,
            处罚决定日期: recent(),
            失信程度: '一般',
          }),
          penaltyRecord({
            行政相对人名称: name,
            行政相对人类别: '自然人',
            统一社会信用代码: '',
            证件类型: '身份证',
            证件号码: id,
            行政处罚决定书文号: `PP-${n}`,
            处罚决定日期: recent(),
            失信程度: '严重',
          }),
        ]);
        // Even with the person's consent, what reaches the public is masked.
        await t.container.files.giveConsent(ADMIN, id, { item: null, evidence: `同意书 ${n}` });
        const responses = await Promise.all([
          search(company.name),
          search('星河商贸'),
          search(id),
          t.app.inject({ method: 'GET', url: `/api/public/subjects/${company.code}` }),
          t.app.inject({ method: 'GET', url: `/api/public/subjects/${id}` }),
        ]);
        expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
        for (const r of responses) {
          expect(fullIds(r.body)).toEqual([]);
          expect(r.body).not.toContain(name.length > 1 ? name : `"${name}"`);
        }
      }),
      { numRuns: 12, seed: 20261122 },
    );
  });
});

describe('the public rate limit', () => {
  it('answers 429 with the rule once one client has made its requests for the minute', async () => {
    const db = await createTestDatabase();
    const base = testConfig(db);
    const container = await createContainer({ ...base, http: { ...base.http, publicRateLimit: 3 } });
    const app = await container.buildHttpServer();
    try {
      const codes3 = [];
      for (let i = 0; i < 4; i += 1) {
        const res = await app.inject({ method: 'GET', url: '/api/public/subjects?q=%E6%98%9F%E8%BE%B0' });
        codes3.push(res.statusCode);
        if (res.statusCode === 429) {
          expect(res.json()).toMatchObject({ error: 'rate_limited', rule: 'public.rate_limit' });
        }
      }
      expect(codes3).toEqual([200, 200, 200, 429]);
      // Signed-in APIs are not limited by the public limit.
      const health = await app.inject({ method: 'GET', url: '/api/health' });
      expect(health.statusCode).toBe(200);
    } finally {
      await app.close();
      await container.close();
      await db.drop();
    }
  });
});
