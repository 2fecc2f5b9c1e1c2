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
import os from 'node:os';
import { sql } from 'kysely';
import { itemsRead, modelInForce, shippedModel } from '../src/modules/evaluation/index.ts';
import { EvaluationFollower } from '../src/modules/evaluation/index.ts';
import { machineLine } from './config.ts';
import { fmt } from './load.ts';
import { openReadBench } from './read-data.ts';

const args = process.argv.slice(2);
const option = (key: string, fallback: number) => {
  const i = args.indexOf(`--${key}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

export async function benchEvaluate(): Promise<void> {
  const bench = await openReadBench('bench:evaluate', { records: 3_000_000 });
  if (bench === undefined) {
    return;
  }
  const { data, container } = bench;
  const db = container.database.db;
  try {
    process.stdout.write(machineLine());
    console.log(
      `load average: ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
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
    console.log(
      `data: ${fmt(Number(counts.rows[0]?.subjects))} subjects evaluated, ${fmt(Number(counts.rows[0]?.records))} records the model reads (of ${fmt(data.records)} generated + the evaluation's own)`,
    );
    const runs = option('runs', 3);
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
    const levels = await sql<{ level: string; n: string }>`
      select level, count(*) as n from evaluation where model_id = ${inForce.id} group by level order by level`.execute(
      db,
    );
    console.log(`levels: ${levels.rows.map((r) => `${r.level} ${fmt(Number(r.n))}`).join(', ')}`);
    // The versions this run loaded go again, with their results: the next run starts where this one did.
    await sql`delete from evaluation where model_id > ${inForce.id}`.execute(db);
    await sql`delete from evaluation_run where model_id > ${inForce.id}`.execute(db);
    await sql`delete from evaluation_model where id > ${inForce.id}`.execute(db);
    await sql`vacuum analyze evaluation`.execute(db);
    console.log(
      `full recomputation: median ${fmt(median(full))} ms; floor (GROUP BY subject): median ${fmt(median(floor))} ms; ratio ${(median(full) / median(floor)).toFixed(2)}× (target ≤ 3×)`,
    );

    // Incremental: one subject's record changes, the follower reads the feed and recomputes it.
    const follower = new EvaluationFollower(db, container.evaluation, () =>
      new Date().toISOString().slice(0, 10),
    );
    await follower.catchUp(600_000);
    const changes = option('changes', 200);
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
    console.log(
      `incremental (${latency.length} changes, one subject each): commit to result written p50 ${median(latency).toFixed(1)} ms, p99 ${quantile(latency, 0.99).toFixed(1)} ms, plus up to the follower's 500 ms poll`,
    );
    await follower.stop();
  } finally {
    await container.close();
  }
}

/** Registration for every subject; lists, commitments, red lists for some; some penalties repaired or objected. Once. */
async function addEvaluationRecords(db: Parameters<typeof modelInForce>[0]): Promise<void> {
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

await benchEvaluate();
