/**
 * Configuration, parsed once from the environment at start. Every bad variable is named in one
 * error, so an operator fixes them all in one go rather than one restart at a time.
 */
import path from 'node:path';
import { z } from 'zod';

const blankAsUnset = (value: unknown): unknown => (value === '' ? undefined : value);

const EnvSchema = z.object({
  DATABASE_URL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// connection string')
      .optional(),
  ),
  DATABASE_POOL_SIZE: z.preprocess(
    blankAsUnset,
    z.coerce.number().int('must be a whole number').min(1).max(200).default(10),
  ),
  XINYONG_DATA_DIR: z.preprocess(blankAsUnset, z.string().default('./data')),
  HOST: z.preprocess(blankAsUnset, z.string().default('127.0.0.1')),
  PORT: z.preprocess(
    blankAsUnset,
    z.coerce.number().int('must be a whole number').min(0).max(65535).default(3000),
  ),
  XINYONG_KEY_FILE: z.preprocess(blankAsUnset, z.string().optional()),
  XINYONG_DATA_KEY_FILE: z.preprocess(blankAsUnset, z.string().optional()),
  XINYONG_CHECKPOINT_FILE: z.preprocess(blankAsUnset, z.string().optional()),
  XINYONG_AUDIT_RETENTION_DAYS: z.preprocess(
    blankAsUnset,
    z.coerce.number().int('must be a whole number').min(180).max(36_500).default(1825),
  ),
  XINYONG_ABANDONED_BATCH_DAYS: z.preprocess(
    blankAsUnset,
    z.coerce.number().int('must be a whole number').min(0).max(3650).default(14),
  ),
  XINYONG_PUBLIC_RATE_LIMIT: z.preprocess(
    blankAsUnset,
    z.coerce.number().int('must be a whole number').min(0).max(1_000_000).default(120),
  ),
  XINYONG_CORS_ORIGINS: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(
        /^https?:\/\/[^\s,/]+(,\s*https?:\/\/[^\s,/]+)*$/,
        'a comma-separated list of origins, such as https://portal.example.gov.cn',
      )
      .optional(),
  ),
  XINYONG_MODE: z.preprocess(blankAsUnset, z.enum(['demo', 'production']).default('demo')),
  XINYONG_DEMO_DATA: z.preprocess(blankAsUnset, z.enum(['on', 'off']).default('on')),
  LOG_LEVEL: z.preprocess(
    blankAsUnset,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

export type LogLevel = z.output<typeof EnvSchema>['LOG_LEVEL'];

export type DatabaseConfig =
  { kind: 'postgresql'; url: string; poolSize: number } | { kind: 'pglite'; dataDir: string };

export type Mode = 'demo' | 'production';

export interface Config {
  /** demo: an empty database is seeded with demo accounts; production: none, and none may exist. */
  mode: Mode;
  /** In demo mode, the first start ingests generated demonstration data (XINYONG_DEMO_DATA=off: not). */
  demoData: boolean;
  database: DatabaseConfig;
  /** The signing key and the checkpoint file live outside the database, so they can anchor it. */
  audit: { keyFile: string; checkpointFile: string; retentionDays: number };
  /** The key that hashes and encrypts codes at rest (citizen IDs never stored in clear). */
  dataKeyFile: string;
  /** Days the staged rows of a failed or interrupted batch are kept before they are purged. */
  abandonedBatchDays: number;
  /** publicRateLimit: requests a minute one client may make to the public API (0: no limit, as for the bench). */
  http: { host: string; port: number; publicRateLimit: number; corsOrigins: string[] };
  logLevel: LogLevel;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from `env`; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.map(String).join('.');
      return `${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.XINYONG_DATA_DIR);
  return {
    mode: e.XINYONG_MODE,
    demoData: e.XINYONG_MODE === 'demo' && e.XINYONG_DEMO_DATA === 'on',
    audit: {
      keyFile: path.resolve(e.XINYONG_KEY_FILE ?? path.join(dataDir, 'keys', 'platform-ed25519.pem')),
      checkpointFile: path.resolve(
        e.XINYONG_CHECKPOINT_FILE ?? path.join(dataDir, 'audit', 'checkpoints.jsonl'),
      ),
      retentionDays: e.XINYONG_AUDIT_RETENTION_DAYS,
    },
    dataKeyFile: path.resolve(e.XINYONG_DATA_KEY_FILE ?? path.join(dataDir, 'keys', 'data.key')),
    abandonedBatchDays: e.XINYONG_ABANDONED_BATCH_DAYS,
    database:
      e.DATABASE_URL === undefined
        ? { kind: 'pglite', dataDir }
        : { kind: 'postgresql', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE },
    http: {
      host: e.HOST,
      port: e.PORT,
      publicRateLimit: e.XINYONG_PUBLIC_RATE_LIMIT,
      corsOrigins: (e.XINYONG_CORS_ORIGINS ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o !== ''),
    },
    logLevel: e.LOG_LEVEL,
  };
}
