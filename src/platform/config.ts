/**
 * Configuration, parsed once from the environment at start. Every bad variable is named in one
 * error, so an operator fixes them all in one go rather than one restart at a time.
 */
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { msg, t } from './i18n/index.ts';
import { DEFAULT_LOCALE, LOCALES, type Locale } from './i18n/locale.ts';
import { issueReason, reason, reasonIn, type Reason } from './reasons.ts';

const blankAsUnset = (value: unknown): unknown => (value === '' ? undefined : value);

/** Whom Fastify believes about the client's address and protocol (X-Forwarded-For, -Proto). */
export type TrustProxy = boolean | number | string[];

// The names proxy-addr (under Fastify's trustProxy) knows for whole ranges.
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) {
    return true;
  }
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = net.isIP(address);
  if (family === 0 || rest.length > 0) {
    return false;
  }
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/** `true`, a hop count, or a list of addresses and CIDRs; undefined when the text is none of these. */
export function parseTrustProxy(text: string): TrustProxy | undefined {
  const value = text.trim();
  if (value === 'true' || value === 'false') {
    return value === 'true';
  }
  if (/^\d{1,2}$/.test(value)) {
    return Number(value);
  }
  const entries = value.split(',').map((e) => e.trim());
  return entries.every(isAddressOrRange) ? entries : undefined;
}

/** Who must sign in with a second factor: platform administrators and auditors, everyone, or no one. */
export type SecondFactorRule = 'admins' | 'all' | 'off';

/** How people sign in (GB/T 22239-2019 §8.1.4.1 asks for each; the figures are the platform's defaults). */
export interface SignInConfig {
  /** Failed attempts within `lockMinutes` that lock an account, for `lockMinutes`. */
  maxFailures: number;
  lockMinutes: number;
  /** Days a password serves before it must be changed; 0: no maximum age. */
  passwordMaxAgeDays: number;
  /** Minutes without a request after which a session has ended. */
  sessionIdleMinutes: number;
  requireSecondFactor: SecondFactorRule;
}

/** The figures of GB/T 22239-2019 level-3 practice, as the platform's defaults (not the standard's). */
export const SIGN_IN_DEFAULTS: SignInConfig = {
  maxFailures: 5,
  lockMinutes: 15,
  passwordMaxAgeDays: 90,
  sessionIdleMinutes: 30,
  requireSecondFactor: 'off',
};

const WHOLE_NUMBER = reason('config.reason.whole_number');

/** A province-level division code (350000); the nation's own (100000) is not one. */
const PROVINCE_DIVISION = /^[1-8][0-9]0000$/;

export const isProvinceDivision = (code: string): boolean =>
  PROVINCE_DIVISION.test(code) && code !== '100000';

const count = (min: number, max: number, fallback: number) =>
  z.preprocess(blankAsUnset, z.coerce.number().int(WHOLE_NUMBER).min(min).max(max).default(fallback));

