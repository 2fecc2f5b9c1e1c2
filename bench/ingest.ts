/**
 * End-to-end ingest of generated penalty files: parse, validate, stage, commit, as
 * `xinyong ingest` does it, on PostgreSQL (1,000,000 rows) and on the embedded PGlite (100,000
 * rows). In the same run, PostgreSQL's COPY of the same file into a bare table is timed as the
 * floor. Prints rows per second, the ratio to COPY, and memory (peak and along the way).
 *
 *   npm run bench:ingest [-- --rows 1000000] [--pglite-rows 100000] [--skip-pglite] [--provincial]
 *
 * --provincial: the database is a provincial node's, every record also journalled for the nation.
 *
 * PostgreSQL: BENCH_DATABASE_URL (else DATABASE_URL) names a server and a role that may create
 * databases; the bench creates its own database (UTF-8, C.UTF-8) and drops it. Target (issue 14),
 * printed as a ratio: end to end ≥ 50% of the record-write floor measured in the same run; memory flat.
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createContainer } from '../src/container.ts';
import { writePenaltyCsv } from '../src/demo/index.ts';
import type { Config } from '../src/platform/index.ts';
import { benchConfig, benchServerUrl, machineLine, withBenchDatabase } from './config.ts';
import { commandLine, isMain } from './options.ts';
import { fmt } from './stats.ts';

const MiB = 1024 * 1024;

/** End to end ≥ this share of the record-write floor's rows per second. */
export const INGEST_TARGET = 0.5;

export interface IngestOptions {
  rows: number;
  pgliteRows: number;
  skipPglite: boolean;
  /** As a provincial node: every record also journalled for the nation. */
  journal?: boolean;
}

/** One ingest end to end: rows per second and the peak resident memory. */
export interface IngestRun {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMiB: number;
}

export interface PostgresIngest extends IngestRun {
  serverVersion: string;
  /** PostgreSQL's COPY of the same file into a bare table, rows per second. */
  copyRowsPerSecond: number;
  /** The committed records written again by one INSERT … SELECT, rows per second: the floor. */
  recordWriteFloor: number;
  /** The same without the foreign-key checks. */
  recordWriteWithoutForeignKeys: number;
  /** End to end / the record-write floor. */
  ratio: number;
}

export interface IngestFigures {
  postgresql?: PostgresIngest;
  pglite?: IngestRun;
}

