/**
 * A fresh, migrated database for one test file: a copy of the run's template, on PGlite or on
 * PostgreSQL (TEST_DATABASE_URL, with a pool of TEST_DATABASE_POOL_SIZE connections, default 1
 * so that a query issued outside its transaction deadlocks in tests as it would on PGlite).
 */
import { randomBytes } from 'node:crypto';
import { constants, mkdtempSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { AuditService } from '../../src/modules/audit/index.ts';
import {
  createDataProtector,
  openDatabase,
  SIGN_IN_DEFAULTS,
  type Config,
  type Database,
  type DataProtector,
  type DatabaseConfig,
} from '../../src/platform/index.ts';
import { databaseUrl, dropDatabase } from './template.ts';

export interface TestDatabase {
  config: DatabaseConfig;
  /** A directory of its own for files outside the database: the signing key, the checkpoints. */
  filesDir: string;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /**
   * A database the platform has started on once already (base catalog, demo accounts, shipped
   * lists), with its key files: what most tests need, without paying a first start each. Default:
   * migrated only, as a first start finds it.
   */
  seeded?: boolean;
}

/**
 * Copies a directory tree, every file at once. `fs.cp` walks and copies one entry at a time and
 * took seconds for a PGlite data directory (some 1,200 files, 41 MB) where this takes a fraction.
 */
export async function copyDir(from: string, to: string): Promise<void> {
  const entries = await fs.readdir(from, { recursive: true, withFileTypes: true });
  const target = (entry: { parentPath: string; name: string }) =>
    path.join(to, path.relative(from, path.join(entry.parentPath, entry.name)));
  await fs.mkdir(to, { recursive: true });
  for (const entry of entries) {
    if (entry.isDirectory()) {
      await fs.mkdir(target(entry), { recursive: true });
    } else if (!entry.isFile()) {
      throw new Error(
        `copyDir copies files and directories only: ${path.join(entry.parentPath, entry.name)}`,
      );
    }
  }
  await Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map((entry) =>
        fs.copyFile(path.join(entry.parentPath, entry.name), target(entry), constants.COPYFILE_FICLONE),
      ),
  );
}

export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const template = inject('testDatabase');
  const filesDir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-test-files-'));
  const dropFiles = () => fs.rm(filesDir, { recursive: true, force: true });
  if (options.seeded === true) {
    await copyDir(template.seededFiles, filesDir);
  }
  if (template.kind === 'pglite') {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-test-'));
    await copyDir(options.seeded === true ? template.seededDir : template.templateDir, dataDir);
    return {
      config: { kind: 'pglite', dataDir },
      filesDir,
      drop: async () => {
        await fs.rm(dataDir, { recursive: true, force: true });
        await dropFiles();
      },
    };
  }
  const name = `${template.template}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: template.adminUrl });
  await admin.connect();
  try {
    // Two files copying the template at the same instant can collide; a short retry settles it.
    for (let attempt = 0; ; attempt += 1) {
      try {
        await admin.query(
          `create database ${name} template ${options.seeded === true ? template.seeded : template.template}`,
        );
        break;
      } catch (err) {
        if (attempt >= 20) {
          throw err;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  return {
    config: {
      kind: 'postgresql',
      url: databaseUrl(template.adminUrl, name),
      poolSize: Number(process.env.TEST_DATABASE_POOL_SIZE ?? '1'),
    },
    filesDir,
    drop: async () => {
      await dropFiles();
      const client = new pg.Client({ connectionString: template.adminUrl });
      await client.connect();
      await dropDatabase(client, name);
      await client.end();
    },
  };
}

/** A whole configuration around a test database, logging silenced. */
export function testConfig(testDb: TestDatabase): Config {
  return {
    mode: 'demo',
    demoData: false,
    database: testDb.config,
    audit: {
      keyFile: path.join(testDb.filesDir, 'platform-ed25519.pem'),
      checkpointFile: path.join(testDb.filesDir, 'checkpoints.jsonl'),
      retentionDays: 1825,
      schedule: { minutes: 60, events: 10_000 },
      // Chained right after each write, on PostgreSQL too: with a pool of one (the tests'), the round
      // runs before the test's next query, so a read right after an action sees its event.
      seal: { delayMs: 100, afterWrites: true },
    },
    keys: { algorithm: 'ed25519', dir: testDb.filesDir },
    publicUrl: 'https://credit.example.gov.cn',
    dataKeyFile: path.join(testDb.filesDir, 'data.key'),
    attachmentsDir: path.join(testDb.filesDir, 'attachments'),
    conductReports: { acknowledgeWorkingDays: 3, answerWorkingDays: 20, perHour: 5 },
    abandonedBatchDays: 14,
    http: {
      host: '127.0.0.1',
      port: 0,
      publicRateLimit: 0,
      loginRateLimit: 0,
      corsOrigins: [],
      trustProxy: false,
    },
    signIn: SIGN_IN_DEFAULTS,
    // English, the language the tests' and the bench's expected wording is in.
    locale: 'en',
    logLevel: 'silent',
  };
}

/** An audit writer for a test database, its key and checkpoints in a directory of its own. */
export function testAudit(database: Database): AuditService {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xinyong-test-audit-'));
  return new AuditService(database.db, {
    keyFile: path.join(dir, 'platform-ed25519.pem'),
    checkpointFile: path.join(dir, 'checkpoints.jsonl'),
    retentionDays: 1825,
  });
}

/** A data protector with a key of its own, in a directory of its own. */
export function testProtector(): DataProtector {
  return createDataProtector(path.join(mkdtempSync(path.join(os.tmpdir(), 'xinyong-test-key-')), 'data.key'));
}

/**
 * Registers beforeAll/afterAll hooks that give the file an open test database; call the returned
 * function inside tests to get it.
 */
export function useTestDatabase(): () => Database {
  let testDb: TestDatabase | undefined;
  let database: Database | undefined;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    database = await openDatabase(testDb.config);
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });
  return () => {
    if (database === undefined) {
      throw new Error('the test database is opened in beforeAll');
    }
    return database;
  };
}
