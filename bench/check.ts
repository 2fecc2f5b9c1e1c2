/**
 * Credit checks on PostgreSQL at scale: `POST /api/checks` under autocannon at 32 connections,
 * as a credit officer's system (API token), over the bench:read data (1,000,000 subjects and
 * 10,000,000 records, built on the first run and kept). A quarter of the subjects checked are on
 * the court list (their entries are added once, marked BENCH-), so checks return measures.
 * Prints checks per second, p50 and p99. Every check is audited, as in production.
 *
 *   BENCH_DATABASE_URL=postgres://… npm run bench:check [-- --subjects N --records N --seconds S]
 *
 * The floor is measured in the same run (the health route, one `select 1` a request); the target
 * (issue 14), printed as ratios: ≥ 25% of the floor's req/s, p99 ≤ 4× the floor's p99.
 */
import { sql } from 'kysely';
import { MATTERS } from '../src/modules/disclosure/index.ts';
import { createDataProtector } from '../src/platform/index.ts';
import { machineLine } from './config.ts';
import { load, printLoad, printRatios, type Load, type LoadTargets } from './load.ts';
import { commandLine, isMain } from './options.ts';
import { openReadBench, readBenchOptions, type ReadBenchOptions } from './read-data.ts';
import { fmt } from './stats.ts';

/** Targets against the floor (issue 14). */
export const CHECK_TARGETS = { rps: 0.25, p99: 4 } as const satisfies LoadTargets;

export interface CheckFigures {
  subjects: number;
  records: number;
  /** Of the subjects checked, how many are on the court list. */
  listed: number;
  /** GET /api/health: the HTTP stack and one `select 1`. */
  floor: Load;
  checks: Load;
}

export async function benchCheck(options: ReadBenchOptions): Promise<CheckFigures | undefined> {
  const bench = await openReadBench('bench:check', options);
  if (bench === undefined) {
    return undefined;
  }
  const { data, container } = bench;
  const { seconds, connections } = options;
  const db = container.database.db;
  const listed = data.sample.filter((_, k) => k % 4 === 0).map((s) => s.code);
  const protector = createDataProtector(container.config.dataKeyFile);
  const hashes = listed.map((code) => protector.hash('uscc', code));
  // Court-list entries for a quarter of the sample, once: the court list's memorandum attaches 27 measures.
  await sql`
    insert into record (subject_id, department_code, item_code, catalog_version_id, identity_key, version,
      is_current, payload, payload_digest, decision_date, display_from, display_public)
    select sc.subject_id, 'FZ-SCJG', 'dishonest_judgment_debtor', ci.version_id, 'BENCH-' || sc.subject_id, 1,
      true, '{}', 'bench', current_date - 30, current_date - 30, true
    from subject_code sc
    cross join (select version_id from catalog_item where code = 'dishonest_judgment_debtor') ci
    where sc.kind = 'uscc' and sc.value_hash = any(${hashes}::text[])
      and not exists (select 1 from record r where r.identity_key = 'BENCH-' || sc.subject_id
        and r.item_code = 'dishonest_judgment_debtor')`.execute(db);
  const { token } = await container.auth.createToken(
    { kind: 'system', name: 'bench' },
    { name: `bench-check-${Date.now()}`, role: 'credit_officer', department: 'GL-ZJ' },
  );
  const app = await container.buildHttpServer();
  try {
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    console.log(
      `${fmt(data.subjects)} subjects, ${fmt(data.records)} records, ${fmt(listed.length)} of the ${fmt(data.sample.length)} checked on the court list; autocannon in a child process, ${connections} connections, ${seconds} s`,
    );
    const requests = data.sample.map((s, k) => ({
      path: '/api/checks',
      body: JSON.stringify({
        subjectCode: s.code,
        matter: MATTERS[k % 3],
        purpose: 'bench: qualification review',
      }),
    }));
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    // The floor in the same run: the same server and load, one `select 1` a request.
    const health = [{ path: '/api/health' }];
    await load(url, health, { seconds: 3, connections: 4 }); // warm-up
    const floor = await load(url, health, { seconds, connections });
    printLoad('floor: GET /api/health (HTTP and one select 1)', floor);
    await load(url, requests.slice(0, 50), { seconds: 3, connections: 4, headers }); // warm-up
    const checks = await load(url, requests, { seconds, connections, headers });
    printLoad('credit check (POST /api/checks)', checks);
    printRatios('credit check', checks, floor, CHECK_TARGETS);
    return { subjects: data.subjects, records: data.records, listed: listed.length, floor, checks };
  } finally {
    await app.close();
    await container.close();
  }
}

if (isMain(import.meta.url)) {
  console.log(machineLine());
  await benchCheck(readBenchOptions(commandLine()));
}
