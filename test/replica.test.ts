/**
 * Public reads from a streaming replica (DATABASE_READ_URL), on two clusters of the test's own: a
 * primary, and a replica made from it with pg_basebackup, on loopback ports. A record written on
 * the primary is served from the replica; while the replica lags beyond the allowed lag, or is
 * down, the primary serves, and /api/health says which. PostgreSQL pass only.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainer, type Container } from '../src/container.ts';
import { DEMO_PASSWORD, type Actor } from '../src/modules/auth/index.ts';
import { addDays, todayInShanghai } from '../src/platform/calendar/index.ts';
import type { DatabaseConfig } from '../src/platform/index.ts';
import type { FastifyInstance } from 'fastify';
import type { Cluster } from './support/clusters.ts';
import { clustersAvailable, primaryCluster, replicaCluster } from './support/clusters.ts';
import { testConfig } from './support/database.ts';
import { codes, penaltyRecord } from './support/records.ts';

const MAX_LAG_MS = 3000;

const COMPANY = {
  first: { name: '闽江副本验证科技有限公司', code: codes.uscc('91350100', 'FB000001') },
  second: { name: '闽江副本延迟贸易有限公司', code: codes.uscc('91350100', 'FB000002') },
};

interface Health {
  status: string;
  replica?: { state: string; lagMs: number | null; maxLagMs: number; reason?: string };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Each step waits for the monitor (every 100 ms) and the lag allowed (3 s); a loaded machine is slower.
describe.runIf(clustersAvailable())('public reads from a streaming replica', { timeout: 90_000 }, () => {
  let primary: Cluster | undefined;
  let replica: Cluster | undefined;
  let container: Container | undefined;
  let app: FastifyInstance;
  let clerk: Actor;
  let filesDir: string;

  const health = async (): Promise<Health> =>
    (await app.inject({ method: 'GET', url: '/api/health' })).json<Health>();
  const fileStatus = async (code: string) =>
    (await app.inject({ method: 'GET', url: `/api/public/subjects/${code}` })).statusCode;

  /** Waits until the replica's state is `state` (as /api/health says), or fails saying what it was. */
  async function until(state: string, seconds = 30): Promise<Health> {
    let last: Health | undefined;
    for (const end = Date.now() + seconds * 1000; Date.now() < end; await sleep(100)) {
      last = await health();
      if (last.replica?.state === state) {
        return last;
      }
    }
    throw new Error(`the replica never became ${state}: ${JSON.stringify(last)}\n${replica?.log() ?? ''}`);
  }

  /** Waits until the replica has replayed everything the primary has written so far. */
  async function caughtUp(): Promise<void> {
    const [at] = await (primary as Cluster).query<{ lsn: string }>(
      'select pg_current_wal_insert_lsn()::text as lsn',
    );
    for (const end = Date.now() + 30_000; Date.now() < end; await sleep(50)) {
      const [r] = await (replica as Cluster).query<{ done: boolean }>(
        'select pg_last_wal_replay_lsn() >= $1::pg_lsn as done',
        'postgres',
        [at?.lsn],
      );
      if (r?.done === true) {
        return;
      }
    }
    throw new Error('the replica did not catch up in 30 s');
  }

  async function penalty(company: { name: string; code: string }, number: string): Promise<void> {
    const s = await (container as Container).ingest.ingestRecords(clerk, {
      department: 'FZ-SCJG',
      item: 'admin_penalty',
      records: [
        penaltyRecord({
          行政相对人名称: company.name,
          统一社会信用代码: company.code,
          行政处罚决定书文号: number,
          处罚决定日期: addDays(todayInShanghai(), -10),
          失信程度: '一般',
        }),
      ],
    });
    expect(s.rejected).toBe(0);
  }

  beforeAll(async () => {
    primary = await primaryCluster('primary');
    await primary.query(
      `create database xinyong template template0 encoding 'UTF8' lc_ctype 'C.UTF-8' lc_collate 'C.UTF-8'`,
    );
    replica = await replicaCluster(primary, 'replica');
    filesDir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-replica-files-'));
    const database: DatabaseConfig = {
      kind: 'postgresql',
      url: primary.url('xinyong'),
      poolSize: 4,
      replica: { url: replica.url('xinyong'), maxLagMs: MAX_LAG_MS, checkMs: 100 },
    };
    // The first start (schema, catalog, demo accounts) is written on the primary and streamed.
    container = await createContainer({
      ...testConfig({ config: database, filesDir, drop: async () => {} }),
      database,
    });
    app = await container.buildHttpServer();
    await app.ready();
    clerk = (await container.auth.login({ username: 'clerk.scjg', password: DEMO_PASSWORD })).actor;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await container?.close();
    await replica?.destroy();
    await primary?.destroy();
    await fs.rm(filesDir, { recursive: true, force: true });
  });

  it('serves a record written on the primary from the replica', async () => {
    const ready = await until('in_use');
    expect(ready).toMatchObject({ status: 'ok', replica: { state: 'in_use', maxLagMs: MAX_LAG_MS } });
    await penalty(COMPANY.first, 'FB-1');
    await caughtUp();
    const file = await app.inject({ method: 'GET', url: `/api/public/subjects/${COMPANY.first.code}` });
    expect(file.statusCode).toBe(200);
    expect(file.body).toContain('FB-1');
    const search = await app.inject({
      method: 'GET',
      url: `/api/public/subjects?q=${encodeURIComponent(COMPANY.first.code)}`,
    });
    expect(search.json<{ results: Array<{ name: string }> }>().results.map((r) => r.name)).toEqual([
      COMPANY.first.name,
    ]);

    // The replica stops replaying: a record the primary has is not yet what the public reads,
    // which shows the read came from the replica.
    await (replica as Cluster).query('select pg_wal_replay_pause()');
    await penalty(COMPANY.second, 'FB-2');
    expect((await health()).replica?.state).toBe('in_use');
    expect(await fileStatus(COMPANY.second.code)).toBe(404);
  });

  it('falls back to the primary while the replica lags, and says so in /api/health', async () => {
    const lagging = await until('lagging');
    expect(lagging.status).toBe('ok');
    expect(lagging.replica?.lagMs).toBeGreaterThan(MAX_LAG_MS);
    // The primary serves the public now: the record the replica has not replayed is found.
    expect(await fileStatus(COMPANY.second.code)).toBe(200);

    await (replica as Cluster).query('select pg_wal_replay_resume()');
    const back = await until('in_use');
    expect(back.replica?.lagMs).toBeLessThanOrEqual(MAX_LAG_MS);
    expect(await fileStatus(COMPANY.second.code)).toBe(200);
  });

  it('falls back to the primary while the replica is down, and uses it again once it is back', async () => {
    await (replica as Cluster).stop('immediate');
    // Before the monitor has noticed, a public read still finds a server.
    expect(await fileStatus(COMPANY.first.code)).toBe(200);
    const down = await until('down');
    expect(down.status).toBe('ok');
    expect(down.replica?.reason).toBeTruthy();
    expect(await fileStatus(COMPANY.first.code)).toBe(200);
    const search = await app.inject({
      method: 'GET',
      url: `/api/public/subjects?q=${encodeURIComponent(COMPANY.second.code)}`,
    });
    expect(search.statusCode).toBe(200);

    await (replica as Cluster).start();
    await until('in_use');
    expect(await fileStatus(COMPANY.second.code)).toBe(200);
  });
});
