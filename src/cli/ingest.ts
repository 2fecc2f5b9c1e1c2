/** `xinyong ingest` and `xinyong batch list|show|errors`. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import type { Actor } from '../modules/auth/index.ts';
import { problemsCsv, problemsXlsx, type BatchSummary } from '../modules/ingest/index.ts';
import { msg, ValidationError, type Config } from '../platform/index.ts';
import type { Container } from '../container.ts';
import { withContainer } from './with-container.ts';
import { cliIo, cliLocaleNow } from './io.ts';
import { tr, trText } from './say.ts';

type Out = (line: string) => void;

/** The command line acts as the named department's data clerk (or reviewer). */
export async function departmentActor(
  c: Container,
  code: string,
  role: 'data_clerk' | 'reviewer' = 'data_clerk',
): Promise<Actor> {
  const actor = await c.auth.departmentSystem(code, role, 'cli');
  if (actor === undefined) {
    throw new ValidationError(msg('cli.department_missing', { code }), {
      field: 'department',
      value: code,
      rule: 'department.exists',
    });
  }
  return actor;
}

export function describeBatch(b: BatchSummary): string {
  const lines = [
    tr('cli.ingest.batch', { id: b.batchId, status: b.status, item: b.item, department: b.department }),
    `  ${tr('cli.ingest.counts', {
      total: b.total,
      accepted: b.accepted,
      rejected: b.rejected,
      duplicates: b.duplicates,
      review: b.review,
      warnings: b.warnings,
    })}`,
  ];
  if (b.droppedColumns.length > 0) {
    lines.push(`  ${tr('cli.ingest.dropped_columns', { columns: b.droppedColumns.join(', ') })}`);
  }
  if (b.message !== null) {
    lines.push(`  ${trText(b.message)}`);
  }
  return lines.join('\n');
}

/** After an ingest with rows left over: the commands that get them (the errors file has both kinds). */
export function whatNext(b: BatchSummary): string[] {
  const lines: string[] = [];
  if (b.rejected > 0) {
    lines.push(tr('cli.ingest.rejected_rows', { batch: b.batchId }));
  }
  if (b.review > 0) {
    lines.push(tr('cli.ingest.review_rows', { department: b.department, batch: b.batchId }));
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
            // cli-progress fills in its own {placeholders}: the catalogue's message keeps them.
            format: tr('cli.ingest.progress', {
              bar: '{bar}',
              percentage: '{percentage}',
              rows: '{rows}',
              rate: '{rate}',
            }),
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
    for (const b of await c.ingest.batches({ kind: 'system', name: 'cli' }, department, cliLocaleNow())) {
      out(describeBatch(b));
    }
  });
}

export async function batchShow(config: Config, id: number, json: boolean, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const b = await c.ingest.batch({ kind: 'system', name: 'cli' }, id, cliLocaleNow());
    out(json ? JSON.stringify(b, null, 2) : describeBatch(b));
  });
}

export async function batchPurge(config: Config, days: number | undefined, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    const kept = days ?? config.abandonedBatchDays;
    const r = await c.ingest.purgeAbandoned({ kind: 'system', name: 'cli' }, kept);
    out(
      r.batches.length === 0
        ? tr('cli.ingest.nothing_to_purge', { days: kept })
        : tr('cli.ingest.purged', { rows: r.rows, batches: r.batches.length, ids: r.batches.join(', ') }),
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
    throw new ValidationError(msg('cli.ingest.errors_format', { file: outFile }), {
      field: 'out',
      value: outFile,
      rule: 'export.format',
    });
  }
  await withContainer(config, async (c) => {
    const sheet = await c.ingest.problems({ kind: 'system', name: 'cli' }, id, cliLocaleNow());
    await fs.writeFile(outFile, format === 'csv' ? problemsCsv(sheet) : await problemsXlsx(sheet));
    out(tr('cli.ingest.errors_written', { rows: sheet.rows.length, file: outFile }));
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
    out(
      tr('cli.ingest.mapping_set', {
        department: opts.department,
        item: opts.item,
        heading: saved.heading,
        field: saved.field,
      }),
    );
  });
}

export async function mappingList(config: Config, department: string, item: string, out: Out): Promise<void> {
  await withContainer(config, async (c) => {
    for (const m of await c.ingest.mappings({ kind: 'system', name: 'cli' }, department, item)) {
      out(`${m.heading} → ${m.field}`);
    }
  });
}
