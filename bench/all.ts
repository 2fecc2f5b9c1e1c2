/**
 * `npm run bench:all`: every benchmark on PostgreSQL in one process (ingest, public reads, credit
 * checks, the evaluation, reports, audit, the read data's size on disk), then one table of each
 * figure beside the floor it is measured against in the same run, and the results as JSON in
 * bench/results/<date-time>-<host>.json with a description of the machine, to compare runs.
 *
 *   BENCH_DATABASE_URL=postgres://… npm run bench:all [-- --subjects N --records N --seconds S]
 *     [--connections C] [--rows N] [--quick]
 *
 * The read, check and evaluation benches share the read data (default 1,000,000 subjects and
 * 10,000,000 records, built on the first run and kept as xinyong_bench_read_<subjects>_<records>);
 * the evaluation runs last of them, as it adds its records to that database. `--quick` takes small
 * sizes and short runs for a functional check; the options given still override them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchAudit } from './audit.ts';
import { benchCheck } from './check.ts';
import { benchServerUrl, databaseUrl } from './config.ts';
import { benchEvaluate } from './evaluate.ts';
import { benchIngest } from './ingest.ts';
import { describeMachine, loadAverage, loadText, machineSummary, type Machine } from './machine.ts';
import { commandLine, type CommandLine } from './options.ts';
import { benchRead } from './read.ts';
import { readDatabaseName, type ReadBenchOptions } from './read-data.ts';
import { benchReport } from './report.ts';
import { benchSize } from './size.ts';
import { fmt } from './stats.ts';
import { formatTable, resultRows, type Failures, type Results, type Step } from './table.ts';

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

/** Above this 1-minute load average at the start, the figures are likely disturbed. */
const BUSY = 1.0;

interface AllOptions extends ReadBenchOptions {
  quick: boolean;
  /** Rows of the ingested file. */
  rows: number;
  evaluateRuns: number;
  evaluateChanges: number;
  reportRuns: number;
  auditSeconds: number;
}

function allOptions(cli: CommandLine): AllOptions {
  const quick = cli.flag('quick');
  const size = (full: number, small: number) => (quick ? small : full);
  return {
    quick,
    subjects: cli.number('subjects', size(1_000_000, 20_000)),
    records: cli.number('records', size(10_000_000, 200_000)),
    seconds: cli.number('seconds', size(20, 3)),
    connections: cli.number('connections', 32),
    rows: cli.number('rows', size(1_000_000, 20_000)),
    evaluateRuns: size(3, 1),
    evaluateChanges: size(200, 20),
    reportRuns: size(30, 5),
    auditSeconds: size(10, 2),
  };
}

/** Runs every bench in turn; a bench that fails is recorded and the others still run. */
async function runAll(serverUrl: string, o: AllOptions): Promise<{ results: Results; failed: Failures }> {
  const results: Results = {};
  const failed: Failures = {};
  const step = async <K extends Step>(name: K, run: () => Promise<Results[K]>) => {
    console.log(`\n=== ${name} ===`);
    try {
      results[name] = await run();
    } catch (error) {
      failed[name] = error instanceof Error ? error.message : String(error);
      console.error(`${name} failed:`, error);
    }
  };
  const read = { subjects: o.subjects, records: o.records, seconds: o.seconds, connections: o.connections };
  await step('ingest', () => benchIngest({ rows: o.rows, pgliteRows: 0, skipPglite: true }));
  await step('read', () => benchRead(read));
  await step('size', () => benchSize(databaseUrl(serverUrl, readDatabaseName(o.subjects, o.records))));
  await step('check', () => benchCheck(read));
  await step('evaluate', () => benchEvaluate({ ...read, runs: o.evaluateRuns, changes: o.evaluateChanges }));
  await step('report', () => benchReport({ runs: o.reportRuns, records: 200, serverUrl }));
  await step('audit', () =>
    benchAudit({ serverUrl, clients: o.connections, seconds: o.auditSeconds, sequencing: true }),
  );
  return { results, failed };
}

/** The load average at the start (with a warning when the machine is busy) and, once known, at the end. */
function printLoad(start: number[], end?: number[]): void {
  console.log(`load average at start: ${loadText(start)}`);
  if ((start[0] ?? 0) > BUSY) {
    console.log(
      `WARNING: the 1-minute load average at the start is above ${BUSY.toFixed(1)}: the machine is busy and the figures will be noisy`,
    );
  }
  if (end !== undefined) {
    console.log(`load average at end: ${loadText(end)}`);
  }
}

/** bench/results/<ISO 8601 basic date-time>-<host>.json */
async function writeResults(startedAt: Date, machine: Machine, record: object): Promise<string> {
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const host = machine.hostname.replace(/[^A-Za-z0-9.-]/g, '-');
  const file = path.join(RESULTS_DIR, `${stamp}-${host}.json`);
  await fs.mkdir(RESULTS_DIR, { recursive: true });
  await fs.writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  return path.relative(process.cwd(), file);
}

async function main(): Promise<void> {
  const serverUrl = benchServerUrl();
  if (serverUrl === undefined) {
    console.error('bench:all needs BENCH_DATABASE_URL=postgres://… (a role that may create databases)');
    process.exitCode = 2;
    return;
  }
  const options = allOptions(commandLine());
  const startedAt = new Date();
  const loadAtStart = loadAverage();
  const machine = await describeMachine(serverUrl);
  console.log(`machine: ${machineSummary(machine)}`);
  console.log(
    `sizes: ${fmt(options.subjects)} subjects, ${fmt(options.records)} records, ${fmt(options.rows)} rows ingested; ` +
      `${options.seconds} s a load scenario at ${options.connections} connections${options.quick ? ' (--quick)' : ''}`,
  );
  printLoad(loadAtStart);

  const { results, failed } = await runAll(serverUrl, options);
  const loadAtEnd = loadAverage();
  const rows = resultRows(results, failed);
  const file = await writeResults(startedAt, machine, {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { ...machine, loadAverage: { start: loadAtStart, end: loadAtEnd } },
    options,
    results,
    failed,
    table: rows,
  });

  console.log(`\n=== bench:all: ${machineSummary(machine)} ===`);
  printLoad(loadAtStart, loadAtEnd);
  console.log(formatTable(rows));
  console.log(`\nresults: ${file}`);
  if (Object.keys(failed).length > 0) {
    process.exitCode = 1;
  }
}

await main();
