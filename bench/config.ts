/** The platform's configuration for a benchmark: quiet, no demo data, no rate limit, keys in `dir`. */
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SIGN_IN_DEFAULTS, type Config, type DatabaseConfig } from '../src/platform/index.ts';
import { dropDatabase } from '../test/support/template.ts';
import { loadAverage, loadText } from './machine.ts';

export function benchConfig(database: DatabaseConfig, dir: string): Config {
  return {
    mode: 'demo',
    demoData: false,
    database,
    audit: {
      keyFile: path.join(dir, 'platform-ed25519.pem'),
      checkpointFile: path.join(dir, 'checkpoints.jsonl'),
      retentionDays: 1825,
      schedule: { minutes: 60, events: 10_000 },
      seal: { delayMs: 100, afterWrites: database.kind === 'pglite' },
    },
    keys: { algorithm: 'ed25519', dir },
    publicUrl: 'http://localhost',
    // Kept with the data it hashed: codes are found by their keyed hash.
    dataKeyFile: path.join(dir, 'data.key'),
    attachmentsDir: path.join(dir, 'attachments'),
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

/** The line every benchmark starts with: the machine its figures were measured on. */
export function machineLine(): string {
  const cpus = os.cpus();
  return `machine: ${cpus.length} cores (${cpus[0]?.model ?? 'unknown'}), Node ${process.version}\n`;
}

/** The load average over 1, 5 and 15 minutes, as a line: the machine may be shared. */
export function loadLine(): string {
  return `load average: ${loadText(loadAverage())}`;
}

/** The PostgreSQL server the benches make their databases on (a role that may create them), if set. */
export function benchServerUrl(): string | undefined {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  return url === '' ? undefined : url;
}

/** The URL of the database `name` on the server of `serverUrl`. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A database of a bench run's own, made on the server `serverUrl` and dropped after `run`. */
export async function withBenchDatabase<T>(
  serverUrl: string,
  prefix: string,
  run: (db: { url: string; serverVersion: string }) => Promise<T>,
): Promise<T> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    // UTF-8 with a UTF-8 ctype: under ctype C, trigram matching of Chinese finds nothing.
    await admin.query(
      `create database ${name} encoding 'UTF8' lc_ctype 'C.UTF-8' lc_collate 'C.UTF-8' template template0`,
    );
    const version = (await admin.query<{ server_version: string }>('show server_version')).rows[0];
    try {
      return await run({ url: databaseUrl(serverUrl, name), serverVersion: version?.server_version ?? '?' });
    } finally {
      await dropDatabase(admin, name);
    }
  } finally {
    await admin.end();
  }
}