/** Ingests `file` through the container, sampling memory; returns seconds and the summary. */
async function ingest(config: Config, file: string, journal = false) {
  const container = await createContainer(config);
  try {
    if (journal) {
      // As a provincial node writes: every record journalled for the nation (federation_share). Only
      // the journal's write is measured; the publication, which needs wal_level = logical, sends it.
      await sql`update federation_node set role = 'provincial', node = '350000'`.execute(
        container.database.db,
      );
    }
    const clerk = await container.auth.departmentSystem('FZ-SCJG', 'data_clerk', 'bench');
    if (clerk === undefined) {
      throw new Error('the demo department FZ-SCJG is missing');
    }
    let peak = process.memoryUsage().rss;
    const marks: string[] = [];
    let nextMark = 0.25;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 200);
    const started = performance.now();
    let stagedAt = started;
    const summary = await container.ingest.ingestFile(clerk, {
      department: 'FZ-SCJG',
      item: 'admin_penalty',
      file,
      fileName: path.basename(file),
      onProgress: (p) => {
        stagedAt = performance.now();
        if (p.fraction !== null && p.fraction >= nextMark) {
          marks.push(`${Math.round(nextMark * 100)}%: ${fmt(process.memoryUsage().rss / MiB)} MiB`);
          nextMark += 0.25;
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    return { summary, seconds, stageSeconds: (stagedAt - started) / 1000, peak, marks };
  } finally {
    await container.close();
  }
}

function report(label: string, rows: number, r: Awaited<ReturnType<typeof ingest>>): IngestRun {
  const s = r.summary;
  console.log(
    `${label}: ${fmt(rows)} rows in ${r.seconds.toFixed(1)} s = ${fmt(rows / r.seconds)} rows/s end to end`,
  );
  console.log(
    `  read, validate and stage ${r.stageSeconds.toFixed(1)} s; commit ${(r.seconds - r.stageSeconds).toFixed(1)} s`,
  );
  console.log(
    `  batch ${s.status}: accepted ${fmt(s.accepted)}, rejected ${fmt(s.rejected)}, duplicates ${fmt(s.duplicates)}, review ${fmt(s.review)}`,
  );
  console.log(`  memory: peak RSS ${fmt(r.peak / MiB)} MiB; along the file ${r.marks.join(', ')}`);
  return { rows, seconds: r.seconds, rowsPerSecond: rows / r.seconds, peakRssMiB: r.peak / MiB };
}

async function postgres(
  url: string,
  rows: number,
  file: string,
  dir: string,
  journal: boolean,
): Promise<PostgresIngest> {
  return withBenchDatabase(url, 'xinyong_bench', async ({ url: dbUrl, serverVersion }) => {
    console.log(
      `PostgreSQL ${serverVersion}${journal ? ', as a provincial node (every record journalled)' : ''}`,
    );
    const r = await ingest(benchConfig({ kind: 'postgresql', url: dbUrl, poolSize: 4 }, dir), file, journal);
    const run = report('PostgreSQL ingest', rows, r);
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    try {
      const copyRowsPerSecond = await copyFloor(client, file, rows);
      console.log(`  end to end / COPY: ${((run.rowsPerSecond / copyRowsPerSecond) * 100).toFixed(1)}%`);
      const floor = await recordWriteFloor(client, r.summary.batchId);
      const ratio = run.rowsPerSecond / floor.withForeignKeys;
      console.log(
        `end to end / record-write floor: ${(ratio * 100).toFixed(1)}% (target ≥ ${INGEST_TARGET * 100}%: ${ratio >= INGEST_TARGET ? 'met' : 'NOT met'})`,
      );
      return {
        ...run,
        serverVersion,
        copyRowsPerSecond,
        recordWriteFloor: floor.withForeignKeys,
        recordWriteWithoutForeignKeys: floor.withoutForeignKeys,
        ratio,
      };
    } finally {
      await client.end();
    }
  });
}

/** COPY of the same file into a bare table of text columns; rows per second. */
async function copyFloor(client: pg.Client, file: string, rows: number): Promise<number> {
  const header = (await fs.readFile(file, 'utf8').then((t) => t.slice(0, t.indexOf('\n')))).split(',');
  await client.query(`create table bare (${header.map((_, i) => `c${i} text`).join(', ')})`);
  const started = performance.now();
  await pipeline(
    createReadStream(file),
    client.query(copyFrom(`copy bare from stdin with (format csv, header true)`)),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(`PostgreSQL COPY into a bare table: ${fmt(rows / seconds)} rows/s (${seconds.toFixed(1)} s)`);
  return rows / seconds;
}

/**
 * The floor of any design that writes these records: the committed records written once more
 * into the record table, with its indexes and foreign keys (DESIGN.md: invariants as
 * constraints), in one INSERT … SELECT that is rolled back. Then the same without the foreign-key
 * checks, to show what they cost. Nothing is parsed, validated or resolved here.
 */
async function recordWriteFloor(
  client: pg.Client,
  batchId: number,
): Promise<{ withForeignKeys: number; withoutForeignKeys: number }> {
  const columns = `subject_id, department_code, item_code, catalog_version_id, version, previous_id, is_current,
    payload, payload_digest, decision_date, tier, tier_source, display_from, shortest_until, longest_until,
    display_public, batch_id, row_no, status, status_reason, working_days, late`;
  const write = async (label: string, before?: string) => {
    await client.query('begin');
    try {
      if (before !== undefined) {
        await client.query(before);
      }
      const started = performance.now();
      const done = await client.query(
        `insert into record (identity_key, ${columns}) select identity_key || '#floor', ${columns}
         from record where batch_id = $1`,
        [batchId],
      );
      const seconds = (performance.now() - started) / 1000;
      const n = done.rowCount ?? 0;
      console.log(`  ${label}: ${fmt(n)} records in ${seconds.toFixed(1)} s = ${fmt(n / seconds)} rows/s`);
      return n / seconds;
    } finally {
      await client.query('rollback');
    }
  };
  const size = await client.query<{ bytes: string }>(
    'select round(avg(pg_column_size(r.*))) as bytes from record r where batch_id = $1',
    [batchId],
  );
  console.log(
    `PostgreSQL INSERT … SELECT of the committed records into record (${size.rows[0]?.bytes ?? '?'} bytes a row), rolled back:`,
  );
  const withForeignKeys = await write('with its indexes and foreign keys');
  const fks = await client.query<{ conname: string }>(
    `select conname from pg_constraint where conrelid = 'record'::regclass and contype = 'f'`,
  );
  const withoutForeignKeys = await write(
    'without foreign-key checks',
    `alter table record ${fks.rows.map((c) => `drop constraint ${c.conname}`).join(', ')}`,
  );
  return { withForeignKeys, withoutForeignKeys };
}

export async function benchIngest({
  rows,
  pgliteRows,
  skipPglite,
  journal,
}: IngestOptions): Promise<IngestFigures> {
  const figures: IngestFigures = {};
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-bench-ingest-'));
  try {
    const file = path.join(dir, 'penalties.csv');
    const started = performance.now();
    await writePenaltyCsv(file, { rows, seed: 7 });
    const { size } = await fs.stat(file);
    console.log(
      `generated ${fmt(rows)} penalty rows (${fmt(size / MiB)} MiB, 2% bad, 1% repeated) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const url = benchServerUrl();
    if (url === undefined) {
      console.log(
        'PostgreSQL: skipped; set BENCH_DATABASE_URL=postgres://… (a role that may create databases)',
      );
    } else {
      figures.postgresql = await postgres(url, rows, file, dir, journal === true);
    }
    if (!skipPglite) {
      const small = path.join(dir, 'penalties-small.csv');
      await writePenaltyCsv(small, { rows: pgliteRows, seed: 7 });
      const r = await ingest(benchConfig({ kind: 'pglite', dataDir: path.join(dir, 'pglite') }, dir), small);
      figures.pglite = report('PGlite ingest', pgliteRows, r);
    }
    return figures;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  console.log(machineLine());
  const cli = commandLine();
  await benchIngest({
    rows: cli.number('rows', 1_000_000),
    pgliteRows: cli.number('pglite-rows', 100_000),
    skipPglite: cli.flag('skip-pglite'),
    journal: cli.flag('provincial'),
  });
}
