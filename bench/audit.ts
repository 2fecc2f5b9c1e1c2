/**
 * Audited actions under concurrency, on PostgreSQL: `--clients` clients (default 32), each
 * running transactions that append one audit event, for `--seconds` each. The floor, in the
 * same run on the same database: the same clients inserting the same rows into a plain table
 * of the inbox's shape. The sequencer runs as on a server (every XINYONG_AUDIT_SEAL_MS, default
 * 100 ms); the bench reports how long a committed event waited to be chained (p50, p99), and
 * verifies the chain at the end.
 *
 *   BENCH_DATABASE_URL=postgres://… npm run bench:audit [-- --clients 32 --seconds 10]
 *   (BENCH_NO_SEQUENCER=1: the writers alone, to see what chaining costs them)
 *
 * Target: audited transactions ≥ 80% of the plain inserts' rate.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely, type Transaction } from 'kysely';
import { AuditService } from '../src/modules/audit/index.ts';
import { migrateToLatest, openDatabase, type Database } from '../src/platform/index.ts';
import type { Schema } from '../src/platform/db/index.ts';
import { benchServerUrl, machineLine, withBenchDatabase } from './config.ts';
import { commandLine, isMain } from './options.ts';
import { fmt, timing, type Timing } from './stats.ts';

/** Audited transactions ≥ this share of the plain inserts' rate. */
export const AUDIT_TARGET = 0.8;

export interface AuditOptions {
  /** The PostgreSQL server to make the bench's database on. */
  serverUrl: string;
  clients: number;
  seconds: number;
  /** Whether the sequencer chains meanwhile (BENCH_NO_SEQUENCER=1: the writers alone). */
  sequencing: boolean;
}

export interface AuditFigures {
  serverVersion: string;
  clients: number;
  seconds: number;
  /** Plain inserts of the same rows, one per transaction: the floor. */
  floorTxPerSecond: number;
  auditedTxPerSecond: number;
  /** Audited / floor. */
  ratio: number;
  /** How long a committed event waited to be chained. */
  chained: Timing & { events: number };
  verified: boolean;
}

/** Runs `clients` loops of `work` for `seconds`; returns transactions per second. */
async function run(clients: number, seconds: number, work: (client: number, n: number) => Promise<void>) {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let n = 0; performance.now() < until; n += 1) {
        await work(client, n);
        done += 1;
      }
    }),
  );
  return done / seconds;
}

const event = (client: number, n: number) => ({
  actor: { label: `token:${client}`, role: 'credit_officer', department: 'GL-ZJ' },
  action: 'credit.check',
  target: { kind: 'check', id: `${client}-${n}` },
  details: { matter: 'procurement', subject: 1000 + n, measures: 3 },
});

export async function benchAudit(options: AuditOptions): Promise<AuditFigures> {
  return withBenchDatabase(options.serverUrl, 'xinyong_bench_audit', (db) =>
    runClients(db.url, db.serverVersion, options),
  );
}

