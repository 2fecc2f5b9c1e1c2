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
import { sql, type Transaction } from 'kysely';
import { AuditService } from '../src/modules/audit/index.ts';
import { openDatabase, type Database } from '../src/platform/index.ts';
import type { Schema } from '../src/platform/db/index.ts';
import { machineLine, withBenchDatabase } from './config.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

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

async function benchAudit(url: string): Promise<void> {
  const clients = option('clients', 32);
  const seconds = option('seconds', 10);
  await withBenchDatabase(url, 'xinyong_bench_audit', (db) =>
    runClients(db.url, db.serverVersion, clients, seconds),
  );
}

async function runClients(
  dbUrl: string,
  serverVersion: string,
  clients: number,
  seconds: number,
): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-bench-audit-'));
  let database: Database | undefined;
  try {
    database = await openDatabase({ kind: 'postgresql', url: dbUrl, poolSize: clients });
    const { migrateToLatest } = await import('../src/platform/index.ts');
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

    // Warm-up: connections opened, plans cached.
    await run(clients, 1, (c, n) =>
      db.transaction().execute(async (trx) => {
        await plainInsert(trx, row(c, n));
      }),
    );
    const floor = await run(clients, seconds, (c, n) =>
      db.transaction().execute(async (trx) => {
        await plainInsert(trx, row(c, n));
      }),
    );
    console.log(`floor: plain inserts of the same rows, one per transaction: ${fmt(floor)} tx/s`);

    // Audited: the same transactions write their event through the platform's writer; the
    // sequencer chains them meanwhile. Every 50th event's commit is timed until it is chained.
    // BENCH_NO_SEQUENCER=1: the writers alone, to see what the sequencer costs them.
    const sequencing = process.env.BENCH_NO_SEQUENCER !== '1';
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
    console.log(
      `audited transactions (one event each, chained after commit): ${fmt(audited)} tx/s = ${((audited / floor) * 100).toFixed(1)}% of the floor (target ≥ 80%)`,
    );
    console.log(
      `  chained after commit: p50 ${pct(waits, 50).toFixed(0)} ms, p99 ${pct(waits, 99).toFixed(0)} ms (${fmt(waits.length)} events timed)`,
    );
    const verified = await audit.verify();
    console.log(
      `  chain: ${verified.ok ? `verified, ${fmt(verified.events)} events, contiguous` : `BROKEN at ${verified.seq}`}; waiting: ${(await audit.sequencer.pending()).events}`,
    );
  } finally {
    await database?.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
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

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  console.log(machineLine());
  const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (url === undefined) {
    console.log('skipped: set BENCH_DATABASE_URL=postgres://… (a role that may create databases)');
  } else {
    await benchAudit(url);
  }
}
