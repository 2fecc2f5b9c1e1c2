/** The name index against the database: cut as SQL cuts, built at start, following the feed. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { population } from '../../demo/index.ts';
import { openDatabase, type Database } from '../../platform/index.ts';
import { nameGrams, nameKey } from './name-key.ts';
import { NameSearchIndex } from './name-search-index.ts';

let testDb: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase(testDb.config);
});

afterAll(async () => {
  await database.close();
  await testDb.drop();
});

async function addSubject(name: string, status = 'registered', kind = 'legal_person'): Promise<number> {
  const r = await sql<{ id: number }>`
    insert into subject (kind, name, status) values (${kind}, ${name}, ${status}) returning id`.execute(
    database.db,
  );
  return Number(r.rows[0]?.id);
}

/** Registered organisations are found; provisional ones are not (enough for the index's own rules). */
const findable = () => sql`s.status <> 'provisional'`;
/** The code a result shows: here, the subject's first code. */
const shownCode = sql`
  (select sc.value from subject_code sc where sc.subject_id = s.id order by sc.id limit 1) as code,
  (select sc.kind from subject_code sc where sc.subject_id = s.id order by sc.id limit 1) as code_kind`;

describe('name cutting', () => {
  it('cuts names exactly as the database does', async () => {
    const people = population({ seed: 11 });
    const names = [
      ...Array.from({ length: 400 }, (_, i) => people(i * 7919).name),
      'ＸＹ星辰餐饮店',
      '星辰贸易（福州）有限责任公司',
      '福州 星辰·科技_有限公司',
      '林**',
      '【闽江】“潮汐”物流/分公司',
      'ABC-Trading Co., Ltd.',
      '一',
      '有限公司',
      '華為技術有限公司',
      '𠀀𠀁科技',
    ];
    const r = await sql<{ key: string; grams: string[] }>`
      select xinyong_name_key(n) as key, xinyong_name_grams(n) as grams
      from unnest(${names}::text[]) with ordinality as t(n, i) order by i`.execute(database.db);
    const fromSql = r.rows.map((row, i) => ({ name: names[i], key: row.key, grams: [...row.grams].sort() }));
    const fromJs = names.map((name) => ({ name, key: nameKey(name), grams: nameGrams(name) }));
    expect(fromJs).toEqual(fromSql);
  });
});

describe('the index of a server process', () => {
  it('is built from the database, then follows new subjects, renames and status changes', async () => {
    const kept = await addSubject('闽江星辰科技有限公司');
    const provisional = await addSubject('闽江星辰物流有限公司', 'provisional');
    await addSubject('星辰林**', 'registered', 'natural_person');
    const index = new NameSearchIndex(database.db, { findable, shownCode, pollMs: 60_000 });
    expect(index.match(['星辰'], 20, 201)).toBeUndefined();
    await index.start();
    expect(index.status()).toMatchObject({ state: 'ready', subjects: 1 });
    expect(index.match(['星辰'], 20, 201)).toEqual({ ids: [kept], counted: 1 });

    const added = await addSubject('星辰贸易有限公司');
    await sql`update subject set status = 'registered' where id = ${provisional}`.execute(database.db);
    await sql`update subject set name = '闽江潮汐科技有限公司' where id = ${kept}`.execute(database.db);
    await index.catchUp();
    expect(index.match(['星辰'], 20, 201)).toEqual({ ids: [added, provisional], counted: 2 });
    expect(index.match(['潮汐'], 20, 201)).toEqual({ ids: [kept], counted: 1 });
    // A page is shown from memory, as it now is: the new name, and a code once it has one.
    const card = { id: kept, kind: 'legal_person', status: 'registered', division: null };
    expect(await index.page([kept])).toEqual([
      { ...card, name: '闽江潮汐科技有限公司', code: null, code_kind: null },
    ]);
    await sql`
      insert into subject_code (subject_id, kind, value_hash, value, masked)
      values (${kept}, 'uscc', 'test-hash', '91350100MA00000001', '91350100MA00000001')`.execute(database.db);
    // Until the index has applied the change (it reads the feed when asked to catch up, here),
    // the page is not served from memory.
    expect(await index.page([kept])).toBeUndefined();
    await index.catchUp();
    expect(await index.page([kept])).toEqual([
      { ...card, name: '闽江潮汐科技有限公司', code: '91350100MA00000001', code_kind: 'uscc' },
    ]);
    // A subject the index does not hold is never served from memory.
    expect(await index.page([kept, provisional + 1000])).toBeUndefined();
    await index.stop();
  });

  it('finds a committed new subject on its own within 1 s of its commit, or of the end of an older write', async () => {
    const index = new NameSearchIndex(database.db, { findable, shownCode, pollMs: 100 });
    await index.start();
    const inserted = await sql<{ id: number; txid: string }>`
      insert into subject (kind, name, status) values ('legal_person', '鼓楼晨曦茶叶店', 'registered')
      returning id, pg_current_xact_id()::text as txid`.execute(database.db);
    const { id, txid } = inserted.rows[0] ?? { id: 0, txid: '0' };
    // The feed reads a change once every write transaction older than it has ended (on PostgreSQL,
    // anywhere on the server: other test files' among them): the second counts from then.
    await expect
      .poll(
        async () =>
          (
            await sql<{ passed: boolean }>`
            select pg_snapshot_xmin(pg_current_snapshot()) > ${txid}::xid8 as passed`.execute(database.db)
          ).rows[0]?.passed,
        { timeout: 60_000, interval: 10 },
      )
      .toBe(true);
    const horizon = performance.now();
    await expect
      .poll(() => index.match(['晨曦'], 20, 201)?.ids, { timeout: 1000, interval: 20 })
      .toEqual([Number(id)]);
    expect(performance.now() - horizon).toBeLessThan(1000);
    await index.stop();
  });

  it('leaves out what a rolled-back transaction wrote', async () => {
    const index = new NameSearchIndex(database.db, { findable, shownCode, pollMs: 10_000 });
    await index.start();
    await database.db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into subject (kind, name, status) values ('legal_person', '仓山暮雪科技有限公司', 'registered')`.execute(
          trx,
        );
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await index.catchUp();
    expect(index.match(['暮雪'], 20, 201)).toEqual({ ids: [], counted: 0 });
    await index.stop();
  });
});