async function runClients(
  dbUrl: string,
  serverVersion: string,
  { clients, seconds, sequencing }: AuditOptions,
): Promise<AuditFigures> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-bench-audit-'));
  let database: Database | undefined;
  try {
    database = await openDatabase({ kind: 'postgresql', url: dbUrl, poolSize: clients });
    await migrateToLatest(database.db);
    const db = database.db;
    await sql`create table plain_event (like audit_inbox including defaults including identity)`.execute(db);
    const audit = new AuditService(db, {
      keyFile: path.join(dir, 'key.pem'),
      checkpointFile: path.join(dir, 'checkpoints.jsonl'),
      retentionDays: 1825,
      seal: { delayMs: Number(process.env.XINYONG_AUDIT_SEAL_MS ?? 100), afterWrites: false },
    });
    console.log(`PostgreSQL ${serverVersion}; ${clients} clients, ${seconds} s each`);
    const floor = await plainRate(db, clients, seconds);
    console.log(`floor: plain inserts of the same rows, one per transaction: ${fmt(floor)} tx/s`);
    const { audited, waits } = await auditedRate(db, audit, clients, seconds, sequencing);
    console.log(
      `audited transactions (one event each, chained after commit): ${fmt(audited)} tx/s = ${((audited / floor) * 100).toFixed(1)}% of the floor (target ≥ ${AUDIT_TARGET * 100}%)`,
    );
    const chained = { events: waits.length, ...timing(waits) };
    console.log(
      `  chained after commit: p50 ${chained.p50Ms.toFixed(0)} ms, p99 ${chained.p99Ms.toFixed(0)} ms (${fmt(chained.events)} events timed)`,
    );
    const verified = await audit.verify();
    console.log(
      `  chain: ${verified.ok ? `verified, ${fmt(verified.events)} events, contiguous` : `BROKEN at ${verified.seq}`}; waiting: ${(await audit.sequencer.pending()).events}`,
    );
    return {
      serverVersion,
      clients,
      seconds,
      floorTxPerSecond: floor,
      auditedTxPerSecond: audited,
      ratio: audited / floor,
      chained,
      verified: verified.ok,
    };
  } finally {
    await database?.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The floor: plain inserts of the same rows, one per transaction, after a second's warm-up; tx/s. */
async function plainRate(db: Kysely<Schema>, clients: number, seconds: number): Promise<number> {
  const insert = (c: number, n: number) =>
    db.transaction().execute(async (trx) => {
      await plainInsert(trx, row(c, n));
    });
  await run(clients, 1, insert); // warm-up: connections opened, plans cached
  return run(clients, seconds, insert);
}

/**
 * Audited: the same transactions write their event through the platform's writer; the sequencer
 * chains them meanwhile. Every 50th event's commit is timed until it is chained (`waits`, ms).
 */
async function auditedRate(
  db: Kysely<Schema>,
  audit: AuditService,
  clients: number,
  seconds: number,
  sequencing: boolean,
): Promise<{ audited: number; waits: number[] }> {
  if (sequencing) {
    audit.sequencer.start();
  }
  const committed = new Map<number, number>();
  const waits: number[] = [];
  let watching = true;
  const watcher = (async () => {
    while (watching || committed.size > 0) {
      const r = await sql<{ id: number | null }>`select max(inbox_id) as id from audit_event`.execute(db);
      const through = Number(r.rows[0]?.id ?? 0);
      const now = performance.now();
      for (const [id, at] of committed) {
        if (id <= through) {
          waits.push(now - at);
          committed.delete(id);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const audited = await run(clients, seconds, async (c, n) => {
    const { id } = await db.transaction().execute((trx) => audit.append(trx, event(c, n)));
    if (sequencing && n % 50 === 0) {
      committed.set(id, performance.now());
    }
  });
  watching = false;
  await watcher;
  await audit.sequencer.stop();
  return { audited, waits };
}

/** The floor's write: the event's row into a table with no trigger, lock or chain. */
async function plainInsert(trx: Transaction<Schema>, r: ReturnType<typeof row>): Promise<void> {
  await sql`insert into plain_event (occurred_at, actor, actor_role, actor_department, action, target_kind, target_id, details)
    values (${r.occurred_at}, ${r.actor}, ${r.actor_role}, ${r.actor_department}, ${r.action}, ${r.target_kind}, ${r.target_id}, ${r.details})`.execute(
    trx,
  );
}

function row(client: number, n: number) {
  const e = event(client, n);
  return {
    occurred_at: new Date().toISOString(),
    actor: e.actor.label,
    actor_role: e.actor.role,
    actor_department: e.actor.department,
    action: e.action,
    target_kind: e.target.kind,
    target_id: e.target.id,
    details: JSON.stringify(e.details),
  };
}

if (isMain(import.meta.url)) {
  console.log(machineLine());
  const serverUrl = benchServerUrl();
  const cli = commandLine();
  if (serverUrl === undefined) {
    console.log('skipped: set BENCH_DATABASE_URL=postgres://… (a role that may create databases)');
  } else {
    await benchAudit({
      serverUrl,
      clients: cli.number('clients', 32),
      seconds: cli.number('seconds', 10),
      sequencing: process.env.BENCH_NO_SEQUENCER !== '1',
    });
  }
}
