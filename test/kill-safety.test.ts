/**
 * Kill safety (PostgreSQL): SIGKILL of `xinyong ingest` while it stages a large batch, and again
 * while it commits, leaves either nothing of the batch committed or all of it; re-running the
 * same command completes the work, and the database holds what one uninterrupted run leaves.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePenaltyCsv } from '../src/demo/index.ts';
import { createTestDatabase, testConfig, type TestDatabase } from './support/database.ts';
import { CLI } from './support/cli.ts';

const ROWS = 8000;
const onPostgres = process.env.TEST_DATABASE_URL !== undefined && process.env.TEST_DATABASE_URL !== '';

interface Run {
  child: ReturnType<typeof spawn>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>;
}

function ingest(db: TestDatabase, file: string): Run {
  const config = testConfig(db);
  if (config.database.kind !== 'postgresql') {
    throw new Error('kill safety is tested on PostgreSQL');
  }
  const child = spawn(
    process.execPath,
    [...CLI, 'ingest', file, '--item', 'admin_penalty', '--department', 'FZ-SCJG', '--json'],
    {
      env: {
        ...process.env,
        DATABASE_URL: config.database.url,
        DATABASE_POOL_SIZE: '2',
        XINYONG_DATA_DIR: db.filesDir,
        XINYONG_KEY_FILE: config.audit.keyFile,
        XINYONG_CHECKPOINT_FILE: config.audit.checkpointFile,
        XINYONG_DATA_KEY_FILE: config.dataKeyFile,
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>(
    (resolve) => {
      child.on('exit', (code, signal) => resolve({ code, signal, stdout }));
    },
  );
  return { child, done };
}

async function query<T>(db: TestDatabase, text: string): Promise<T[]> {
  if (db.config.kind !== 'postgresql') {
    throw new Error('PostgreSQL only');
  }
  const client = new pg.Client({ connectionString: db.config.url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Polls until `ready` holds, then kills the run with SIGKILL. */
async function killWhen(db: TestDatabase, run: Run, ready: string): Promise<number> {
  for (;;) {
    const [row] = await query<{ id: string | null; ok: boolean }>(db, ready);
    if (row?.ok === true) {
      run.child.kill('SIGKILL');
      const exit = await run.done;
      expect(exit.signal).toBe('SIGKILL');
      return Number(row.id);
    }
    const finished = await Promise.race([run.done, new Promise((r) => setTimeout(() => r(undefined), 5))]);
    if (finished !== undefined) {
      throw new Error(`the run ended before it could be killed: ${JSON.stringify(finished)}`);
    }
  }
}

async function state(db: TestDatabase) {
  const [row] = await query<{ records: number; subjects: number; codes: number; events: number }>(
    db,
    `select (select count(*)::int from record) as records, (select count(*)::int from subject) as subjects,
       (select count(*)::int from subject_code) as codes,
       (select count(*)::int from audit_event where action = 'batch.commit') as events`,
  );
  return row;
}

describe.skipIf(!onPostgres)('kill safety on PostgreSQL', () => {
  let file: string;
  let interrupted: TestDatabase;
  let reference: TestDatabase;

  beforeAll(async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-kill-'));
    file = path.join(dir, 'penalties.csv');
    await writePenaltyCsv(file, { rows: ROWS, seed: 11, until: '2026-06-30' });
    [interrupted, reference] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });

  afterAll(async () => {
    await interrupted.drop();
    await reference.drop();
  });

  it('commits nothing of a batch killed while staging or committing, and a re-run completes it', async () => {
    const staging = await killWhen(
      interrupted,
      ingest(interrupted, file),
      `select max(batch_id) as id, count(*) > ${ROWS / 4} as ok from batch_row`,
    );
    expect(await state(interrupted)).toMatchObject({ records: 0, subjects: 0, events: 0 });

    const committing = await killWhen(
      interrupted,
      ingest(interrupted, file),
      `select id, true as ok from batch where status = 'validated' and id > ${staging}`,
    );
    // Killed inside the commit: all of the batch or none of it.
    const [killed] = await query<{ records: number; accepted: number; status: string }>(
      interrupted,
      `select (select count(*)::int from record where batch_id = ${committing}) as records, accepted, status
       from batch where id = ${committing}`,
    );
    expect(killed?.records === 0 || killed?.status === 'committed').toBe(true);

    const rerun = await ingest(interrupted, file).done;
    const once = await ingest(reference, file).done;
    expect(rerun.code).toBe(once.code);
    const [a, b] = [await state(interrupted), await state(reference)];
    expect(a?.records).toBeGreaterThan(ROWS / 2);
    // The same records, subjects and codes; the audit chain has one batch.commit more only if the
    // killed commit had landed (the re-run is then a batch of duplicates).
    expect({ ...a, events: 0 }).toEqual({ ...b, events: 0 });
    expect(a?.events).toBe(killed?.records === 0 ? b?.events : (b?.events ?? 0) + 1);
    if (killed?.records === 0) {
      // The re-run did all the work: its summary is the uninterrupted run's.
      const counts = (s: string) => {
        const { total, accepted, rejected, duplicates, review } = JSON.parse(s) as Record<string, number>;
        return { total, accepted, rejected, duplicates, review };
      };
      expect(counts(rerun.stdout)).toEqual(counts(once.stdout));
    }
  }, 180_000);
});
