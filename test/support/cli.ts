/**
 * How a test runs the command line: as a process (`CLI`), or in-process (`runCli`) with its output
 * captured (`capture`), on a test database a describe block opens for its commands
 * (`useCliDatabase`).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, inject, vi } from 'vitest';
import { runCli as runCommand } from '../../src/cli.ts';
import { runHosted, TERMINAL_IO } from '../../src/cli/io.ts';
import { createContainer, type Container } from '../../src/container.ts';
import { loadConfig } from '../../src/platform/index.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

/** tsx's loader by its own path, so that a command started from any directory finds it. */
const tsx = pathToFileURL(
  path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs'),
).href;

/**
 * How a test starts the command line as a process from the sources through tsx, never a build that
 * may be older than them: `spawn(process.execPath, [...CLI, 'serve'])`. Its first two arguments
 * (`--import`, the loader) also run any other source file.
 */
export const CLI: readonly string[] = ['--import', tsx, path.resolve('src/cli.ts')];

/**
 * The same command line compiled: the sources as they are at the start of the run, compiled by the
 * global setup (test/support/transpile-sources.ts). A process starts in about half the time it
 * takes through tsx's loader, which tests that start servers and commands by the dozen notice.
 */
export const COMPILED_CLI: readonly string[] = [inject('cliEntry')];

/** What the commands run since `capture()` wrote, until the spies are restored. */
export function capture(): { out(): string; err(): string } {
  const lines: string[] = [];
  const errors: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    errors.push(String(chunk));
    return true;
  });
  return { out: () => lines.join(''), err: () => errors.join('') };
}

/**
 * The platform the commands of a describe block run on, opened once: each command is handed to it
 * as a running server's command socket hands it, rather than opening the embedded database again
 * (seconds a command). Commands outside such a block open their own, as at a terminal.
 */
let host: Container | undefined;

/** Runs one command (`['node', 'xinyong', …]`) in this process; resolves with its exit code. */
export function runCli(argv: string[]): Promise<number> {
  const platform = host;
  return platform === undefined ? runCommand(argv) : runHosted(TERMINAL_IO, platform, () => runCommand(argv));
}

/** Runs `xinyong …args`; its exit code and what it wrote. */
export async function xinyong(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  try {
    const code = await runCli(['node', 'xinyong', ...args]);
    return { code, out: io.out(), err: io.err() };
  } finally {
    vi.restoreAllMocks();
  }
}

export interface CliDatabase {
  /** The test database (created in beforeAll). */
  database(): TestDatabase;
  /** The platform the block's commands run on (opened in beforeAll). */
  host(): Container;
}

/**
 * Points the CLI (which reads its configuration from the environment) at a fresh test database
 * for the tests of one describe block, opens the platform its commands run on, and restores the
 * environment afterwards.
 */
export function useCliDatabase(): CliDatabase {
  let testDb: TestDatabase | undefined;
  const saved = { ...process.env };
  beforeAll(async () => {
    testDb = await createTestDatabase({ seeded: true });
    if (testDb.config.kind === 'pglite') {
      process.env.XINYONG_DATA_DIR = testDb.config.dataDir;
      delete process.env.DATABASE_URL;
    } else {
      process.env.DATABASE_URL = testDb.config.url;
      process.env.DATABASE_POOL_SIZE = '1';
    }
    // The seeded database's own key files (test/support/database.ts names them so).
    process.env.XINYONG_KEY_FILE = path.join(testDb.filesDir, 'platform-ed25519.pem');
    process.env.XINYONG_CHECKPOINT_FILE = path.join(testDb.filesDir, 'checkpoints.jsonl');
    process.env.XINYONG_DATA_KEY_FILE = path.join(testDb.filesDir, 'data.key');
    process.env.XINYONG_DEMO_DATA = 'off';
    process.env.LOG_LEVEL = 'silent';
    host = await createContainer(loadConfig());
  });
  afterAll(async () => {
    await host?.close();
    host = undefined;
    process.env = saved;
    await testDb?.drop();
  });
  return {
    database: () => {
      if (testDb === undefined) {
        throw new Error('the test database is created in beforeAll');
      }
      return testDb;
    },
    host: () => {
      if (host === undefined) {
        throw new Error('the platform is opened in beforeAll');
      }
      return host;
    },
  };
}
