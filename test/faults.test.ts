/**
 * The database goes away and comes back. On PostgreSQL only (PGlite runs inside the process): a
 * TCP proxy between the platform and PostgreSQL is cut while requests are in flight and during an
 * ingest commit, so the other test files sharing the server are not disturbed.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createContainer, type Container } from '../src/container.ts';
import { writePenaltyCsv } from '../src/demo/index.ts';
import type { Actor } from '../src/modules/auth/index.ts';
import { createTestDatabase, testConfig, type TestDatabase } from './support/database.ts';
import { capturedLogger } from './support/log-capture.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

const onPostgres = inject('testDatabase').kind === 'postgresql';

const { logger, lines: logLines } = capturedLogger('warn');

interface Platform {
  testDb: TestDatabase;
  proxy: TcpProxy;
  container: Container;
  /** A connection straight to the test database, past the proxy: the operator's view. */
  admin: pg.Client;
}

/** The platform on a fresh test database, connected through a proxy, with a pool of `poolSize`. */
async function platformBehindProxy(poolSize: number): Promise<Platform> {
  const testDb = await createTestDatabase();
  if (testDb.config.kind !== 'postgresql') {
    throw new Error('faults are tested on PostgreSQL');
  }
  const direct = new URL(testDb.config.url);
  const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || '5432') });
  const proxied = new URL(testDb.config.url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  const container = await createContainer(
    { ...testConfig(testDb), database: { kind: 'postgresql', url: proxied.toString(), poolSize } },
    { logger },
  );
  const admin = new pg.Client({ connectionString: testDb.config.url });
  await admin.connect();
  return { testDb, proxy, container, admin };
}

async function closePlatform(p: Platform | undefined): Promise<void> {
  if (p === undefined) {
    return;
  }
  await p.admin.end();
  await p.container.close();
  await p.proxy.close();
  await p.testDb.drop();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(onPostgres)('PostgreSQL drops the connections', () => {
  let p: Platform | undefined;

  beforeAll(async () => {
    p = await platformBehindProxy(4);
  });

  afterAll(async () => {
    await closePlatform(p);
  });

  it('keeps the server alive: 503 with Retry-After during the outage, health says so, then service resumes', async () => {
    const { container, proxy } = p as Platform;
    const app = await container.buildHttpServer();
    await app.ready();
    const get = (url: string) => app.inject({ method: 'GET', url });
    // Connections open and idle in the pool, and one held inside a transaction between queries.
    await Promise.all(Array.from({ length: 8 }, () => get('/api/public/subjects?q=福州')));
    // The cut waits until the held transaction has run its first query, however slow the machine.
    let afterCut: unknown;
    let firstQueryDone!: () => void;
    const inTransaction = new Promise<void>((resolve) => {
      firstQueryDone = resolve;
    });
    const held = container.database.db
      .transaction()
      .execute(async (trx) => {
        await trx.selectFrom('department').select('code').execute();
        firstQueryDone();
        await sleep(300);
        afterCut = await trx
          .selectFrom('department')
          .select('code')
          .execute()
          .catch((err: unknown) => err);
      })
      .catch(() => undefined);
    await inTransaction;
    const inFlight = Array.from({ length: 20 }, (_, i) =>
      get(i % 2 === 0 ? '/api/public/subjects?q=福州' : '/api/health'),
    );
    await sleep(50);
    proxy.refuse(true);
    proxy.cut('both');
    const answers = await Promise.all(inFlight);
    await held;
    expect(afterCut).toBeInstanceOf(Error);

    for (const res of answers) {
      expect([200, 503]).toContain(res.statusCode);
    }
    const down = await get('/api/public/subjects?q=福州');
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBe('5');
    expect(down.json()).toMatchObject({ error: 'unavailable', rule: 'service.unavailable' });
    expect(down.body).not.toMatch(/ECONN|terminated|127\.0\.0\.1/);
    const health = await get('/api/health');
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({ status: 'unavailable', database: 'postgresql' });
    const signedIn = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: 'xinyong_session=anything' },
    });
    expect(signedIn.statusCode).toBe(503);

    proxy.refuse(false);
    let back = await get('/api/health');
    for (let i = 0; i < 20 && back.statusCode !== 200; i += 1) {
      await sleep(100);
      back = await get('/api/health');
    }
    expect(back.json()).toMatchObject({ status: 'ok', database: 'postgresql' });
    const search = await get('/api/public/subjects?q=福州');
    expect(search.statusCode).toBe(200);
    expect(logLines.some((l) => l.includes('a database connection was lost'))).toBe(true);
    await app.close();
  });
});

