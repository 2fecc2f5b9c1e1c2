/** The machine a run measured on, recorded with its results so that runs can be compared. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import pg from 'pg';

/** The PostgreSQL settings that move the benches' figures most. */
const SETTINGS = ['shared_buffers', 'work_mem', 'max_parallel_workers_per_gather', 'max_wal_size'];

export interface Machine {
  hostname: string;
  cpu: { cores: number; model: string };
  memoryBytes: number;
  node: string;
  os: { type: string; release: string; version: string; arch: string };
  postgresql: { version: string; settings: Record<string, string> };
  /** The checkout measured: its commit, and whether it had changes not committed; null outside git. */
  git: { commit: string | null; dirty: boolean | null };
}

export async function describeMachine(serverUrl: string): Promise<Machine> {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    cpu: { cores: cpus.length, model: cpus[0]?.model ?? 'unknown' },
    memoryBytes: os.totalmem(),
    node: process.version,
    os: { type: os.type(), release: os.release(), version: os.version(), arch: os.arch() },
    postgresql: await describePostgres(serverUrl),
    git: { commit: git('rev-parse', 'HEAD'), dirty: gitDirty() },
  };
}

async function describePostgres(serverUrl: string): Promise<Machine['postgresql']> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const version = await client.query<{ server_version: string }>('show server_version');
    const settings = await client.query<{ name: string; value: string }>(
      'select name, current_setting(name) as value from pg_settings where name = any($1) order by name',
      [SETTINGS],
    );
    return {
      version: version.rows[0]?.server_version ?? '?',
      settings: Object.fromEntries(settings.rows.map((s) => [s.name, s.value])),
    };
  } finally {
    await client.end();
  }
}

/** A git command's output, trimmed; null when git or the repository is not there. */
function git(...args: string[]): string | null {
  try {
    const cwd = new URL('.', import.meta.url);
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function gitDirty(): boolean | null {
  const status = git('status', '--porcelain', '--untracked-files=no');
  return status === null ? null : status !== '';
}

/** The load average over 1, 5 and 15 minutes. */
export const loadAverage = (): number[] => os.loadavg().map((l) => Number(l.toFixed(2)));

/** A load average as `uptime` prints it. */
export const loadText = (load: readonly number[]): string => load.map((l) => l.toFixed(2)).join(' ');

/** The machine in a line: cores, memory, Node, PostgreSQL and its settings, the system, the commit. */
export function machineSummary(m: Machine): string {
  const settings = Object.entries(m.postgresql.settings)
    .map(([name, value]) => `${name} ${value}`)
    .join(', ');
  const commit =
    m.git.commit === null
      ? 'no git commit'
      : `commit ${m.git.commit.slice(0, 12)}${m.git.dirty ? ' + changes' : ''}`;
  return (
    `${m.hostname}: ${m.cpu.cores} cores (${m.cpu.model}), ${(m.memoryBytes / 1024 ** 3).toFixed(1)} GiB, ` +
    `Node ${m.node}, PostgreSQL ${m.postgresql.version} (${settings}), ${m.os.type} ${m.os.release} ${m.os.arch}; ${commit}`
  );
}
