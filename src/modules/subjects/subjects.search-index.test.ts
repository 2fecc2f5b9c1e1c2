/**
 * Name search from the in-memory index answers exactly as the SQL search: the bench's query mix
 * over the bench's names, every page, total and `more` the same, on both SQL plans.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryMix } from '../../../bench/read.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { population } from '../../demo/index.ts';
import { createDataProtector, openDatabase, type Database } from '../../platform/index.ts';
import { NameSearchIndex, publiclyFindable, SearchService, shownCode, type SearchResult } from './index.ts';
import { ValidationError } from '../../platform/errors.ts';

let testDb: TestDatabase;
let database: Database;
let index: NameSearchIndex;
const SUBJECTS = 3000;
const people = population({ seed: 11 });
const sample = Array.from({ length: 60 }, (_, k) => people(Math.floor((k * 2654435761) % SUBJECTS)));

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase(testDb.config);
  // The bench's companies: registered (found), some provisional with no record (not found), and
  // natural persons (never found by name).
  const rows = Array.from({ length: SUBJECTS }, (_, i) => {
    const c = people(i);
    return {
      kind:
        i % 97 === 0
          ? 'natural_person'
          : c.category === '个体工商户'
            ? 'individual_business'
            : 'legal_person',
      name: c.name,
      status: i % 13 === 0 ? ('provisional' as const) : ('registered' as const),
      division: c.division,
    };
  });
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const inserted = await database.db
      .insertInto('subject')
      .values(rows.slice(i, i + 500))
      .returning('id')
      .execute();
    ids.push(...inserted.map((r) => Number(r.id)));
  }
  // Codes for most: a result shows the best one a subject has (some have two, some none).
  const protector = createDataProtector(`${testDb.filesDir}/data.key`);
  const codes = rows.flatMap((_, i) => {
    const c = people(i);
    const id = ids[i] ?? 0;
    return [
      ...(i % 5 === 4 ? [] : [{ subject_id: id, kind: 'uscc', value: c.uscc }]),
      ...(i % 3 === 0 ? [{ subject_id: id, kind: 'org_code', value: c.uscc.slice(8, 17) }] : []),
    ].map((x) => ({ ...x, value_hash: protector.hash(x.kind, x.value), masked: x.value }));
  });
  for (let i = 0; i < codes.length; i += 500) {
    await database.db
      .insertInto('subject_code')
      .values(codes.slice(i, i + 500))
      .execute();
  }
  index = new NameSearchIndex(database.db, {
    findable: publiclyFindable,
    shownCode,
    prepared: database.prepared,
  });
  await index.start();
});

afterAll(async () => {
  await index.stop();
  await database.close();
  await testDb.drop();
});

async function answer(service: SearchService, q: string, page: number, pageSize: number) {
  try {
    return await service.search({ q, page, pageSize });
  } catch (err) {
    // A page beyond the last is refused the same way by both.
    if (err instanceof ValidationError) {
      return { refused: err.rule, message: err.message };
    }
    throw err;
  }
}

describe('name search from the in-memory index', () => {
  it('gives the SQL search’s pages, totals and `more` for the bench’s query mix', async () => {
    const protector = createDataProtector(`${testDb.filesDir}/data.key`);
    const fromIndex = new SearchService(database.db, protector, {
      names: index,
      prepared: database.prepared,
    });
    const plans = [
      new SearchService(database.db, protector), // the GIN intersection for rare bigrams
      new SearchService(database.db, protector, { dense: 1 }), // subject_gram read in order
    ];
    const queries = [
      // Codes too: the index's cards show a subject found by a code (one without a code, a person, one not findable: SQL).
      ...queryMix(sample.map((c) => ({ code: c.uscc, name: c.name }))),
      ...sample.slice(0, 12).map((c) => c.uscc.slice(8, 17)),
      // Industries: more matches than are counted.
      '科技',
      '贸易',
      '建筑工程',
    ];
    expect(index.status()).toMatchObject({ state: 'ready' });
    let compared = 0;
    let capped = 0;
    for (const q of queries) {
      for (const [page, pageSize] of [
        [1, 20],
        [7, 30],
        [2, 50],
      ] as const) {
        const got = await answer(fromIndex, q, page, pageSize);
        for (const plan of plans) {
          expect(got, `${q} page ${page} of ${pageSize}`).toEqual(await answer(plan, q, page, pageSize));
        }
        compared += 1;
        capped += (got as SearchResult).more === true ? 1 : 0;
      }
    }
    // The mix reaches both ends: queries with more matches than are counted, and single hits.
    expect(compared).toBe(queries.length * 3);
    expect(capped).toBeGreaterThan(0);
  });

  it('never returns a subject that may no longer be found, even before the index has caught up', async () => {
    const protector = createDataProtector(`${testDb.filesDir}/data.key`);
    const service = new SearchService(database.db, protector, { names: index });
    const target = await sql<{ id: number; name: string }>`
      select id, name from subject where status = 'registered' and kind <> 'natural_person' order by id limit 1`.execute(
      database.db,
    );
    const { id, name } = target.rows[0] ?? { id: 0, name: '' };
    const before = await service.search({ q: name, pageSize: 50 });
    expect(before.results.map((r) => r.name)).toContain(name);
    // Struck from the register's view: provisional with no record the public may see.
    await sql`update subject set status = 'provisional' where id = ${id}`.execute(database.db);
    const stale = await service.search({ q: name, pageSize: 50 });
    expect(stale.results.filter((r) => r.name === name).length).toBe(
      before.results.filter((r) => r.name === name).length - 1,
    );
    // Once caught up, the index no longer counts it either.
    await index.catchUp();
    const after = await service.search({ q: name, pageSize: 50 });
    expect(after.total).toBe(before.more ? before.total : before.total - 1);
    await sql`update subject set status = 'registered' where id = ${id}`.execute(database.db);
    await index.catchUp();
  });
});
