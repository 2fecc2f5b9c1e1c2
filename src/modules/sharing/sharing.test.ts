/** Government sharing: the batch lookup and the change feed of watched subjects. */
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { horizonPassed as waitForHorizon } from '../../../test/support/feed.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { sessionCookie } from '../../../test/support/session.ts';
import { codes, penaltyRecord } from '../../../test/support/records.ts';
import { addDays, addMonths, todayInShanghai } from '../../platform/calendar/index.ts';
import { createDataProtector } from '../../platform/index.ts';
import { DEMO_PASSWORD, type Actor } from '../auth/index.ts';
import type { LookupResult } from '../disclosure/index.ts';
import { ChangeFeedService, type Change } from './index.ts';

const COMPANY = '91350100M000100Y43';
const OTHER = codes.uscc('91350100', 'GH000001');
const today = todayInShanghai();
let t: TestApp;
let clerk: Actor;
let officer: Actor;

const horizonPassed = () => waitForHorizon(t);

beforeAll(async () => {
  t = await createTestApp();
  clerk = (await t.container.auth.login({ username: 'clerk.scjg', password: DEMO_PASSWORD })).actor;
  officer = (await t.container.auth.login({ username: 'officer.zj', password: DEMO_PASSWORD })).actor;
  await t.container.ingest.ingestRecords(clerk, {
    department: 'FZ-SCJG',
    item: 'admin_penalty',
    records: [
      penaltyRecord({ 行政处罚决定书文号: 'F-1', 处罚决定日期: addDays(today, -40), 失信程度: '一般' }),
      penaltyRecord({
        行政相对人名称: '闽侯示例建材有限公司',
        统一社会信用代码: OTHER,
        行政处罚决定书文号: 'F-2',
        处罚决定日期: addDays(today, -40),
        失信程度: '一般',
      }),
    ],
  });
});

afterAll(async () => {
  await t.close();
});

describe('batch lookup', () => {
  it('answers each of many codes: found with its shareable file, not found, or why the code is wrong; one audit event', async () => {
    const missing = codes.uscc('91350100', 'GH999999');
    const results = await t.container.files.lookup(officer, [COMPANY, missing, '91350100M000100Y4'], {
      purpose: '政府采购投标人资格审查',
      matter: 'government_procurement',
      locale: 'en',
    });
    expect(results.map((r) => r.status)).toEqual(['found', 'not_found', 'invalid']);
    const found = results[0] as Extract<LookupResult, { status: 'found' }>;
    expect(found.file.audience).toBe('department');
    expect(found.file.categories[0]?.records[0]?.provenance.document.number).toBe('F-1');
    expect((results[2] as { message: string }).message).toMatch(/^code: /);
    const event = await sql<{ details: { codes: number; subjects: number[]; matter: string } }>`
      select details from audit_event where action = 'sharing.lookup'`.execute(t.container.database.db);
    expect(event.rows).toHaveLength(1);
    expect(event.rows[0]?.details).toMatchObject({ codes: 3, matter: 'government_procurement' });
    expect(event.rows[0]?.details.subjects).toHaveLength(1);
  });

  it('explains in the language asked for: the wrong code, and why a record is shared', async () => {
    const cookie = await sessionCookie(t.app, 'officer.zj');
    const lookup = (language: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/sharing/lookup',
        headers: { cookie, 'accept-language': language },
        payload: { codes: [COMPANY, '91350100M000100Y4'], purpose: '政府采购投标人资格审查' },
      });
    const said = async (language: string) => {
      const { results } = (await lookup(language)).json<{ results: LookupResult[] }>();
      const [found, invalid] = results as [
        Extract<LookupResult, { status: 'found' }>,
        Extract<LookupResult, { status: 'invalid' }>,
      ];
      const reason = found.file.categories[0]?.records[0]?.disclosure.reasons[0];
      return { rule: reason?.rule, reason: reason?.message, invalid: invalid.message };
    };
    expect(await said('zh-CN')).toEqual({
      rule: 'sharing.unconditional',
      reason: expect.stringMatching(/^行政处罚.*为无条件共享信息，按所申明的事由向各部门共享$/) as unknown,
      invalid: expect.stringMatching(/^code：/) as unknown,
    });
    expect(await said('en')).toEqual({
      rule: 'sharing.unconditional',
      reason: expect.stringMatching(/is shared with every department, for the declared purpose$/) as unknown,
      invalid: expect.stringMatching(/^code: /) as unknown,
    });
  });

  it('refuses a blank purpose, an empty list and a list over 1,000, and anyone but a department', async () => {
    await expect(t.container.files.lookup(officer, [COMPANY], { purpose: '' })).rejects.toMatchObject({
      rule: 'sharing.purpose',
    });
    await expect(t.container.files.lookup(officer, [], { purpose: 'x' })).rejects.toMatchObject({
      rule: 'sharing.lookup_size',
    });
    await expect(
      t.container.files.lookup(
        officer,
        Array.from({ length: 1001 }, () => COMPANY),
        { purpose: 'x' },
      ),
    ).rejects.toMatchObject({ rule: 'sharing.lookup_size' });
    const company = (await t.container.auth.login({ username: 'company.user', password: DEMO_PASSWORD }))
      .actor;
    await expect(t.container.files.lookup(company, [COMPANY], { purpose: 'x' })).rejects.toMatchObject({
      status: 403,
    });
  });
});

