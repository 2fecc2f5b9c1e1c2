/**
 * Opens the database: PostgreSQL when a URL is configured, otherwise the embedded PGlite persisted
 * on disk. Both sit behind a node-postgres Pool, so Kysely, the SQL and the type conversions are
 * the same on both.
 */
import fs from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, Migrator, PostgresDialect, type CompiledQuery, type MigrationResult } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.ts';
import { msg, render, type Locale, type Message } from '../i18n/index.ts';
import { copyBulkInsert, insertBulkInsert, type BulkInsert } from './bulk.ts';
import { lockDataDir, type LockHolder } from './lock.ts';
import { migrations } from './migrations/index.ts';
import { ReplicaRouter, type ReplicaStatus } from './replica.ts';
import type { Schema } from './schema.ts';

export type DatabaseKind = DatabaseConfig['kind'];

/** Runs a query as a named prepared statement (see `Database.prepared`). */
export type Prepared = <R>(name: string, query: CompiledQuery<R>) => Promise<R[]>;

/** A `Prepared` that runs the query as an ordinary one: for callers given no prepared runner. */
export function unprepared(db: Kysely<Schema>): Prepared {
  return async (_name, query) => (await db.executeQuery(query)).rows;
}

export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Kysely<Schema>;
  /** Many rows into one table at once: COPY on PostgreSQL, a multi-row INSERT on PGlite. */
  readonly bulkInsert: BulkInsert;
  /**
   * Runs a read whose text never changes (only its parameters) as a named prepared statement:
   * each connection parses and plans it once, where an unnamed query is planned on every call.
   * For hot reads with many joins, planning costs more than running. `name` must be unique to
   * the text. Outside any transaction.
   */
  readonly prepared: Prepared;
  /**
   * Where the public's reads go (search, the public file, report verification): the replica of
   * DATABASE_READ_URL while it follows closely enough, else the primary. Without a replica, the
   * primary's `db` and `prepared` themselves. Never for a write or an audited read.
   */
  readonly reads: PublicReads;
  close(): Promise<void>;
}

export interface PublicReads {
  readonly db: Kysely<Schema>;
  readonly prepared: Prepared;
  /** The replica's state and lag; undefined when none is configured. */
  replica(): ReplicaStatus | undefined;
}

const OID = { int8: 20, numeric: 1700, date: 1082, dateArray: 1182, textArray: 1009 } as const;

/**
 * Civil dates stay `YYYY-MM-DD` strings (never a JS Date at midnight in some time zone),
 * numeric stays a string (no float rounding of money), and bigint counts become numbers.
 */
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown => {
    switch (oid) {
      case OID.int8:
        return (value: string) => Number(value);
      case OID.numeric:
      case OID.date:
        return (value: string) => value;
      case OID.dateArray:
        // date[] parsed as text[]: an array of civil-date strings.
        return pg.types.getTypeParser(
          OID.textArray as unknown as Parameters<typeof pg.types.getTypeParser>[0],
          format,
        );
      default:
        return pg.types.getTypeParser(oid, format) as unknown;
    }
  }) as pg.CustomTypesConfig['getTypeParser'],
};

interface Opened {
  pool: pg.Pool;
  /** The replica's router, when DATABASE_READ_URL is set. */
  router?: ReplicaRouter;
  /** What must be closed after the pool has ended. */
  afterPool: () => Promise<void>;
}

async function openPglite(dataDir: string, options: OpenOptions): Promise<Opened> {
  await fs.mkdir(dataDir, { recursive: true });
  // One process owns the directory for as long as it has it open (DataDirLockedError otherwise).
  const lock = lockDataDir(dataDir);
  if (lock.tookOver !== undefined) {
    options.onStaleLock?.(lock.tookOver);
  }
  try {
    const pglite = await PGlite.create(dataDir, { extensions: { pg_trgm } });
    await pglite.exec(`set time zone 'Asia/Shanghai'`);
    // PGlite serves one connection: a pool of one that never closes its idle client.
    const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, idleTimeoutMillis: 0, types: typeParsers });
    return {
      pool,
      afterPool: async () => {
        try {
          await pglite.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}

export interface OpenOptions {
  /**
   * Told when a connection is lost outside any query (PostgreSQL restarted, a failover,
   * `pg_terminate_backend`). The pool drops the connection and opens a new one when next needed;
   * without a listener, node-postgres would throw the error and end the process.
   */
  onConnectionLost?: (err: Error) => void;
  /** Told when the embedded database's lock was left by a process that is gone, and is taken over. */
  onStaleLock?: (holder: LockHolder) => void;
  /** Told when the read replica's state changes (in use, lagging, down). */
  onReplicaChange?: (status: ReplicaStatus) => void;
}

function postgresPool(url: string, poolSize: number, options: OpenOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: typeParsers,
    // A database that does not answer is told within seconds (503), not after the OS gives up.
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    // Short queries whose row estimates run high (array containment) must not pay for JIT
    // compilation: it can cost a hundred times the query. client_connection_check_interval: a
    // statement whose client has gone (a killed process, a cut connection) is cancelled within
    // seconds instead of running on, holding its locks, until it next writes to the socket.
    options: '-c TimeZone=Asia/Shanghai -c jit=off -c client_connection_check_interval=2000',
  });
  const lost = (err: Error) => options.onConnectionLost?.(err);
  // An idle connection lost: the pool has already removed it.
  pool.on('error', lost);
  // A connection lost while checked out but between queries (inside a transaction, say): the
  // client emits 'error' itself, which nobody else listens to; the query that uses it next fails.
  pool.on('connect', (client) => client.on('error', lost));
  return pool;
}

