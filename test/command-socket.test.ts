/**
 * One owner for the embedded database: a server holds the data directory, a second server is
 * refused, and a command typed meanwhile is handed to the server and loses nothing. PGlite only
 * (on PostgreSQL every process connects directly).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { writePenaltyCsv } from '../src/demo/index.ts';
import { createTestDatabase, testConfig, type TestDatabase } from './support/database.ts';
import { COMPILED_CLI } from './support/cli.ts';

const onPglite = inject('testDatabase').kind === 'pglite';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe.runIf(onPglite)('the embedded database has one owner', () => {
  let testDb: TestDatabase;
  let env: NodeJS.ProcessEnv;
  const servers: ChildProcessWithoutNullStreams[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase({ seeded: true });
    const config = testConfig(testDb);
    if (config.database.kind !== 'pglite') {
      throw new Error('PGlite only');
    }
    env = {
      ...process.env,
      DATABASE_URL: '',
      XINYONG_DATA_DIR: config.database.dataDir,
      XINYONG_KEY_FILE: config.audit.keyFile,
      XINYONG_CHECKPOINT_FILE: config.audit.checkpointFile,
      XINYONG_DATA_KEY_FILE: config.dataKeyFile,
      XINYONG_DEMO_DATA: 'off',
      PORT: '0',
      LOG_LEVEL: 'warn',
    };
  });

  afterAll(async () => {
    for (const s of servers) {
      s.kill('SIGKILL');
    }
    await testDb.drop();
  });

  function run(args: string[], cwd?: string): Promise<Ran> {
    const child = spawn(process.execPath, [...COMPILED_CLI, ...args], {
      env,
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  }

  /** Starts a server and resolves once it says it takes commands. */
  async function startServer(): Promise<ChildProcessWithoutNullStreams> {
    const child = spawn(process.execPath, [...COMPILED_CLI, 'serve'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    servers.push(child);
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start: ${output}`)), 90_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('commands   xinyong')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('exit', (code) => reject(new Error(`the server exited ${code}: ${output}`)));
    });
    return child;
  }

  function stop(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals): Promise<void> {
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  it('refuses a second server, runs a command inside the first, and keeps what it did', async () => {
    const dataDir = env.XINYONG_DATA_DIR as string;
    const server = await startServer();

    const second = await run(['serve']);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(
      `the data directory ${dataDir} is in use by xinyong serve (pid ${server.pid}`,
    );

    // Sent from another directory with a relative path: the path is the caller's.
    const work = path.join(testDb.filesDir, 'work');
    await fs.mkdir(work);
    await writePenaltyCsv(path.join(work, 'penalties.csv'), { rows: 300, seed: 3 });
    const ingested = await run(
      ['ingest', 'penalties.csv', '--item', 'admin_penalty', '--department', 'FZ-SCJG', '--json'],
      work,
    );
    expect(ingested.stderr).toBe('');
    expect([0, 3]).toContain(ingested.code);
    const summary = JSON.parse(ingested.stdout) as { batchId: number; accepted: number; status: string };
    expect(summary.accepted).toBeGreaterThan(250);

    // Usage errors and help come back to the caller too, with commander's exit code.
    const wrong = await run(['batch', 'show', 'one']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('"one" is not a whole number');

    await stop(server, 'SIGTERM');
    await expect(fs.access(path.join(dataDir, 'xinyong.lock'))).rejects.toThrow();
    await expect(fs.access(path.join(dataDir, 'xinyong.sock'))).rejects.toThrow();

    const again = await startServer();
    const shown = await run(['batch', 'show', String(summary.batchId), '--json']);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ batchId: summary.batchId, accepted: summary.accepted });
    const events = await run(['audit', 'list', '--action', 'batch.commit']);
    expect(events.stdout).toContain(`batch.commit batch:${summary.batchId} `);

    // A server killed outright leaves its lock behind: the next command takes it over and runs.
    await stop(again, 'SIGKILL');
    const verified = await run(['audit', 'verify']);
    expect(verified.stderr).toContain('which is gone: taken over');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^ok: \d+ events verified/m);
  }, 240_000);
});
