/**
 * `npm run soak`: a bounded load-and-fault run on loopback. The server runs on PostgreSQL in a child
 * process with demonstration data; for a few minutes clients search, read public files, run credit
 * checks and send a 50,000-row file, while PostgreSQL is restarted once and the server is killed
 * (SIGKILL) and started again. Then the invariants: every committed batch complete, the audit chain
 * verifies, no staged rows of an abandoned batch left once the retention rule has run (retention 0
 * here), no 5xx outside the outages. It prints requests served and errors by kind; exit 1 when an
 * invariant fails.
 *
 *   SOAK_DATABASE_URL=postgres://role:pw@127.0.0.1:5432/postgres npm run soak -- [--seconds 180]
 *     [--clients 8] [--rows 50000]
 *   SOAK_PG_RESTART  the command that restarts PostgreSQL (default: pg_ctlcluster 15 main restart)
 *
 * The role must be able to create databases; the soak creates its own and drops it afterwards.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openAsBlob } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { population, writePenaltyCsv } from '../src/demo/index.ts';
import { CLI } from '../test/support/cli.ts';
import { commandLine } from './options.ts';

const options = commandLine();
const SECONDS = options.number('seconds', 180);
const CLIENTS = options.number('clients', 8);
const ROWS = options.number('rows', 50_000);
const ADMIN_URL = process.env.SOAK_DATABASE_URL ?? process.env.BENCH_DATABASE_URL ?? '';
const PG_RESTART = process.env.SOAK_PG_RESTART ?? 'pg_ctlcluster --skip-systemctl-redirect 15 main restart';
const PORT = 3900 + Math.floor(Math.random() * 90);
const BASE = `http://127.0.0.1:${PORT}`;

if (!/^postgres(ql)?:\/\//.test(ADMIN_URL)) {
  console.error('set SOAK_DATABASE_URL=postgres://… (a role that may create databases)');
  process.exit(2);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const started = Date.now();
const at = () => ((Date.now() - started) / 1000).toFixed(1);
const say = (line: string) => console.log(`[${at()} s] ${line}`);

// ---- the database and the server -------------------------------------------------------------

const dbName = `xinyong_soak_${Date.now().toString(36)}`;
const dbUrl = (() => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${dbName}`;
  return u.toString();
})();
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-soak-'));
const env = {
  ...process.env,
  DATABASE_URL: dbUrl,
  DATABASE_POOL_SIZE: '10',
  XINYONG_DATA_DIR: dataDir,
  XINYONG_PUBLIC_RATE_LIMIT: '0',
  XINYONG_ABANDONED_BATCH_DAYS: '0',
  PORT: String(PORT),
  LOG_LEVEL: 'warn',
};

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function cli(...command: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...CLI, ...command], { env, encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

let server: ChildProcess | undefined;
let serverLog = '';
async function startServer(): Promise<void> {
  server = spawn(process.execPath, [...CLI, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout?.on('data', (d: Buffer) => (serverLog += d.toString()));
  server.stderr?.on('data', (d: Buffer) => (serverLog += d.toString()));
  for (let i = 0; i < 600; i += 1) {
    if (await healthy()) {
      return;
    }
    await sleep(200);
  }
  throw new Error(`the server did not come up:\n${serverLog.slice(-2000)}`);
}

async function stopServer(signal: NodeJS.Signals): Promise<void> {
  const running = server;
  if (running === undefined || running.exitCode !== null || running.signalCode !== null) {
    return;
  }
  const exited = once(running, 'exit');
  running.kill(signal);
  await exited;
}

async function healthy(): Promise<boolean> {
  try {
    return (await fetch(`${BASE}/api/health`, { signal: AbortSignal.timeout(2000) })).status === 200;
  } catch {
    return false;
  }
}

// ---- what happened ---------------------------------------------------------------------------

interface Outage {
  kind: string;
  from: number;
  to: number;
}
const outages: Outage[] = [];
const counts = new Map<string, number>();
const fiveHundreds: Array<{ kind: string; status: number; sent: number; answered: number; body: string }> =
  [];
const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

async function request(kind: string, url: string, init: RequestInit = {}): Promise<Response | undefined> {
  const sent = Date.now();
  try {
    const res = await fetch(`${BASE}${url}`, { ...init, signal: AbortSignal.timeout(60_000) });
    count(`${kind} ${res.status}`);
    if (res.status >= 500) {
      fiveHundreds.push({
        kind,
        status: res.status,
        sent,
        answered: Date.now(),
        body: (await res.clone().text()).slice(0, 200),
      });
    }
    return res;
  } catch (err) {
    count(`${kind} no answer (${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name})`);
    return undefined;
  }
}

// ---- the run ---------------------------------------------------------------------------------

await adminQuery(
  `create database ${dbName} template template0 encoding 'UTF8' lc_ctype 'C.UTF-8' lc_collate 'C.UTF-8'`,
);
say(`database ${dbName}; server on ${BASE}`);
let failed = false;
try {
  await startServer();
  say('server up with its demonstration data');
  const token = (role: string, department: string) => {
    const r = cli('token', 'create', '--role', role, '--department', department, '--name', `soak ${role}`);
    const secret = r.stdout.trim();
    if (r.status !== 0 || secret === '') {
      throw new Error(`token create failed: ${r.stderr}${r.stdout}`);
    }
    return secret;
  };
  const officer = token('credit_officer', 'GL-ZJ');
  const clerk = token('data_clerk', 'FZ-SCJG');
  const company = population({ divisions: '3501' });
  const companies = Array.from({ length: 400 }, (_, i) => company(i));
  const file = path.join(dataDir, 'penalties.csv');
  await writePenaltyCsv(file, { rows: ROWS, seed: 31, divisions: '3501', population: 400 });

  let running = true;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)] as T;
  const readers = Array.from({ length: CLIENTS }, async (_, n) => {
    while (running) {
      const c = pick(companies);
      switch (n % 3) {
        case 0:
          await request('search', `/api/public/subjects?q=${encodeURIComponent(c.name.slice(2, 6))}`);
          break;
        case 1:
          await request('file', `/api/public/subjects/${c.uscc}`);
          break;
        default:
          await request('check', '/api/checks', {
            method: 'POST',
            headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
            body: JSON.stringify({ subjectCode: c.uscc, matter: 'government_procurement', purpose: 'soak' }),
          });
      }
      if (!server || server.exitCode !== null) {
        await sleep(50); // the server is down: do not spin
      }
    }
  });

  const batches: Array<{ id: number; status: string; accepted: number }> = [];
  /** Sends the file until a batch of it commits (a fault may fail an attempt). */
  const ingest = async (label: string) => {
    for (let attempt = 1; attempt <= 6; attempt += 1) {
      const form = new FormData();
      form.set('item', 'admin_penalty');
      form.set('file', await openAsBlob(file), 'penalties.csv');
      const res = await request('ingest', '/api/ingest/batches', {
        method: 'POST',
        headers: { authorization: `Bearer ${clerk}` },
        body: form,
      });
      const body =
        res === undefined
          ? undefined
          : ((await res.json()) as { batchId?: number; status?: string; accepted?: number });
      say(`ingest ${label}, attempt ${attempt}: ${res?.status ?? 'no answer'} ${body?.status ?? ''}`);
      if (res?.status === 201 && body?.status === 'committed') {
        batches.push({ id: body.batchId ?? 0, status: 'committed', accepted: body.accepted ?? 0 });
        return;
      }
      while (!(await healthy())) {
        await sleep(500);
      }
    }
  };

  const fault = async (kind: string, act: () => Promise<void>) => {
    const from = Date.now();
    say(`fault: ${kind}`);
    await act();
    while (!(await healthy())) {
      await sleep(100);
    }
    outages.push({ kind, from, to: Date.now() });
    say(`recovered from ${kind} in ${((Date.now() - from) / 1000).toFixed(1)} s`);
  };

  // Ten seconds into the first file, PostgreSQL restarts: the batch fails and is sent again.
  await sleep(Math.max(0, SECONDS * 300 - 10_000 - (Date.now() - started)));
  const first = ingest('A');
  await sleep(10_000);
  await fault('PostgreSQL restart', async () => {
    // Not spawnSync: the clients must keep sending while PostgreSQL goes down and comes back.
    const restart = spawn('sh', ['-c', PG_RESTART], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    restart.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = (await once(restart, 'exit')) as [number | null];
    if (code !== 0) {
      throw new Error(`${PG_RESTART}: ${stderr}`);
    }
  });
  await first;
  await sleep(Math.max(0, SECONDS * 550 - (Date.now() - started)));
  const secondStarted = Date.now();
  const second = ingest('B');
  // A few seconds in, the file is being staged: the kill interrupts it.
  await sleep(4_000);
  await fault('server killed (SIGKILL) and started again', async () => {
    say(`killing the server ${((Date.now() - secondStarted) / 1000).toFixed(1)} s into ingest B`);
    await stopServer('SIGKILL');
    await startServer();
  });
  await second;
  await sleep(Math.max(0, SECONDS * 1000 - (Date.now() - started)));
  running = false;
  await Promise.all(readers);

  // ---- invariants --------------------------------------------------------------------------
  say('load stopped; checking the invariants');
  // The retention rule (0 days here) takes abandoned batches once they read abandoned (a minute).
  await sleep(61_000);
  const purge = cli('batch', 'purge');
  say(`retention: ${purge.stdout.trim() || purge.stderr.trim()}`);
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  const incomplete = await client.query<{ id: number }>(
    `select b.id from batch b where b.status = 'committed'
       and b.accepted <> (select count(*) from record r where r.batch_id = b.id)`,
  );
  const orphans = await client.query<{ id: number; status: string; n: number }>(
    `select b.id, b.status, count(*)::int as n from batch_row br join batch b on b.id = br.batch_id
     where b.status <> 'committed' group by b.id, b.status`,
  );
  const statuses = await client.query<{ status: string; n: number }>(
    'select status, count(*)::int as n from batch group by status order by status',
  );
  await client.end();
  await stopServer('SIGTERM');
  const verify = cli('audit', 'verify');
  const grace = 3_000;
  // A request in flight at any moment of an outage may fail with it.
  const outside = fiveHundreds.filter(
    (e) => !outages.some((o) => e.sent <= o.to + grace && e.answered >= o.from - grace),
  );

  console.log('\nrequests by kind and answer:');
  for (const [key, n] of [...counts.entries()].sort()) {
    console.log(`  ${key.padEnd(40)} ${n}`);
  }
  console.log('\noutages:');
  for (const o of outages) {
    console.log(`  ${o.kind}: ${((o.to - o.from) / 1000).toFixed(1)} s`);
  }
  console.log(`\nbatches: ${statuses.rows.map((r) => `${r.n} ${r.status}`).join(', ')}`);
  const invariants: Array<[string, boolean, string]> = [
    [
      'every committed batch complete',
      incomplete.rowCount === 0,
      incomplete.rows.map((r) => r.id).join(', '),
    ],
    ['the soak file committed after each fault', batches.length === 2, `${batches.length} of 2`],
    ['audit verify clean', verify.status === 0, verify.stdout.trim().split('\n').slice(-1)[0] ?? ''],
    [
      'no staged rows of an abandoned batch',
      orphans.rowCount === 0,
      orphans.rows.map((r) => `batch ${r.id} ${r.status}: ${r.n} rows`).join('; '),
    ],
    [
      'no 5xx outside the outages',
      outside.length === 0,
      `${fiveHundreds.length} 5xx in all, ${outside.length} outside; ${outside
        .slice(0, 3)
        .map((e) => `${e.kind} ${e.status} ${e.body}`)
        .join(' | ')}`,
    ],
  ];
  console.log('\ninvariants:');
  for (const [name, ok, detail] of invariants) {
    console.log(`  ${ok ? 'ok    ' : 'FAILED'} ${name}${detail === '' ? '' : ` — ${detail}`}`);
    failed ||= !ok;
  }
} catch (err) {
  failed = true;
  console.error(err);
  console.error(serverLog.slice(-3000));
} finally {
  if (server !== undefined && server.exitCode === null) {
    server.kill('SIGKILL');
  }
  await adminQuery(`drop database if exists ${dbName} with (force)`).catch((err: unknown) =>
    console.error(err),
  );
  await fs.rm(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
