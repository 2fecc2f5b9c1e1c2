/**
 * No existence oracle: for every audience and every read route, a read the caller may not make of a
 * subject on file answers byte for byte as a read of a code the platform does not hold. Only an
 * institution whose authorisation ended or was revoked (it knows the subject already) is told why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { codes, penaltyRecord } from '../../../test/support/records.ts';
import { sessionCookie } from '../../../test/support/session.ts';
import { addDays, todayInShanghai } from '../../platform/calendar/index.ts';
import { DEMO_PASSWORD } from '../auth/index.ts';

const COMPANY = '91350100M000100Y43';
const PERSON = codes.citizenId('35010219800101123');
/** Valid codes of the same kinds that the platform holds nothing about. */
const ABSENT = { company: codes.uscc('91350100', 'MA2XKT7P'), person: codes.citizenId('35010219900202456') };

const AUDIENCES = ['public', 'company.user', 'bank.user', 'clerk.scjg', 'admin', 'reviewer.scjg'] as const;
type Audience = (typeof AUDIENCES)[number];

const ROUTES: Array<{
  name: string;
  request: (code: string) => { method: 'GET' | 'POST'; url: string; payload?: object };
}> = [
  { name: 'credit file', request: (code) => ({ method: 'GET', url: `/api/subjects/${code}/file` }) },
  {
    name: 'credit file with a purpose',
    request: (code) => ({
      method: 'GET',
      url: `/api/subjects/${code}/file?purpose=${encodeURIComponent('授信审查')}`,
    }),
  },
  { name: 'public file', request: (code) => ({ method: 'GET', url: `/api/public/subjects/${code}` }) },
  {
    name: 'public search by code',
    request: (code) => ({ method: 'GET', url: `/api/public/subjects?q=${code}` }),
  },
  {
    name: 'verification',
    request: (code) => ({
      method: 'POST',
      url: '/api/verifications',
      payload: { code, question: 'red_listed' },
    }),
  },
];

let t: TestApp;
const cookies = new Map<Audience, string>();

beforeAll(async () => {
  t = await createTestApp();
  for (const audience of AUDIENCES) {
    if (audience !== 'public') {
      cookies.set(audience, await sessionCookie(t.app, audience));
    }
  }
  const clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: DEMO_PASSWORD })).actor;
  const recent = addDays(todayInShanghai(), -20);
  await t.container.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'admin_penalty',
    records: [
      penaltyRecord({ 行政处罚决定书文号: 'OR-1', 处罚决定日期: recent, 失信程度: '一般' }),
      penaltyRecord({
        行政相对人名称: '林某某',
        行政相对人类别: '自然人',
        统一社会信用代码: '',
        证件类型: '身份证',
        证件号码: PERSON,
        行政处罚决定书文号: 'OR-2',
        处罚决定日期: recent,
        // A minor penalty is not disclosed to the public: the person is on file, and hidden.
        失信程度: '轻微',
      }),
    ],
  });
});

afterAll(async () => {
  await t.close();
});

async function ask(audience: Audience, route: (typeof ROUTES)[number], code: string) {
  const { method, url, payload } = route.request(code);
  const cookie = cookies.get(audience);
  const res = await t.app.inject({
    method,
    url,
    headers: cookie === undefined ? {} : { cookie },
    ...(payload === undefined ? {} : { payload }),
  });
  return { status: res.statusCode, body: res.body };
}

describe('a read the caller may not make', () => {
  it.each(AUDIENCES)(
    'answers %s exactly as for a code the platform does not hold, on every read route',
    async (audience) => {
      for (const route of ROUTES) {
        for (const [held, absent] of [
          [PERSON, ABSENT.person],
          [COMPANY, ABSENT.company],
        ] as const) {
          const onFile = await ask(audience, route, held);
          const missing = await ask(audience, route, absent);
          if (onFile.status >= 200 && onFile.status < 300) {
            continue; // a read this audience may make
          }
          // The public search answers 200 with no results for both; a refusal must not differ at all.
          expect({ audience, route: route.name, held, ...onFile }).toEqual({
            audience,
            route: route.name,
            held,
            ...missing,
          });
        }
      }
    },
  );

  it('never tells an institution without an authorisation that a natural person is on file', async () => {
    for (const route of ROUTES.filter((r) => r.name === 'credit file' || r.name === 'verification')) {
      const onFile = await ask('bank.user', route, PERSON);
      expect(onFile.status).toBe(404);
      expect(onFile.body).toBe((await ask('bank.user', route, ABSENT.person)).body);
    }
  });

  it('shows the public search of a hidden person exactly as of nobody', async () => {
    const search = ROUTES.find((r) => r.name === 'public search by code');
    if (search === undefined) {
      throw new Error('the route table lost the public search');
    }
    const onFile = await ask('public', search, PERSON);
    const missing = await ask('public', search, ABSENT.person);
    expect(onFile.status).toBe(200);
    expect(JSON.parse(onFile.body)).toMatchObject({ total: 0, results: [] });
    // The answer repeats the query masked: all but its last four characters are the same.
    expect(onFile.body.replace(PERSON.slice(-4), '')).toBe(missing.body.replace(ABSENT.person.slice(-4), ''));
    const file = await ask('public', ROUTES.find((r) => r.name === 'public file') ?? search, PERSON);
    expect(file.status).toBe(404);
  });
});
