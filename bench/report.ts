/**
 * Credit reports: the time to produce the JSON, HTML and PDF of one subject with 200 records, in
 * the same run. "JSON" is the whole issuance (the file read with the disclosure decision, the
 * signature, the stored row and its audit event); HTML and PDF are that plus their rendering
 * (the PDF: typesetting, fonts subset and embedded, signed over its bytes). Median and p99 of
 * `--runs` runs each, after a warm-up.
 *
 *   npm run bench:report [-- --runs 30 --records 200]      (embedded database)
 *   BENCH_DATABASE_URL=postgres://… npm run bench:report    (PostgreSQL)
 *
 * Target (issue 16): the PDF within 10× the JSON report's time; absolute figures printed too.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createContainer, type Container } from '../src/container.ts';
import type { Actor } from '../src/modules/auth/index.ts';
import type { DatabaseConfig } from '../src/platform/index.ts';
import { codes, penaltyRecord, registrationRecord } from '../test/support/records.ts';
import { benchConfig, loadLine, machineLine, withBenchDatabase } from './config.ts';
import { commandLine, isMain } from './options.ts';
import { ms, timing, type Timing } from './stats.ts';

/** The PDF's median within this multiple of the JSON report's (issue 16). */
export const REPORT_TARGET = 10;

export interface ReportOptions {
  runs: number;
  records: number;
  /** A PostgreSQL server to make the bench's database on; the embedded PGlite without. */
  serverUrl?: string;
}

export interface ReportFigures {
  database: string;
  records: number;
  runs: number;
  /** The whole issuance; HTML and PDF are that plus their rendering. */
  json: Timing;
  html: Timing;
  pdf: Timing;
  pdfPages: number;
  pdfBytes: number;
  /** The PDF's median / the JSON's. */
  ratio: number;
}

const CODE = codes.uscc('91350100', 'MA7RPB01');
const OPERATOR: Actor = { kind: 'system', name: 'bench' };

async function seed(c: Container, records: number): Promise<void> {
  const clerk = (await c.auth.login({ username: 'clerk.scjg', password: 'xinyong-demo-2026' })).actor;
  const send = async (item: string, rows: Array<Record<string, unknown>>) => {
    const s = await c.ingest.ingestRecords(clerk, { department: 'FZ-SCJG', item, records: rows });
    if (s.rejected > 0) {
      throw new Error(`bench data rejected: ${JSON.stringify(s)}`);
    }
  };
  await send('registration', [registrationRecord(CODE, '福州报告基准测试有限公司')]);
  await send(
    'admin_penalty',
    Array.from({ length: records - 1 }, (_, i) =>
      penaltyRecord({
        行政相对人名称: '福州报告基准测试有限公司',
        统一社会信用代码: CODE,
        行政处罚决定书文号: `榕市监处〔2026〕B${i + 1}号`,
        处罚决定日期: `2026-${String(1 + (i % 11)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
        处罚类别: '罚款',
        处罚内容: `罚款人民币${(i % 50) + 1}万元，责令改正违法行为`,
        '罚款金额（万元）': String((i % 50) + 1),
      }),
    ),
  );
}

async function measure(
  c: Container,
  runs: number,
): Promise<Omit<ReportFigures, 'database' | 'records' | 'runs'>> {
  const json: number[] = [];
  const html: number[] = [];
  const pdf: number[] = [];
  let pages = 0;
  let bytes = 0;
  for (let i = -3; i < runs; i += 1) {
    const t0 = performance.now();
    const issued = await c.reports.issue(OPERATOR, { type: 'self', code: CODE });
    const t1 = performance.now();
    await c.reports.render(issued.text, 'html');
    const t2 = performance.now();
    const file = await c.reports.render(issued.text, 'pdf');
    const t3 = performance.now();
    if (i >= 0) {
      json.push(t1 - t0);
      html.push(t1 - t0 + (t2 - t1));
      pdf.push(t1 - t0 + (t3 - t2));
      bytes = file.length;
      pages = (file.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
    }
  }
  const figures = {
    json: timing(json),
    html: timing(html),
    pdf: timing(pdf),
    pdfPages: pages,
    pdfBytes: bytes,
  };
  const row = (name: string, t: Timing) =>
    console.log(`${name.padEnd(6)} median ${ms(t.p50Ms).padStart(10)}   p99 ${ms(t.p99Ms).padStart(10)}`);
  row('JSON', figures.json);
  row('HTML', figures.html);
  row('PDF', figures.pdf);
  console.log(`PDF: ${pages} pages, ${(bytes / 1024).toFixed(0)} KiB`);
  const ratio = figures.pdf.p50Ms / figures.json.p50Ms;
  console.log(
    `PDF / JSON (medians): ${ratio.toFixed(1)}×  (target ≤ ${REPORT_TARGET}×: ${ratio <= REPORT_TARGET ? 'met' : 'not met'})`,
  );
  return { ...figures, ratio };
}

export async function benchReport({ runs, records, serverUrl }: ReportOptions): Promise<ReportFigures> {
  console.log(loadLine());
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-bench-report-'));
  const go = async (database: DatabaseConfig, label: string): Promise<ReportFigures> => {
    const c = await createContainer(benchConfig(database, dir));
    try {
      await seed(c, records);
      console.log(`${label}: a subject with ${records} records, ${runs} runs each (after 3 warm-up runs)`);
      return { database: label, records, runs, ...(await measure(c, runs)) };
    } finally {
      await c.close();
    }
  };
  try {
    return serverUrl === undefined
      ? await go({ kind: 'pglite', dataDir: path.join(dir, 'db') }, 'PGlite')
      : await withBenchDatabase(serverUrl, 'xinyong_bench_report', ({ url: dbUrl, serverVersion }) =>
          go({ kind: 'postgresql', url: dbUrl, poolSize: 4 }, `PostgreSQL ${serverVersion}`),
        );
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  process.stdout.write(machineLine());
  const cli = commandLine();
  await benchReport({
    runs: cli.number('runs', 30),
    records: cli.number('records', 200),
    serverUrl: process.env.BENCH_DATABASE_URL,
  });
}