describe('the change feed', () => {
  const feedOn = (day: string) =>
    new ChangeFeedService(
      t.container.database.db,
      t.container.audit,
      t.container.catalog,
      createDataProtector(t.container.config.dataKeyFile),
      () => day,
    );
  const kinds = (changes: Change[]) => changes.map((c) => `${c.item}:${c.change}`);

  it('reports new records, versions and revocations of watched subjects once each, and nothing of others', async () => {
    const feed = t.container.feed;
    expect(await feed.watch(officer, [COMPANY, codes.uscc('91350100', 'GH999998')])).toMatchObject({
      watching: 1,
      unknown: [codes.uscc('91350100', 'GH999998')],
    });
    await horizonPassed();
    const first = await feed.changes(officer);
    expect(kinds(first.changes)).toEqual(['admin_penalty:new_record']);
    expect((await feed.changes(officer, first.next)).changes).toEqual([]);

    await t.container.ingest.ingestRecords(clerk, {
      department: 'FZ-SCJG',
      item: 'admin_penalty',
      records: [
        penaltyRecord({ 行政处罚决定书文号: 'F-3', 处罚决定日期: addDays(today, -2), 失信程度: '一般' }),
        penaltyRecord({
          行政相对人名称: '闽侯示例建材有限公司',
          统一社会信用代码: OTHER,
          行政处罚决定书文号: 'F-4',
          处罚决定日期: addDays(today, -2),
          失信程度: '一般',
        }),
      ],
    });
    await t.container.revocation.revoke(clerk, {
      department: 'FZ-SCJG',
      item: 'admin_penalty',
      documentNumber: 'F-1',
      subjectCode: COMPANY,
      reason: '复议撤销',
    });
    await horizonPassed();
    const second = await feed.changes(officer, first.next);
    expect(kinds(second.changes)).toEqual([
      'admin_penalty:new_record',
      'admin_penalty:superseded',
      'admin_penalty:new_version',
    ]);
    expect((await feed.changes(officer, second.next)).changes).toEqual([]);
  });

  it('reports a display period ending on the day it ends, once', async () => {
    const ends = addMonths(addDays(today, -2), 12); // F-3: general tier, one year
    const dayBefore = await feedOn(addDays(ends, -1)).changes(officer);
    expect(kinds(dayBefore.changes).filter((k) => k.endsWith('display_ended'))).toEqual([]);
    const onTheDay = await feedOn(ends).changes(officer, dayBefore.next);
    expect(onTheDay.changes).toEqual([
      expect.objectContaining({ change: 'display_ended', at: ends }) as unknown,
    ]);
    expect((await feedOn(addDays(ends, 1)).changes(officer, onTheDay.next)).changes).toEqual([]);
  });

  it('explains a cursor it did not give', async () => {
    await expect(t.container.feed.changes(officer, 'bm90LWEtY3Vyc29y')).rejects.toMatchObject({
      field: 'since',
      rule: 'sharing.cursor',
    });
  });

  it.skipIf((process.env.TEST_DATABASE_URL ?? '') === '')(
    'misses nothing when transactions commit out of order (PostgreSQL)',
    async () => {
      const config = t.container.config.database;
      if (config.kind !== 'postgresql') {
        return;
      }
      const feed = t.container.feed;
      await horizonPassed();
      let cursor = (await feed.changes(officer)).next;
      const subject = await sql<{ subject_id: number; id: number }>`
        select r.subject_id, r.id from record r join watch w on w.subject_id = r.subject_id where r.is_current order by r.id limit 1`.execute(
        t.container.database.db,
      );
      const { subject_id: subjectId, id: recordId } = subject.rows[0] as { subject_id: number; id: number };
      const early = new pg.Client({ connectionString: config.url });
      const late = new pg.Client({ connectionString: config.url });
      await early.connect();
      await late.connect();
      try {
        // The earlier transaction takes the lower change id, but commits last.
        await early.query('begin');
        await early.query(`insert into change_log (subject_id, record_id, change) values ($1, $2, 'early')`, [
          subjectId,
          recordId,
        ]);
        await late.query(`insert into change_log (subject_id, record_id, change) values ($1, $2, 'late')`, [
          subjectId,
          recordId,
        ]);
        const during = await feed.changes(officer, cursor);
        expect(during.changes.map((c) => c.change)).toEqual([]);
        cursor = during.next;
        await early.query('commit');
        await horizonPassed();
        const after = await feed.changes(officer, cursor);
        expect(after.changes.map((c) => c.change)).toEqual(['early', 'late']);
      } finally {
        await early.end();
        await late.end();
      }
    },
  );
});
