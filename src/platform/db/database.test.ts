import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/support/database.ts';
import { DataDirLockedError, migrateToLatest } from './index.ts';
import { migrations } from './migrations/index.ts';

const db = useTestDatabase();

describe('database', () => {
  it('has applied every listed migration, and migrating again changes nothing', async () => {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      db().db,
    );
    expect(rows.map((r) => r.name)).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(db().db)).toEqual([]);
  });

  it('returns civil dates and numerics as strings and counts as numbers', async () => {
    const { rows } = await sql<{ d: unknown; n: unknown; c: unknown; ds: unknown }>`
      select date '2026-02-28' as d, 1234567.891::numeric as n, count(*) as c,
             array[date '2026-01-01', date '2026-12-31'] as ds
      from generate_series(1, 3)`.execute(db().db);
    expect(rows[0]).toEqual({ d: '2026-02-28', n: '1234567.891', c: 3, ds: ['2026-01-01', '2026-12-31'] });
  });

  it('keeps Asia/Shanghai as the session time zone and has trigram matching', async () => {
    const { rows } = await sql<{ tz: string; sim: number }>`
      select current_setting('TimeZone') as tz, similarity('福州市鼓楼区', '福州市') as sim`.execute(db().db);
    expect(rows[0]?.tz).toBe('Asia/Shanghai');
    expect(rows[0]?.sim).toBeGreaterThan(0);
  });

  it('runs a prepared statement again with new parameters, with the same type conversions', async () => {
    const query = (n: number) =>
      sql<{ d: string; c: number }>`select date '2026-01-31' + ${n}::int as d, count(*) as c
        from generate_series(1, ${n}::int)`.compile(db().db);
    expect(await db().prepared('test_prepared', query(1))).toEqual([{ d: '2026-02-01', c: 1 }]);
    expect(await db().prepared('test_prepared', query(29))).toEqual([{ d: '2026-03-01', c: 29 }]);
    const { rows } = await sql<{ n: number }>`select count(*) as n from pg_prepared_statements
      where name = 'test_prepared'`.execute(db().db);
    expect(rows[0]?.n).toBe(1);
  });

  it('reports which database it is', () => {
    expect(db().kind).toBe(process.env.TEST_DATABASE_URL ? 'postgresql' : 'pglite');
  });

  it("names the data directory's owner in the operator's language", () => {
    const holder = {
      pid: 4242,
      command: 'xinyong serve',
      startedAt: '2026-12-01T08:00:00Z',
      dataDir: '/srv/x',
    };
    const locked = new DataDirLockedError('/srv/x', holder);
    expect(locked.message).toBe(
      'the data directory /srv/x is in use by xinyong serve (pid 4242, since 2026-12-01T08:00:00Z): ' +
        'the embedded database has one owner at a time. Stop that process first, or let it finish',
    );
    expect(locked.messageIn('zh-CN')).toBe(
      '数据目录 /srv/x 正由 xinyong serve 使用（pid 4242，自 2026-12-01T08:00:00Z 起）：' +
        '嵌入式数据库同一时间只能由一个进程使用。请先停止该进程，或等待其结束',
    );
  });
});
