/**
 * Public credit evaluation on PostgreSQL at scale (issue 18): 1,000,000 subjects and their records
 * (3,000,000 penalties and licences from the bench:read generator, plus a registration record for
 * every subject and list entries, commitments and red-list entries for some, some penalties
 * repaired or under objection; built on the first run and kept).
 *
 *   BENCH_DATABASE_URL=postgres://… npm run bench:evaluate [-- --subjects N --records N --runs R --changes C]
 *
 * Prints, in the same run:
 * - the floor: one `GROUP BY subject` aggregate over the records the model reads (counted on the
 *   server, nothing sent to the client);
 * - the full recomputation a model change makes: a new version of the model (the same indicators)
 *   computed for every subject (read, compute, insert every result, count the level changes against
 *   the version in force), and its ratio to the floor (target ≤ 3×);
 * - the incremental latency per changed subject: a record's status changed and committed, then the
 *   change followed from the feed until the subject's result is written (p50, p99); the follower
 *   reads the feed every 500 ms, which a change waits for on top.
 */
import { sql } from 'kysely';
import type { Container } from '../src/container.ts';
import { itemsRead, modelInForce, shippedModel } from '../src/modules/evaluation/index.ts';
import { EvaluationFollower } from '../src/modules/evaluation/index.ts';
import { loadLine, machineLine } from './config.ts';
import { commandLine, isMain } from './options.ts';
import { openReadBench, readBenchOptions, type ReadBenchOptions } from './read-data.ts';
import { fmt, percentile, timing, type Timing } from './stats.ts';

type Db = Container['database']['db'];

/** The full recomputation within this multiple of the floor (issue 18). */
export const EVALUATE_TARGET = 3;

export interface EvaluateOptions extends ReadBenchOptions {
  /** Full recomputations, each with its floor beside it. */
  runs: number;
  /** Records changed one after the other, for the incremental latency. */
  changes: number;
}

export interface EvaluateFigures {
  subjects: number;
  /** The records the model reads. */
  recordsRead: number;
  /** Medians over the runs: the GROUP BY floor and the full recomputation, and their ratio. */
  floorMs: number;
  fullMs: number;
  ratio: number;
  /** From a record's change committed to its subject's result written. */
  incremental: Timing & { changes: number };
}

export async function benchEvaluate(options: EvaluateOptions): Promise<EvaluateFigures | undefined> {
  const bench = await openReadBench('bench:evaluate', options);
  if (bench === undefined) {
    return undefined;
  }
  const { data, container } = bench;
  const db = container.database.db;
  try {
    console.log(loadLine());
    await addEvaluationRecords(db);
    const inForce = await modelInForce(db);
    if (inForce === undefined) {
      throw new Error('no model in force');
    }
    const model = await container.evaluation.model(inForce.id);
    const items = itemsRead(model);
    const counts = await sql<{ records: string; subjects: string }>`
      select (select count(*) from record r where r.is_current and r.item_code = any(${items}::text[])) as records,
        (select count(*) from subject where kind = any(${model.subjectKinds}::text[])) as subjects`.execute(
      db,
    );
    const subjects = Number(counts.rows[0]?.subjects);
    const recordsRead = Number(counts.rows[0]?.records);
    console.log(
      `data: ${fmt(subjects)} subjects evaluated, ${fmt(recordsRead)} records the model reads (of ${fmt(data.records)} generated + the evaluation's own)`,
    );
    const { floor, full } = await fullRecomputations(container, items, options.runs);
    await printLevels(db, inForce.id);
    await dropLoadedVersions(db, inForce.id);
    const ratio = percentile(full, 50) / percentile(floor, 50);
    console.log(
      `full recomputation: median ${fmt(percentile(full, 50))} ms; floor (GROUP BY subject): median ${fmt(percentile(floor, 50))} ms; ratio ${ratio.toFixed(2)}× (target ≤ ${EVALUATE_TARGET}×)`,
    );
    const incremental = await incrementalLatency(container, options.changes);
    return {
      subjects,
      recordsRead,
      floorMs: percentile(floor, 50),
      fullMs: percentile(full, 50),
      ratio,
      incremental,
    };
  } finally {
    await container.close();
  }
}

/** `runs` times: the GROUP BY floor, then a model change's full recomputation; milliseconds each. */
async function fullRecomputations(
  container: Container,
  items: string[],
  runs: number,
): Promise<{ floor: number[]; full: number[] }> {
  const db = container.database.db;
  const floor: number[] = [];
  const full: number[] = [];
  for (let k = 0; k < runs; k += 1) {
    let t = performance.now();
    const g = await sql<{ subjects: string; records: string }>`
      select count(*) as subjects, sum(n) as records from (
        select r.subject_id, count(*) as n from record r
        where r.is_current and r.status in ('active', 'under_objection', 'repaired') and r.item_code = any(${items}::text[])
        group by r.subject_id) g`.execute(db);
    floor.push(performance.now() - t);
    // A model change: the same indicators as a new version, computed for every subject (inserts)
    // and compared with the version in force (the level changes), then brought into force.
    const file = structuredClone(shippedModel()) as { model: { version: number } };
    file.model.version = Math.max(...(await container.evaluation.models()).map((m) => m.version)) + 1;
    t = performance.now();
    const loaded = await container.evaluation.load(file, { label: 'system:bench' });
    const run = loaded.run ?? 0;
    await container.evaluation.settled(run);
    full.push(performance.now() - t);
    const summary = await container.evaluation.run(run);
    if (summary.status !== 'done') {
      throw new Error(`run ${run} ${summary.status}: ${summary.error ?? ''}`);
    }
    console.log(
      `run ${k + 1}: floor ${fmt(floor[k] ?? 0)} ms (${fmt(Number(g.rows[0]?.subjects))} subjects with records), full recomputation ${fmt(full[k] ?? 0)} ms (${fmt(summary.done)} results; ${summary.levelsUp} up, ${summary.levelsDown} down)`,
    );
  }
  return { floor, full };
}