function openPostgres(config: Extract<DatabaseConfig, { kind: 'postgresql' }>, options: OpenOptions): Opened {
  const pool = postgresPool(config.url, config.poolSize, options);
  if (config.replica === undefined) {
    return { pool, afterPool: () => Promise.resolve() };
  }
  const replica = postgresPool(config.replica.url, config.poolSize, {});
  const router = new ReplicaRouter(pool, replica, {
    maxLagMs: config.replica.maxLagMs,
    checkMs: config.replica.checkMs ?? 1000,
    ...(options.onReplicaChange === undefined ? {} : { onChange: options.onReplicaChange }),
  });
  router.start();
  return {
    pool,
    router,
    afterPool: async () => {
      await router.stop();
      await replica.end();
    },
  };
}

type RunQuery = <R extends pg.QueryResultRow>(query: pg.QueryConfig) => Promise<pg.QueryResult<R>>;

/** Runs a query as a named prepared statement with `run`. */
function preparedWith(run: RunQuery): Prepared {
  return async <R>(name: string, query: CompiledQuery<R>) => {
    const result = await run<R & pg.QueryResultRow>({ name, text: query.sql, values: [...query.parameters] });
    return result.rows;
  };
}

/** A query on a connection `connect` gives, released (and dropped on an error, as pg's pool does). */
function queryOn(connect: () => Promise<pg.PoolClient>): RunQuery {
  return async <R extends pg.QueryResultRow>(query: pg.QueryConfig) => {
    const client = await connect();
    try {
      const result = await client.query<R>(query);
      client.release();
      return result;
    } catch (err) {
      client.release(err instanceof Error ? err : true);
      throw err;
    }
  };
}

export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<Database> {
  const { pool, router, afterPool } =
    config.kind === 'pglite' ? await openPglite(config.dataDir, options) : openPostgres(config, options);
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  const prepared = preparedWith((query) => pool.query(query));
  const reads: PublicReads =
    router === undefined
      ? { db, prepared, replica: () => undefined }
      : {
          // Closed with the primary's: the router's pools are ended by `afterPool`.
          db: new Kysely<Schema>({
            dialect: new PostgresDialect({
              pool: { connect: () => router.connect(), end: () => Promise.resolve() },
            }),
          }),
          prepared: preparedWith(queryOn(() => router.connect())),
          replica: () => router.status(),
        };
  return {
    kind: config.kind,
    db,
    bulkInsert: config.kind === 'postgresql' ? copyBulkInsert(pool) : insertBulkInsert(db),
    prepared,
    reads,
    close: async () => {
      await db.destroy(); // ends the pool
      await afterPool();
    },
  };
}

export class MigrationError extends Error {
  constructor(
    readonly localized: Message,
    readonly results: readonly MigrationResult[],
    cause?: unknown,
  ) {
    super(render('en', localized), { cause });
    this.name = 'MigrationError';
  }

  /** Which migration failed, in `locale` (the database's own words as they are). */
  messageIn(locale: Locale): string {
    return render(locale, this.localized);
  }
}

/** Brings the schema to the latest migration; returns the names applied by this call. */
export async function migrateToLatest(db: Kysely<Schema>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...migrations }) },
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error');
    const cause = error instanceof Error ? error.message : JSON.stringify(error);
    throw new MigrationError(
      msg('errors.migration_failed', { name: failed?.migrationName ?? '(unknown)', cause }),
      results,
      error,
    );
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
