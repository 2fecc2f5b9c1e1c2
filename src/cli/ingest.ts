/** `xinyong ingest` and `xinyong batch list|show|errors`. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import type { Actor } from '../modules/auth/index.ts';
import { problemsCsv, problemsXlsx, type BatchSummary } from '../modules/ingest/index.ts';
import { ValidationError, type Config } from '../platform/index.ts';
import type { Container } from '../container.ts';
import { withContainer } from './with-container.ts';
import { cliIo } from './io.ts';

type Out = (line: string) => void;

/** The command line acts as the named department's data clerk (or reviewer). */
export async function departmentActor(
  c: Container,
  code: string,
  role: 'data_clerk' | 'reviewer' = 'data_clerk',
): Promise<Actor> {
  const actor = await c.auth.departmentSystem(code, role, 'cli');
  if (actor === undefined) {
    throw new ValidationError(`--department: no department ${code}`, {
      field: 'department',
      value: code,
      rule: 'department.exists',
    });
  }
  return actor;
}

export function describeBatch(b: BatchSummary): string {
  const lines = [
    `batch ${b.batchId} ${b.status}: ${b.item} from ${b.department}`,
    `  total ${b.total}, accepted ${b.accepted}, rejected ${b.rejected}, duplicates ${b.duplicates}, review ${b.review}, warnings ${b.warnings}`,
  ];
  if (b.droppedColumns.length > 0) {
    lines.push(`  columns not in the catalog, dropped: ${b.droppedColumns.join(', ')}`);
  }
  if (b.message !== null) {
    lines.push(`  ${b.message}`);
  }
  return lines.join('\n');
}

/** After an ingest with rows left over: the commands that get them (the errors file has both kinds). */
export function whatNext(b: BatchSummary): string[] {
  const lines: string[] = [];
  if (b.rejected > 0) {
    lines.push(`rejected rows, with the reasons: xinyong batch errors ${b.batchId} --out errors.xlsx`);
  }
  if (b.review > 0) {
    lines.push(
      `rows awaiting review: xinyong review list --department ${b.department} (or xinyong batch errors ${b.batchId} --out errors.xlsx)`,
    );
  }
  return lines;
}

export interface IngestOptions {
  item: string;
  department: string;
  encoding?: string;
  sheet?: string;
  corrects?: number;
  json?: boolean;
  /** Show the progress bar even when stderr is not a terminal. */
  progress?: boolean;
}

export async function ingestCommand(
  config: Config,
  file: string,
  opts: IngestOptions,
  out: Out,
): Promise<number> {
  return withContainer(config, async (c) => {
    const actor = await departmentActor(c, opts.department);
    // A progress bar on the terminal (or when asked for): share of the file read, rows, rows per second.
    const errStream = cliIo().errStream;
    const showBar = opts.progress ?? errStream.isTTY === true;
    const bar = showBar
      ? new SingleBar(
          {
            stream: errStream,
            format: '{bar} {percentage}% | {rows} rows | {rate} rows/s',
            noTTYOutput: errStream.isTTY !== true,
            notTTYSchedule: 5000,
            hideCursor: true,
          },
          Presets.shades_classic,
        )
      : undefined;
    bar?.start(100, 0, { rows: 0, rate: 0 });
    try {
      const summary = await c.ingest.ingestFile(actor, {
        department: opts.department,
        item: opts.item,
        file,
        fileName: path.basename(file),
        encoding: opts.encoding,
        sheet: opts.sheet,
        corrects: opts.corrects,
        onProgress: (p) =>
          bar?.update(Math.round((p.fraction ?? 0) * 100), {
            rows: p.rowsRead.toLocaleString('en'),
            rate: Math.round(p.rowsPerSecond).toLocaleString('en'),
          }),
      });
      bar?.update(100);
      bar?.stop();
      if (opts.json === true) {
        out(JSON.stringify(summary, null, 2));
      } else {
        out(describeBatch(summary));
        for (const line of whatNext(summary)) {
          out(line);
        }
      }
      return summary.rejected + summary.review > 0 ? 3 : 0;
    } finally {
      bar?.stop();
    }
  });
}

export async function batchList(config: Config, department: string, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    for (const b of await c.ingest.batches({ kind: 'system', name: 'cli' }, department)) {
      out(describeBatch(b));
    }
  });
}

export async function batchShow(config: Config, id: number, json: boolean, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const b = await c.ingest.batch({ kind: 'system', name: 'cli' }, id);
    out(json ? JSON.stringify(b, null, 2) : describeBatch(b));
  });
}

export async function batchPurge(config: Config, days: number | undefined, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const kept = days ?? config.abandonedBatchDays;
    const r = await c.ingest.purgeAbandoned({ kind: 'system', name: 'cli' }, kept);
    out(
      r.batches.length === 0
        ? `no abandoned batch older than ${kept} days has staged rows`
        : `${r.rows} staged rows of ${r.batches.length} abandoned batches purged: ${r.batches.join(', ')}`,
    );
  });
}

export async function batchErrors(config: Config, id: number, outFile: string, out: Out): Promise<void> {
  const format = outFile.toLowerCase().endsWith('.xlsx')
    ? 'xlsx'
    : outFile.toLowerCase().endsWith('.csv')
      ? 'csv'
      : undefined;
  if (format === undefined) {
    throw new ValidationError(`--out: ${outFile} must end in .csv or .xlsx`, {
      field: 'out',
      value: outFile,
      rule: 'export.format',
    });
  }
  await withContainer(config, async (c) => {
    const sheet = await c.ingest.problems({ kind: 'system', name: 'cli' }, id);
    await fs.writeFile(outFile, format === 'csv' ? problemsCsv(sheet) : await problemsXlsx(sheet));
    out(`${sheet.rows.length} rows to correct written to ${outFile}`);
  });
}

export interface MappingOptions {
  department: string;
  item: string;
  column: string;
  field: string;
}

export async function mappingSet(config: Config, opts: MappingOptions, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const saved = await c.ingest.saveMapping(await departmentActor(c, opts.department), {
      department: opts.department,
      item: opts.item,
      heading: opts.column,
      field: opts.field,
    });
    out(`${opts.department} ${opts.item}: column "${saved.heading}" maps to ${saved.field}`);
  });
}

export async function mappingList(config: Config, department: string, item: string, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    for (const m of await c.ingest.mappings({ kind: 'system', name: 'cli' }, department, item)) {
      out(`${m.heading} → ${m.field}`);
    }
  });
}
