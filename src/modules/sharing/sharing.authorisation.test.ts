/** Authorisations and verification over HTTP: what a bank sees, and only for as long as it may. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { sessionCookie } from '../../../test/support/session.ts';
import { penaltyRecord } from '../../../test/support/records.ts';
import { addDays, addMonths, todayInShanghai } from '../../platform/calendar/index.ts';
import { DEMO_PASSWORD } from '../auth/index.ts';
import type { CreditFile } from '../disclosure/index.ts';

const COMPANY = '91350100M000100Y43';
let t: TestApp;
const sessions: Record<string, string> = {};
const today = todayInShanghai();

const login = (username: string) => sessionCookie(t.app, username);
const call = (method: 'GET' | 'POST', url: string, who: string, payload?: object, language = 'en') =>
  t.app.inject({
    method,
    url,
    headers: { cookie: sessions[who], 'accept-language': language },
    ...(payload === undefined ? {} : { payload }),
  });
const grant = (payload: object) => call('POST', '/api/me/authorisations', 'company.user', payload);

beforeAll(async () => {
  t = await createTestApp();
  for (const name of ['company.user', 'bank.user']) {
    sessions[name] = await login(name);
  }
  const clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: DEMO_PASSWORD })).actor;
  await t.container.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'admin_penalty',
    records: [
      penaltyRecord({ 行政处罚决定书文号: 'A-1', 处罚决定日期: addDays(today, -30), 失信程度: '一般' }),
    ],
  });
});

afterAll(async () => {
  await t.close();
});

describe('granting an authorisation', () => {
  it('refuses an open-ended or over-long period, no categories, a watch list, a blank purpose, an unknown institution', async () => {
    const valid = {
      institution: 'DEMO-BANK',
      categories: ['administrative_penalty'],
      purpose: '流动资金贷款审批',
      validUntil: addMonths(today, 6),
    };
    const cases: Array<[object, number, string]> = [
      [{ ...valid, validUntil: addDays(addMonths(today, 12), 1) }, 400, 'authorisation.period'],
      [{ ...valid, validUntil: addDays(today, -1) }, 400, 'authorisation.period'],
      [{ ...valid, categories: [] }, 400, 'authorisation.categories'],
      [{ ...valid, categories: ['penalties'] }, 400, 'authorisation.categories'],
      [{ ...valid, categories: ['watch_list'] }, 400, 'authorisation.categories'],
      [{ ...valid, purpose: '  ' }, 400, 'authorisation.purpose'],
    ];
    for (const [payload, status, rule] of cases) {
      const res = await grant(payload);
      expect([rule, res.statusCode, res.json<{ rule?: string }>().rule]).toEqual([rule, status, rule]);
    }
    expect((await grant({ ...valid, institution: 'NO-SUCH-BANK' })).statusCode).toBe(404);
    expect((await call('POST', '/api/me/authorisations', 'bank.user', valid)).statusCode).toBe(403);
  });
});

describe('an authorised institution', () => {
  let authorisationId = 0;

  it('sees nothing before the subject authorises it, not even that the subject is on file', async () => {
    const res = await call('GET', `/api/subjects/${COMPANY}/file`, 'bank.user');
    const missing = await call('GET', '/api/subjects/91350100MA2XKT7P83/file', 'bank.user');
    expect(res.statusCode).toBe(404);
    expect(res.body).toBe(missing.body);
  });

  it('sees only the categories authorised; each read is audited and reported to the subject', async () => {
    const granted = await grant({
      institution: 'DEMO-BANK',
      categories: ['administrative_licensing'],
      purpose: '流动资金贷款审批',
      validUntil: addMonths(today, 6),
    });
    expect(granted.statusCode).toBe(201);
    authorisationId = granted.json<{ id: number }>().id;
    const narrow = (await call('GET', `/api/subjects/${COMPANY}/file`, 'bank.user')).json<CreditFile>();
    expect(narrow.audience).toBe('institution');
    expect(narrow.categories).toEqual([]);

    await grant({
      institution: 'DEMO-BANK',
      categories: ['administrative_penalty'],
      purpose: '授信审查',
      validUntil: addMonths(today, 1),
    });
    const file = (await call('GET', `/api/subjects/${COMPANY}/file`, 'bank.user')).json<CreditFile>();
    expect(file.categories.map((c) => c.category)).toEqual(['administrative_penalty']);
    expect(file.categories[0]?.records[0]?.disclosure.reasons[0]?.rule).toBe('authorisation.granted');

    const db = t.container.database.db;
    const outbox = await sql<{
      recipient_kind: string;
      topic: string;
      body: { institution: string; kind: string };
    }>`
      select recipient_kind, topic, body from outbox order by id`.execute(db);
    expect(outbox.rows).toHaveLength(2);
    expect(outbox.rows[1]).toMatchObject({
      recipient_kind: 'subject',
      topic: 'authorisation.used',
      body: { institution: 'DEMO-BANK', kind: 'file' },
    });
    const event = await sql<{ details: { audience: string; authorisations: number[] } }>`
      select details from audit_event where action = 'file.read' order by seq desc limit 1`.execute(db);
    expect(event.rows[0]?.details.audience).toBe('institution');
    expect(event.rows[0]?.details.authorisations).toHaveLength(2);
    const mine = (await call('GET', '/api/me/authorisations', 'company.user')).json<
      Array<{ id: number; uses: number }>
    >();
    expect(mine.find((a) => a.id === authorisationId)?.uses).toBe(2);
  });

  it('answers a yes/no question it is authorised for, and refuses one it is not', async () => {
    const ask = (payload: object, language?: string) =>
      call('POST', '/api/verifications', 'bank.user', { code: COMPANY, ...payload }, language);
    const penalised = await ask({ question: 'penalised_general_or_serious', years: 1 });
    expect(penalised.statusCode).toBe(200);
    expect(penalised.json()).toMatchObject({
      answer: true,
      years: 1,
      text: 'has administrative penalties of the general or serious tier decided in the last 1 years',
    });
    expect((await ask({ question: 'penalised_general_or_serious', years: 2 }, 'zh-CN')).json()).toMatchObject(
      {
        answer: true,
        text: '近 2 年内受到一般或严重失信等级的行政处罚',
      },
    );
    const red = await ask({ question: 'red_listed' });
    expect(red.statusCode).toBe(403);
    expect(red.json()).toMatchObject({
      rule: 'authorisation.scope',
      message: 'the subject did not authorise red_list: the question red_listed reads it',
    });
    expect((await ask({ question: 'serious_dishonesty_listed' }, 'zh-CN')).json()).toMatchObject({
      rule: 'authorisation.scope',
      message:
        '主体未授权 serious_dishonesty_list 或 judicial：问询 serious_dishonesty_listed 需查阅该类信息',
    });

    await grant({
      institution: 'DEMO-BANK',
      categories: ['red_list'],
      purpose: '白名单核验',
      validUntil: addMonths(today, 3),
      mode: 'verification',
    });
    expect((await ask({ question: 'red_listed' })).json()).toMatchObject({ answer: false });
    expect((await ask({ question: 'penalised_general_or_serious', years: 4 })).statusCode).toBe(400);
  });

  it('limits the questions per authorisation and day, so answers cannot rebuild the records', async () => {
    const ask = () =>
      call('POST', '/api/verifications', 'bank.user', {
        code: COMPANY,
        question: 'penalised_general_or_serious',
        years: 3,
      });
    let last = await ask();
    let asked = 1;
    while (last.statusCode === 200 && asked < 50) {
      last = await ask();
      asked += 1;
    }
    expect(last.statusCode).toBe(429);
    expect(last.json()).toMatchObject({ rule: 'authorisation.rate_limit' });
    expect(asked).toBeLessThanOrEqual(21);
  });

  it('loses access the moment the subject revokes, and when the period ends, and says which', async () => {
    const db = t.container.database.db;
    await sql`update authorisation set valid_until = ${addDays(today, -1)}, valid_from = ${addDays(today, -30)} where id = ${authorisationId}`.execute(
      db,
    );
    const mine = (await call('GET', '/api/me/authorisations', 'company.user')).json<
      Array<{ id: number; revokedAt: string | null; mode: string }>
    >();
    for (const a of mine.filter((x) => x.revokedAt === null && x.id !== authorisationId)) {
      expect((await call('POST', `/api/me/authorisations/${a.id}/revoke`, 'company.user')).statusCode).toBe(
        200,
      );
    }
    const revoked = await call('GET', `/api/subjects/${COMPANY}/file`, 'bank.user');
    expect(revoked.statusCode).toBe(403);
    expect(revoked.json<{ message: string }>().message).toMatch(/revoked its authorisation/);
    const said = await call('GET', `/api/subjects/${COMPANY}/file`, 'bank.user', undefined, 'zh-CN');
    expect(said.json<{ message: string }>().message).toMatch(
      /^主体已于 \d{4}-\d{2}-\d{2} 撤回授权 \d+：本机构不得查阅该主体的信息$/,
    );
    await sql`delete from authorisation_use`.execute(db);
    await sql`delete from authorisation where revoked_at is not null`.execute(db);
    const ended = await call('GET', `/api/subjects/${COMPANY}/file`, 'bank.user');
    expect(ended.json<{ message: string }>().message).toMatch(new RegExp(`ended on ${addDays(today, -1)}`));
  });
});
