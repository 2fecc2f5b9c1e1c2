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
import { benchConfig, machineLine, withBenchDatabase } from './config.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

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

async function measure(c: Container, runs: number): Promise<void> {
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
  const row = (name: string, v: number[]) =>
    console.log(
      `${name.padEnd(6)} median ${ms(pct(v, 50)).padStart(10)}   p99 ${ms(pct(v, 99)).padStart(10)}`,
    );
  row('JSON', json);
  row('HTML', html);
  row('PDF', pdf);
  console.log(`PDF: ${pages} pages, ${(bytes / 1024).toFixed(0)} KiB`);
  const ratio = pct(pdf, 50) / pct(json, 50);
  console.log(
    `PDF / JSON (medians): ${ratio.toFixed(1)}×  (target ≤ 10×: ${ratio <= 10 ? 'met' : 'not met'})`,
  );
}

async function main(): Promise<void> {
  const runs = option('runs', 30);
  const records = option('records', 200);
  process.stdout.write(machineLine());
  console.log(
    `load average: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-bench-report-'));
  const go = async (database: DatabaseConfig, label: string) => {
    const c = await createContainer(benchConfig(database, dir));
    try {
      await seed(c, records);
      console.log(`${label}: a subject with ${records} records, ${runs} runs each (after 3 warm-up runs)`);
      await measure(c, runs);
    } finally {
      await c.close();
    }
  };
  try {
    const url = process.env.BENCH_DATABASE_URL;
    if (url === undefined) {
      await go({ kind: 'pglite', dataDir: path.join(dir, 'db') }, 'PGlite');
    } else {
      await withBenchDatabase(url, 'xinyong_bench_report', ({ url: dbUrl, serverVersion }) =>
        go({ kind: 'postgresql', url: dbUrl, poolSize: 4 }, `PostgreSQL ${serverVersion}`),
      );
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

await main();
