/**
 * The table `bench:all` ends with: a row for each figure, beside the floor it is measured against
 * in the same run, their ratio, the target the bench states and whether it is met.
 */
import { AUDIT_TARGET, type AuditFigures } from './audit.ts';
import { CHECK_TARGETS, type CheckFigures } from './check.ts';
import { EVALUATE_TARGET, type EvaluateFigures } from './evaluate.ts';
import { INGEST_TARGET, type IngestFigures, type PostgresIngest } from './ingest.ts';
import { ratios, type Load, type LoadTargets } from './load.ts';
import { READ_TARGETS, type ReadFigures } from './read.ts';
import { REPORT_TARGET, type ReportFigures } from './report.ts';
import { tableSize, type SizeFigures } from './size.ts';
import { bytes, fmt, ms } from './stats.ts';

/** What each bench returned, by the name of its step; absent when it did not run or failed. */
export interface Results {
  ingest?: IngestFigures;
  read?: ReadFigures;
  size?: SizeFigures;
  check?: CheckFigures;
  evaluate?: EvaluateFigures;
  report?: ReportFigures;
  audit?: AuditFigures;
}

export type Step = keyof Results;

/** Why a step failed, by its name. */
export type Failures = Partial<Record<Step, string>>;

export interface Row {
  name: string;
  figures: string;
  floor: string;
  ratio: string;
  target: string;
  verdict: string;
}

const NONE = '—';
const percent = (r: number) => `${(r * 100).toFixed(0)}%`;
const times = (r: number) => `${r.toFixed(2)}×`;

const row = (name: string, figures: string, rest: Partial<Row> = {}): Row => ({
  name,
  figures,
  floor: NONE,
  ratio: NONE,
  target: NONE,
  verdict: NONE,
  ...rest,
});

/** "met", or which of the checks are not. */
function verdict(checks: Array<[label: string, ok: boolean]>): string {
  const missed = checks.filter(([, ok]) => !ok).map(([label]) => label);
  return missed.length === 0 ? 'met' : `NOT met (${missed.join(', ')})`;
}

function ingestRows(f: PostgresIngest): Row[] {
  return [
    row('ingest, end to end', `${fmt(f.rowsPerSecond)} rows/s (${fmt(f.rows)} rows)`, {
      floor: `record write ${fmt(f.recordWriteFloor)} rows/s; COPY ${fmt(f.copyRowsPerSecond)} rows/s`,
      ratio: `${percent(f.ratio)}; COPY ${percent(f.rowsPerSecond / f.copyRowsPerSecond)}`,
      target: `≥ ${percent(INGEST_TARGET)}`,
      verdict: verdict([['rows/s', f.ratio >= INGEST_TARGET]]),
    }),
  ];
}

const loadFigures = (r: Load) => `p50 ${r.p50} ms, p99 ${r.p99} ms, ${fmt(r.rps)} req/s`;

/** A scenario under load beside the floor (GET /api/health) under the same load. */
function loadRow(name: string, r: Load, floor: Load, targets: LoadTargets): Row {
  const q = ratios(r, floor);
  const targeted: Array<[label: string, ok: boolean, target: string]> = [
    ['req/s', q.rps >= targets.rps, `≥ ${percent(targets.rps)} req/s`],
  ];
  if (targets.p99 !== undefined) {
    targeted.push(['p99', q.p99 <= targets.p99, `p99 ≤ ${targets.p99}×`]);
  }
  return row(name, loadFigures(r), {
    floor: `health: ${loadFigures(floor)}`,
    ratio: `${percent(q.rps)} req/s, p99 ${times(q.p99)}`,
    target: targeted.map(([, , target]) => target).join(', '),
    verdict: verdict(targeted.map(([label, ok]) => [label, ok])),
  });
}

const readRows = (f: ReadFigures): Row[] => [
  row(
    'name index (in memory)',
    `${fmt(f.nameIndex.keptMiB)} MiB for ${fmt(f.nameIndex.subjects)} subjects (${fmt((f.nameIndex.keptMiB / Math.max(1, f.nameIndex.subjects)) * 1_000_000)} MiB per million), built in ${(f.nameIndex.buildMs / 1000).toFixed(1)} s`,
  ),
  loadRow('public name search', f.search, f.floor, READ_TARGETS.search),
  loadRow('public file by code', f.fileByCode, f.floor, READ_TARGETS.fileByCode),
];