describe.runIf(onPostgres)('an ingest commit whose connection is cut', () => {
  let p: Platform | undefined;
  let reference: Platform | undefined;
  let file: string;
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-faults-'));
    file = path.join(dir, 'penalties.csv');
    await writePenaltyCsv(file, { rows: 2_000, seed: 12 });
    p = await platformBehindProxy(2);
    reference = await platformBehindProxy(2);
  });

  afterAll(async () => {
    await closePlatform(p);
    await closePlatform(reference);
    await fs.rm(dir, { recursive: true, force: true });
  });

  const send = async (container: Container) => {
    const clerk: Actor = (
      await container.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' })
    ).actor;
    return container.ingest.ingestFile(clerk, {
      department: 'FZ-SCJG',
      item: 'admin_penalty',
      file,
      fileName: 'penalties.csv',
    });
  };

  it('leaves an orphaned commit that the re-run ends, and the re-run completes with the counts of an uninterrupted run', async () => {
    const { container, proxy, admin } = p as Platform;
    const expected = await send((reference as Platform).container);

    // The operator holds the commit lock, so the commit is surely in flight when the cut comes.
    await admin.query('select pg_advisory_lock(7531)');
    const first = send(container);
    let commit: { pid: number; application_name: string } | undefined;
    for (let i = 0; i < 300 && commit === undefined; i += 1) {
      await sleep(50);
      const { rows } = await admin.query<{ pid: number; application_name: string }>(
        `select pid, application_name from pg_stat_activity
         where datname = current_database() and application_name like 'xinyong:commit:%'`,
      );
      commit = rows[0];
    }
    expect(commit).toBeDefined();
    const batchId = Number(commit?.application_name.split(':')[2]);

    // The platform's side goes; PostgreSQL's side of the connection stays open and silent.
    proxy.cut('client');
    await expect(first).rejects.toThrow();
    await admin.query('select pg_advisory_unlock(7531)');
    await sleep(200);
    const orphan = await admin.query<{ state: string }>('select state from pg_stat_activity where pid = $1', [
      commit?.pid,
    ]);
    // The orphan took the lock and now waits for a client that will never speak.
    expect(orphan.rows[0]?.state).toBe('idle in transaction');

    const rerun = await send(container);
    expect(rerun.status).toBe('committed');
    const counts = ({ total, accepted, rejected, duplicates, review }: typeof expected) => ({
      total,
      accepted,
      rejected,
      duplicates,
      review,
    });
    expect(counts(rerun)).toEqual(counts(expected));
    // The re-run ended the orphan's transaction: it holds the commit lock no more. (Its process may
    // still be listed a while: terminated while its client is silent, it leaves pg_stat_activity
    // when its farewell to that client is through; seen here for seconds.)
    const locks = await admin.query<{ n: string }>(
      `select count(*) as n from pg_locks where pid = $1 and locktype = 'advisory'`,
      [commit?.pid],
    );
    expect(Number(locks.rows[0]?.n)).toBe(0);
    const failed = await container.ingest.batch({ kind: 'system', name: 'test' }, batchId);
    expect(failed.status).toBe('failed');
    expect(failed.accepted).toBe(0);
  });
});
