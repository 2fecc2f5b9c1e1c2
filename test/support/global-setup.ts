/**
 * Prepares one migrated database per test run; each test file then gets its own copy
 * (`test/support/database.ts`). On PostgreSQL (TEST_DATABASE_URL) the run creates its databases
 * and drops them at the end, because the server outlives the run. Meanwhile, in a process of its
 * own, it compiles the sources the tests' child processes run (`test/support/transpile-sources.ts`).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createContainer } from '../../src/container.ts';
import { useCheapPasswordHashingInTests } from '../../src/modules/auth/index.ts';
import { migrateToLatest, openDatabase, type DatabaseConfig } from '../../src/platform/index.ts';
import { copyDir, testConfig } from './database.ts';
import { databaseUrl, dropDatabase, type TestDatabaseTemplate } from './template.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase: TestDatabaseTemplate;
    /** The compiled `src/cli.ts` of this run, for `node <cliEntry> …` (test/support/cli.ts). */
    cliEntry: string;
  }
}

/** What the runs keep (an empty cluster) and make for themselves (the compiled sources). */
const CACHE = path.resolve(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'xinyong-test');

/**
 * Compiles the sources under node_modules/.cache (so that the compiled modules find the packages
 * as the sources do) in a child process; resolves with the entry point once it is written.
 */
async function compileSources(): Promise<{ entry: string; remove: () => Promise<void> }> {
  await fs.mkdir(CACHE, { recursive: true });
  // What an interrupted run left behind (its teardown never ran); a run beside this one is younger.
  for (const entry of await fs.readdir(CACHE)) {
    const dir = path.join(CACHE, entry);
    const made = (await fs.stat(dir).catch(() => undefined))?.mtimeMs ?? Date.now();
    if (/^(sources|pglite-making)-/.test(entry) && made < Date.now() - 86_400_000) {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
  const out = await fs.mkdtemp(path.join(CACHE, 'sources-'));
  const remove = () => fs.rm(out, { recursive: true, force: true });
  const tsx = pathToFileURL(
    path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs'),
  ).href;
  const child = spawn(
    process.execPath,
    ['--import', tsx, path.join(import.meta.dirname, 'transpile-sources.ts'), out],
    { stdio: ['ignore', 'inherit', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) {
    await remove();
    throw new Error(`compiling the sources for the tests' processes failed (exit ${code}): ${stderr}`);
  }
  return { entry: path.join(out, 'dist', 'cli.js'), remove };
}

/**
 * Puts an empty PGlite cluster, as its initdb leaves one, into `dataDir`. initdb (seconds, most of
 * the setup's time) gives the same cluster for one build of PGlite every time, so the first run
 * keeps it under node_modules/.cache, keyed by the build, and later runs copy it. The `npm start`
 * test still starts on an empty directory, so a run still goes through initdb once.
 */
async function emptyCluster(dataDir: string): Promise<void> {
  const dist = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  const { version } = JSON.parse(await fs.readFile(path.join(dist, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const build = await Promise.all(
    ['pglite.wasm', 'pglite.data', 'initdb.wasm'].map(async (file) => {
      const stat = await fs.stat(path.join(dist, file));
      return `${stat.size}-${Math.floor(stat.mtimeMs)}`;
    }),
  );
  const cached = path.join(CACHE, `pglite-${version}-${build.join('-')}`);
  try {
    await copyDir(cached, dataDir);
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw err;
    }
  }
  const database = await openDatabase({ kind: 'pglite', dataDir });
  await database.close();
  // Made aside and renamed into place, so that a run beside this one never copies half of it.
  await fs.mkdir(CACHE, { recursive: true });
  const aside = await fs.mkdtemp(path.join(CACHE, 'pglite-making-'));
  await copyDir(dataDir, aside);
  await fs.rename(aside, cached).catch(() => fs.rm(aside, { recursive: true, force: true }));
}

async function migrated(config: Parameters<typeof openDatabase>[0]): Promise<void> {
  if (config.kind === 'pglite') {
    await emptyCluster(config.dataDir);
  }
  const database = await openDatabase(config);
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
}

/** Starts the platform once on a copy of the template, as a first start would, and closes it. */
async function firstStart(database: DatabaseConfig, filesDir: string): Promise<void> {
  const container = await createContainer({
    ...testConfig({ config: database, filesDir, drop: () => Promise.resolve() }),
  });
  await container.close();
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const compiling = compileSources();
  // Settled before the databases are ready, it must not count as unhandled: it is awaited below.
  compiling.catch(() => undefined);
  let teardown: () => Promise<void>;
  try {
    teardown = await prepareDatabases(project);
  } catch (err) {
    await compiling.then((sources) => sources.remove()).catch(() => undefined);
    throw err;
  }
  let sources: Awaited<typeof compiling>;
  try {
    sources = await compiling;
  } catch (err) {
    await teardown();
    throw err;
  }
  project.provide('cliEntry', sources.entry);
  return async () => {
    await teardown();
    await sources.remove();
  };
}

async function prepareDatabases(project: TestProject): Promise<() => Promise<void>> {
  useCheapPasswordHashingInTests();
  const adminUrl = process.env.TEST_DATABASE_URL;
  const seededFiles = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-test-seeded-files-'));
  if (adminUrl === undefined || adminUrl === '') {
    const templateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-test-template-'));
    await migrated({ kind: 'pglite', dataDir: templateDir });
    const seededDir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-test-seeded-'));
    await copyDir(templateDir, seededDir);
    await firstStart({ kind: 'pglite', dataDir: seededDir }, seededFiles);
    project.provide('testDatabase', { kind: 'pglite', templateDir, seededDir, seededFiles });
    return async () => {
      for (const dir of [templateDir, seededDir, seededFiles]) {
        await fs.rm(dir, { recursive: true, force: true });
      }
    };
  }

  const runId = `xinyong_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  // A UTF-8 ctype: under ctype C, trigram matching of Chinese text silently finds nothing.
  await admin.query(
    `create database ${runId} template template0 encoding 'UTF8' lc_ctype 'C.UTF-8' lc_collate 'C.UTF-8'`,
  );
  await migrated({ kind: 'postgresql', url: databaseUrl(adminUrl, runId), poolSize: 1 });
  const seeded = `${runId}_seeded`;
  await admin.query(`create database ${seeded} template ${runId}`);
  await firstStart({ kind: 'postgresql', url: databaseUrl(adminUrl, seeded), poolSize: 1 }, seededFiles);
  project.provide('testDatabase', { kind: 'postgresql', adminUrl, template: runId, seeded, seededFiles });
  return async () => {
    const { rows } = await admin.query<{ datname: string }>(
      'select datname from pg_database where datname like $1',
      [`${runId}%`],
    );
    for (const { datname } of rows) {
      await dropDatabase(admin, datname);
    }
    await admin.end();
    await fs.rm(seededFiles, { recursive: true, force: true });
  };
}
