/**
 * Prepares one migrated database per test run; each test file then gets its own copy
 * (`test/support/database.ts`). On PostgreSQL (TEST_DATABASE_URL) the run creates its databases
 * and drops them at the end, because the server outlives the run.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createContainer } from '../../src/container.ts';
import { useCheapPasswordHashingInTests } from '../../src/modules/auth/index.ts';
import { migrateToLatest, openDatabase, type DatabaseConfig } from '../../src/platform/index.ts';
import { testConfig } from './database.ts';
import { databaseUrl, dropDatabase, type TestDatabaseTemplate } from './template.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase: TestDatabaseTemplate;
  }
}

async function migrated(config: Parameters<typeof openDatabase>[0]): Promise<void> {
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
  useCheapPasswordHashingInTests();
  const adminUrl = process.env.TEST_DATABASE_URL;
  const seededFiles = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-test-seeded-files-'));
  if (adminUrl === undefined || adminUrl === '') {
    const templateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-test-template-'));
    await migrated({ kind: 'pglite', dataDir: templateDir });
    const seededDir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-test-seeded-'));
    await fs.cp(templateDir, seededDir, { recursive: true });
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