const checkRows = (f: CheckFigures): Row[] => [loadRow('credit check', f.checks, f.floor, CHECK_TARGETS)];

const reportRows = (f: ReportFigures): Row[] => [
  row('report, PDF', `median ${ms(f.pdf.p50Ms)}, p99 ${ms(f.pdf.p99Ms)} (${f.pdfPages} pages)`, {
    floor: `JSON median ${ms(f.json.p50Ms)}, p99 ${ms(f.json.p99Ms)}`,
    ratio: times(f.ratio),
    target: `≤ ${REPORT_TARGET}×`,
    verdict: verdict([['median', f.ratio <= REPORT_TARGET]]),
  }),
];

const evaluateRows = (f: EvaluateFigures): Row[] => [
  row('evaluation, full recomputation', `median ${fmt(f.fullMs)} ms (${fmt(f.subjects)} subjects)`, {
    floor: `GROUP BY subject ${fmt(f.floorMs)} ms`,
    ratio: times(f.ratio),
    target: `≤ ${EVALUATE_TARGET}×`,
    verdict: verdict([['ms', f.ratio <= EVALUATE_TARGET]]),
  }),
  row(
    'evaluation, incremental',
    `p50 ${ms(f.incremental.p50Ms)}, p99 ${ms(f.incremental.p99Ms)} (${f.incremental.changes} changes)`,
  ),
];

const auditRows = (f: AuditFigures): Row[] => [
  row(
    'audited transactions',
    `${fmt(f.auditedTxPerSecond)} tx/s; chained p50 ${ms(f.chained.p50Ms)}, p99 ${ms(f.chained.p99Ms)}`,
    {
      floor: `plain inserts ${fmt(f.floorTxPerSecond)} tx/s`,
      ratio: percent(f.ratio),
      target: `≥ ${percent(AUDIT_TARGET)}, chain verifies`,
      verdict: verdict([
        ['tx/s', f.ratio >= AUDIT_TARGET],
        ['chain', f.verified],
      ]),
    },
  ),
];

const sizeRows = (f: SizeFigures): Row[] => [
  row('database size per million records', `${bytes(f.bytesPerMillionRecords)} (${fmt(f.records)} records)`),
  row(
    'database size per million subjects',
    `${bytes(f.bytesPerMillionSubjects)} (${fmt(f.subjects)} subjects)`,
  ),
  row('database size, total', `${bytes(f.totalBytes)} (${f.database})`),
  row('record table + indexes', tableSize(f.record)),
  row('subject table + indexes', tableSize(f.subject)),
];

/** A step's rows, or one saying it failed or did not run. */
function section<T>(
  label: string,
  figures: T | undefined,
  failure: string | undefined,
  rows: (f: T) => Row[],
): Row[] {
  if (figures !== undefined) {
    return rows(figures);
  }
  return [row(label, failure === undefined ? 'not run' : `failed: ${failure}`)];
}

export function resultRows(r: Results, failed: Failures): Row[] {
  return [
    ...section('ingest', r.ingest?.postgresql, failed.ingest, ingestRows),
    ...section('public search and file by code', r.read, failed.read, readRows),
    ...section('credit check', r.check, failed.check, checkRows),
    ...section('report', r.report, failed.report, reportRows),
    ...section('evaluation', r.evaluate, failed.evaluate, evaluateRows),
    ...section('audit', r.audit, failed.audit, auditRows),
    ...section('database size', r.size, failed.size, sizeRows),
  ];
}

const COLUMNS: Array<[keyof Row, string]> = [
  ['name', 'benchmark'],
  ['figures', 'figures'],
  ['floor', 'floor (same run)'],
  ['ratio', 'ratio'],
  ['target', 'target'],
  ['verdict', 'met'],
];

/** The rows as a Markdown table, its columns aligned. */
export function formatTable(rows: Row[]): string {
  const widths = COLUMNS.map(([key, title]) => Math.max(title.length, ...rows.map((r) => r[key].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(COLUMNS.map(([, title]) => title)),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(COLUMNS.map(([key]) => r[key]))),
  ].join('\n');
}