const EnvSchema = z.object({
  DATABASE_URL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, reason('config.reason.database_url'))
      .optional(),
  ),
  DATABASE_READ_URL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, reason('config.reason.database_url'))
      .optional(),
  ),
  DATABASE_READ_MAX_LAG_MS: count(0, 3_600_000, 5000),
  DATABASE_POOL_SIZE: z.preprocess(
    blankAsUnset,
    z.coerce.number().int(WHOLE_NUMBER).min(1).max(200).default(10),
  ),
  XINYONG_DATA_DIR: z.preprocess(blankAsUnset, z.string().default('./data')),
  XINYONG_ATTACHMENTS_DIR: z.preprocess(blankAsUnset, z.string().optional()),
  HOST: z.preprocess(blankAsUnset, z.string().default('127.0.0.1')),
  PORT: z.preprocess(blankAsUnset, z.coerce.number().int(WHOLE_NUMBER).min(0).max(65535).default(3000)),
  XINYONG_KEY_FILE: z.preprocess(blankAsUnset, z.string().optional()),
  XINYONG_DATA_KEY_FILE: z.preprocess(blankAsUnset, z.string().optional()),
  XINYONG_CHECKPOINT_FILE: z.preprocess(blankAsUnset, z.string().optional()),
  XINYONG_KEYS_DIR: z.preprocess(blankAsUnset, z.string().optional()),
  XINYONG_SIGNATURE_ALGORITHM: z.preprocess(blankAsUnset, z.enum(['ed25519', 'sm2']).default('ed25519')),
  XINYONG_PUBLIC_URL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^https?:\/\/[^\s?#]+$/, reason('config.reason.public_url'))
      .optional(),
  ),
  XINYONG_AUDIT_RETENTION_DAYS: z.preprocess(
    blankAsUnset,
    z.coerce.number().int(WHOLE_NUMBER).min(180).max(36_500).default(1825),
  ),
  XINYONG_CHECKPOINT_MINUTES: count(0, 10_080, 60),
  XINYONG_CHECKPOINT_EVENTS: count(0, 10_000_000, 10_000),
  XINYONG_AUDIT_SEAL_MS: count(10, 60_000, 100),
  XINYONG_CONDUCT_REPORT_ACK_DAYS: count(1, 60, 3),
  XINYONG_CONDUCT_REPORT_ANSWER_DAYS: count(1, 120, 20),
  XINYONG_CONDUCT_REPORTS_PER_HOUR: count(0, 10_000, 5),
  XINYONG_ABANDONED_BATCH_DAYS: z.preprocess(
    blankAsUnset,
    z.coerce.number().int(WHOLE_NUMBER).min(0).max(3650).default(14),
  ),
  XINYONG_PUBLIC_RATE_LIMIT: z.preprocess(
    blankAsUnset,
    z.coerce.number().int(WHOLE_NUMBER).min(0).max(1_000_000).default(120),
  ),
  XINYONG_LOGIN_RATE_LIMIT: count(0, 1_000_000, 20),
  XINYONG_LOGIN_MAX_FAILURES: count(1, 100, SIGN_IN_DEFAULTS.maxFailures),
  XINYONG_LOGIN_LOCK_MINUTES: count(1, 1440, SIGN_IN_DEFAULTS.lockMinutes),
  XINYONG_PASSWORD_MAX_AGE_DAYS: count(0, 3650, SIGN_IN_DEFAULTS.passwordMaxAgeDays),
  XINYONG_SESSION_IDLE_MINUTES: count(1, 720, SIGN_IN_DEFAULTS.sessionIdleMinutes),
  XINYONG_REQUIRE_2FA: z.preprocess(blankAsUnset, z.enum(['admins', 'all', 'off']).optional()),
  XINYONG_TRUST_PROXY: z.preprocess(
    blankAsUnset,
    z
      .string()
      .refine((v) => parseTrustProxy(v) !== undefined, reason('config.reason.trust_proxy'))
      .optional(),
  ),
  XINYONG_CORS_ORIGINS: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^https?:\/\/[^\s,/]+(,\s*https?:\/\/[^\s,/]+)*$/, reason('config.reason.cors_origins'))
      .optional(),
  ),
  XINYONG_NODE: z.preprocess(blankAsUnset, z.enum(['single', 'provincial', 'national']).default('single')),
  XINYONG_DIVISION: z.preprocess(
    blankAsUnset,
    z.string().regex(PROVINCE_DIVISION, reason('config.reason.division')).optional(),
  ),
  XINYONG_MODE: z.preprocess(blankAsUnset, z.enum(['demo', 'production']).default('demo')),
  XINYONG_DEMO_DATA: z.preprocess(blankAsUnset, z.enum(['on', 'off']).default('on')),
  XINYONG_LANG: z.preprocess(blankAsUnset, z.enum(LOCALES).default(DEFAULT_LOCALE)),
  LOG_LEVEL: z.preprocess(
    blankAsUnset,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

export type LogLevel = z.output<typeof EnvSchema>['LOG_LEVEL'];

/**
 * A streaming replica that serves the public's reads while it is at most `maxLagMs` behind the
 * primary (compared every `checkMs`, default 1000).
 */
export interface ReplicaConfig {
  url: string;
  maxLagMs: number;
  checkMs?: number;
}

export type DatabaseConfig =
  | { kind: 'postgresql'; url: string; poolSize: number; replica?: ReplicaConfig }
  | { kind: 'pglite'; dataDir: string };

export type Mode = 'demo' | 'production';

/**
 * The node's place in the federation: a single platform (the default), a province (identified by
 * its division, e.g. 350000) that publishes what it may share, or the nation (100000) that
 * subscribes to provinces.
 */
export type FederationConfig =
  { role: 'single' } | { role: 'provincial'; node: string } | { role: 'national'; node: '100000' };

export interface Config {
  /** demo: an empty database is seeded with demo accounts; production: none, and none may exist. */
  mode: Mode;
  /** In demo mode, the first start ingests generated demonstration data (XINYONG_DEMO_DATA=off: not). */
  demoData: boolean;
  database: DatabaseConfig;
  /** Absent: a single node. */
  federation?: FederationConfig;
  /**
   * The signing key and the checkpoint file live outside the database, so they can anchor it. The
   * server signs a checkpoint every `schedule.minutes` or `schedule.events` events, whichever
   * comes first (0: that trigger is off).
   */
  audit: {
    keyFile: string;
    checkpointFile: string;
    retentionDays: number;
    schedule: { minutes: number; events: number };
    /**
     * Events are chained after commit every `delayMs` (XINYONG_AUDIT_SEAL_MS) at the latest; on the
     * embedded database also right after each write (`afterWrites`).
     */
    seal: { delayMs: number; afterWrites: boolean };
  };
  /**
   * The keys that sign reports and checkpoints: `algorithm` signs (Ed25519, or SM2 with SM3 where a
   * deployment must use commercial cryptography); further keys' private halves are kept in `dir`.
   */
  keys: { algorithm: 'ed25519' | 'sm2'; dir: string };
  /** The platform's public address: verification links and QR codes on reports point there. */
  publicUrl: string;
  /** The key that hashes and encrypts codes at rest (citizen IDs never stored in clear). */
  dataKeyFile: string;
  /** Where documents given as evidence (objections' attachments) are kept, by their SHA-256. */
  attachmentsDir: string;
  /**
   * Reports of dishonest conduct from the public: working days to acknowledge and to answer one
   * (defaults 3 and 20), and reports one address may file an hour (0: no limit).
   */
  conductReports: { acknowledgeWorkingDays: number; answerWorkingDays: number; perHour: number };
  /** Days the staged rows of a failed or interrupted batch are kept before they are purged. */
  abandonedBatchDays: number;
  /**
   * publicRateLimit: requests a minute one client may make to the public API (0: no limit, as for
   * the bench); loginRateLimit: sign-in attempts a minute from one address (0: no limit);
   * trustProxy: the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed.
   */
  http: {
    host: string;
    port: number;
    publicRateLimit: number;
    loginRateLimit: number;
    corsOrigins: string[];
    trustProxy: TrustProxy;
  };
  signIn: SignInConfig;
  /**
   * The language of error messages and the command line's lines when the caller asks for none
   * (an HTTP client's Accept-Language, the command line's --lang come first).
   */
  locale: Locale;
  logLevel: LogLevel;
}

/** A bad variable: its name, its value as given (JSON), and why it is refused. */
export interface ConfigProblem {
  variable: string;
  value: string;
  reason: Reason;
}

function problemLine(locale: Locale, p: ConfigProblem): string {
  return t(locale, 'config.problem', {
    variable: p.variable,
    value: p.value,
    reason: reasonIn(locale, p.reason),
  });
}

function describe(locale: Locale, found: readonly ConfigProblem[]): string {
  return [t(locale, 'config.invalid'), ...found.map((p) => `  - ${problemLine(locale, p)}`)].join('\n');
}

export class ConfigError extends Error {
  /** Each bad variable in a line, in English. */
  readonly problems: string[];

  constructor(readonly found: readonly ConfigProblem[]) {
    super(describe('en', found));
    this.name = 'ConfigError';
    this.problems = found.map((p) => problemLine('en', p));
  }

  /** Every bad variable, said in `locale`. */
  messageIn(locale: Locale): string {
    return describe(locale, this.found);
  }
}

/** Reads the configuration from `env`; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // The input reported with each issue: zod's own reasons name its type.
  const parsed = EnvSchema.safeParse(env, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = issue.path.map(String).join('.');
        return { variable, value: JSON.stringify(env[variable] ?? ''), reason: issueReason(issue) };
      }),
    );
  }
  const e = parsed.data;
  if (e.DATABASE_READ_URL !== undefined && e.DATABASE_URL === undefined) {
    // The embedded database has no replica: a read URL without a primary is a mistake to name.
    throw new ConfigError([
      {
        variable: 'DATABASE_READ_URL',
        value: JSON.stringify(env.DATABASE_READ_URL),
        reason: msg('config.reason.read_url_without_primary'),
      },
    ]);
  }
  const federation = federationOf(env, e.XINYONG_NODE, e.XINYONG_DIVISION, e.DATABASE_URL !== undefined);
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
      schedule: { minutes: e.XINYONG_CHECKPOINT_MINUTES, events: e.XINYONG_CHECKPOINT_EVENTS },
      seal: { delayMs: e.XINYONG_AUDIT_SEAL_MS, afterWrites: e.DATABASE_URL === undefined },
    },
    keys: {
      algorithm: e.XINYONG_SIGNATURE_ALGORITHM,
      dir: path.resolve(e.XINYONG_KEYS_DIR ?? path.join(dataDir, 'keys')),
    },
    publicUrl: (e.XINYONG_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    dataKeyFile: path.resolve(e.XINYONG_DATA_KEY_FILE ?? path.join(dataDir, 'keys', 'data.key')),
    attachmentsDir: path.resolve(e.XINYONG_ATTACHMENTS_DIR ?? path.join(dataDir, 'attachments')),
    conductReports: {
      acknowledgeWorkingDays: e.XINYONG_CONDUCT_REPORT_ACK_DAYS,
      answerWorkingDays: e.XINYONG_CONDUCT_REPORT_ANSWER_DAYS,
      perHour: e.XINYONG_CONDUCT_REPORTS_PER_HOUR,
    },
    abandonedBatchDays: e.XINYONG_ABANDONED_BATCH_DAYS,
    federation,
    database:
      e.DATABASE_URL === undefined
        ? { kind: 'pglite', dataDir }
        : {
            kind: 'postgresql',
            url: e.DATABASE_URL,
            poolSize: e.DATABASE_POOL_SIZE,
            ...(e.DATABASE_READ_URL === undefined
              ? {}
              : { replica: { url: e.DATABASE_READ_URL, maxLagMs: e.DATABASE_READ_MAX_LAG_MS } }),
          },
    http: {
      host: e.HOST,
      port: e.PORT,
      publicRateLimit: e.XINYONG_PUBLIC_RATE_LIMIT,
      loginRateLimit: e.XINYONG_LOGIN_RATE_LIMIT,
      corsOrigins: (e.XINYONG_CORS_ORIGINS ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o !== ''),
      trustProxy:
        e.XINYONG_TRUST_PROXY === undefined ? false : (parseTrustProxy(e.XINYONG_TRUST_PROXY) ?? false),
    },
    signIn: {
      maxFailures: e.XINYONG_LOGIN_MAX_FAILURES,
      lockMinutes: e.XINYONG_LOGIN_LOCK_MINUTES,
      passwordMaxAgeDays: e.XINYONG_PASSWORD_MAX_AGE_DAYS,
      sessionIdleMinutes: e.XINYONG_SESSION_IDLE_MINUTES,
      // In production the administrators and auditors need one; the demo asks nobody unless told.
      requireSecondFactor: e.XINYONG_REQUIRE_2FA ?? (e.XINYONG_MODE === 'production' ? 'admins' : 'off'),
    },
    locale: e.XINYONG_LANG,
    logLevel: e.LOG_LEVEL,
  };
}

/** The federation role, or a ConfigError naming what is missing or impossible. */
function federationOf(
  env: NodeJS.ProcessEnv,
  role: 'single' | 'provincial' | 'national',
  division: string | undefined,
  onPostgres: boolean,
): FederationConfig {
  if (role === 'single') {
    return { role };
  }
  const problems: ConfigProblem[] = [];
  if (!onPostgres) {
    // Logical replication is PostgreSQL's: the embedded database serves a single node.
    problems.push({
      variable: 'XINYONG_NODE',
      value: JSON.stringify(env.XINYONG_NODE),
      reason: msg('config.reason.federation_needs_postgres'),
    });
  }
  if (role === 'provincial' && (division === undefined || !isProvinceDivision(division))) {
    problems.push({
      variable: 'XINYONG_DIVISION',
      value: JSON.stringify(env.XINYONG_DIVISION ?? ''),
      reason: msg('config.reason.province_division'),
    });
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return role === 'national' ? { role, node: '100000' } : { role, node: division ?? '' };
}