async function printLevels(db: Db, modelId: number): Promise<void> {
  const levels = await sql<{ level: string; n: string }>`
    select level, count(*) as n from evaluation where model_id = ${modelId} group by level order by level`.execute(
    db,
  );
  console.log(`levels: ${levels.rows.map((r) => `${r.level} ${fmt(Number(r.n))}`).join(', ')}`);
}

/** The versions this run loaded go again, with their results: the next run starts where this one did. */
async function dropLoadedVersions(db: Db, inForce: number): Promise<void> {
  await sql`delete from evaluation where model_id > ${inForce}`.execute(db);
  await sql`delete from evaluation_run where model_id > ${inForce}`.execute(db);
  await sql`delete from evaluation_model where id > ${inForce}`.execute(db);
  await sql`vacuum analyze evaluation`.execute(db);
}

/** Incremental: one subject's record changes, the follower reads the feed and recomputes it. */
async function incrementalLatency(
  container: Container,
  changes: number,
): Promise<EvaluateFigures['incremental']> {
  const db = container.database.db;
  const follower = new EvaluationFollower(db, container.evaluation, () =>
    new Date().toISOString().slice(0, 10),
  );
  await follower.catchUp(600_000);
  const picked = await sql<{ id: string }>`
    select id from record where is_current and item_code = 'admin_penalty' and status = 'active'
    order by (id * 2654435761) % 1000003 limit ${changes}`.execute(db);
  const latency: number[] = [];
  for (const row of picked.rows) {
    const t = performance.now();
    await sql`update record set status = 'under_objection' where id = ${row.id}`.execute(db);
    await follower.catchUp();
    latency.push(performance.now() - t);
    await sql`update record set status = 'active' where id = ${row.id}`.execute(db);
    await follower.catchUp();
  }
  const figures = { changes: latency.length, ...timing(latency) };
  console.log(
    `incremental (${figures.changes} changes, one subject each): commit to result written p50 ${figures.p50Ms.toFixed(1)} ms, p99 ${figures.p99Ms.toFixed(1)} ms, plus up to the follower's 500 ms poll`,
  );
  await follower.stop();
  return figures;
}

/** Registration for every subject; lists, commitments, red lists for some; some penalties repaired or objected. Once. */
async function addEvaluationRecords(db: Db): Promise<void> {
  const ready = await sql<{
    ok: boolean;
  }>`select to_regclass('bench_evaluation_ready') is not null as ok`.execute(db);
  if (ready.rows[0]?.ok === true) {
    return;
  }
  const started = performance.now();
  await sql`alter table record disable trigger user`.execute(db);
  const version = sql`(select max(id) from catalog_version)`;
  await sql`
    insert into record (subject_id, department_code, item_code, catalog_version_id, identity_key, version, is_current,
      payload, payload_digest, decision_date, display_from, display_public, status)
    select s.id, 'FZ-SCJG', 'registration', ${version}, 'BE-REG-' || s.id, 1, true, '{}', 'bench',
      date '2026-11-15' - ((s.id * 7919) % 5000)::int, date '2026-11-15' - ((s.id * 7919) % 5000)::int, true, 'active'
    from subject s`.execute(db);
  for (const [item, mod, rest, months] of [
    ['red_list', 100, 7, 24],
    ['serious_dishonesty_list', 200, 3, 36],
    ['abnormal_operation', 50, 11, null],
    ['credit_commitment', 33, 5, null],
    ['breached_commitment', 200, 17, 12],
  ] as const) {
    await sql`
      insert into record (subject_id, department_code, item_code, catalog_version_id, identity_key, version, is_current,
        payload, payload_digest, decision_date, display_from, longest_until, tier, display_public, status)
      select s.id, 'FZ-SCJG', ${item}, ${version}, ${`BE-${item}-`} || s.id, 1, true, '{}', 'bench',
        date '2026-11-15' - ((s.id * 104729) % 1000)::int, date '2026-11-15' - ((s.id * 104729) % 1000)::int,
        case when ${months}::int is null then null else date '2026-11-15' - ((s.id * 104729) % 1000)::int + make_interval(months => ${months}::int) end,
        case when ${item} in ('serious_dishonesty_list') then 'serious' when ${item} = 'breached_commitment' then 'general' end,
        true, 'active'
      from subject s where s.id % ${mod} = ${rest}`.execute(db);
  }
  await sql`update record set status = 'repaired', repair_outcome = 'end_disclosure' where item_code = 'admin_penalty' and id % 50 = 1`.execute(
    db,
  );
  await sql`update record set status = 'under_objection' where item_code = 'admin_penalty' and id % 100 = 2`.execute(
    db,
  );
  await sql`alter table record enable trigger user`.execute(db);
  await sql`analyze record`.execute(db);
  await sql`create table bench_evaluation_ready (built_at timestamptz default now())`.execute(db);
  console.log(
    `data: the evaluation's records added in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}

if (isMain(import.meta.url)) {
  process.stdout.write(machineLine());
  const cli = commandLine();
  await benchEvaluate({
    ...readBenchOptions(cli, { records: 3_000_000 }),
    runs: cli.number('runs', 3),
    changes: cli.number('changes', 200),
  });
}
