/**
 * PostgreSQL clusters of a test's own, on loopback ports: a primary made with initdb, a streaming
 * replica made with pg_basebackup, started and stopped by the test. As root (CI), the server's
 * programs run as the `postgres` user, which they require. Used only on the PostgreSQL pass
 * (TEST_DATABASE_URL set), where the machine's PostgreSQL 15 programs are known to be installed.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

const BIN_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'];

/** The directory of initdb, pg_ctl and pg_basebackup, or undefined. */
export function pgBinDir(): string | undefined {
  return [process.env.PG_BIN_DIR, ...BIN_DIRS].find(
    (dir) => dir !== undefined && fs.existsSync(path.join(dir, 'pg_basebackup')),
  );
}

const asRoot = process.getuid?.() === 0;

/** Whether this run may start clusters: the PostgreSQL pass, with the server's programs installed. */
export function clustersAvailable(): boolean {
  return (process.env.TEST_DATABASE_URL ?? '') !== '' && pgBinDir() !== undefined;
}

async function pgRun(program: string, args: string[]): Promise<string> {
  const bin = path.join(pgBinDir() ?? '', program);
  const { stdout } = asRoot
    ? await run('runuser', ['-u', 'postgres', '--', bin, ...args], { cwd: '/' })
    : await run(bin, args, { cwd: '/' });
  return stdout;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function ownedDir(prefix: string): Promise<string> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), prefix));
  if (asRoot) {
    await run('chown', ['postgres:postgres', dir]);
  }
  return dir;
}

export class Cluster {
  constructor(
    readonly name: string,
    readonly dir: string,
    readonly port: number,
  ) {}

  get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  /** A connection string to `database` as the superuser (trusted on loopback). */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    await pgRun('pg_ctl', ['start', '-w', '-t', '60', '-D', this.dataDir, '-l', path.join(this.dir, 'log')]);
  }

  /** Stops the server: `immediate` as a crash would (no checkpoint), `fast` as an operator would. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await pgRun('pg_ctl', ['stop', '-w', '-m', mode, '-D', this.dataDir]);
  }

  /** Runs `text` on `database` and returns the rows. */
  async query<R extends pg.QueryResultRow>(
    text: string,
    database = 'postgres',
    values: unknown[] = [],
  ): Promise<R[]> {
    const client = new pg.Client({ connectionString: this.url(database) });
    await client.connect();
    try {
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  /** Stops the server if it runs and removes its files. */
  async destroy(): Promise<void> {
    await this.stop('immediate').catch(() => undefined);
    await fsp.rm(this.dir, { recursive: true, force: true });
  }

  /** The server's log, for a failing test's message. */
  log(): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'log'), 'utf8');
    } catch {
      return '';
    }
  }
}

/** Settings for a test server: small, fast (no fsync), ready for streaming and logical replication. */
function settings(port: number, socketDir: string): string {
  return [
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${socketDir}'`,
    'wal_level = logical',
    'max_wal_senders = 10',
    'max_replication_slots = 10',
    'max_logical_replication_workers = 8',
    'max_worker_processes = 16',
    'hot_standby = on',
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    'shared_buffers = 32MB',
    "timezone = 'Asia/Shanghai'",
    '',
  ].join('\n');
}

/** A new primary cluster, started. */
export async function primaryCluster(name: string): Promise<Cluster> {
  const dir = await ownedDir(`xinyong-${name}-`);
  const cluster = new Cluster(name, dir, await freePort());
  await pgRun('initdb', [
    '-D',
    cluster.dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  await fsp.appendFile(path.join(cluster.dataDir, 'postgresql.conf'), settings(cluster.port, dir));
  await fsp.appendFile(
    path.join(cluster.dataDir, 'pg_hba.conf'),
    'host all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n',
  );
  await cluster.start();
  return cluster;
}

/** A streaming replica of `primary` (pg_basebackup -R), started. */
export async function replicaCluster(primary: Cluster, name: string): Promise<Cluster> {
  const dir = await ownedDir(`xinyong-${name}-`);
  const cluster = new Cluster(name, dir, await freePort());
  await pgRun('pg_basebackup', [
    '-d',
    primary.url(),
    '-D',
    cluster.dataDir,
    '-R',
    '--checkpoint=fast',
    '--no-sync',
  ]);
  // The copy carries the primary's settings: the replica's own port and socket go last, and win.
  await fsp.appendFile(path.join(cluster.dataDir, 'postgresql.conf'), settings(cluster.port, dir));
  await cluster.start();
  return cluster;
}
