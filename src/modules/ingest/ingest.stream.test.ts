/**
 * Uploads stay streamed: a workbook is read row by row, so reading one raises the process's memory
 * by a small fraction of what the whole workbook in memory took (about 57 times the file's size).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from './ingest.parsers.ts';

const ROWS = 100_000;

/** The heap in use after a full collection (the collector reached through V8's own flag). */
function liveHeap(): number {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}
let dir: string;
let file: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-xlsx-'));
  file = path.join(dir, 'penalties.xlsx');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
  const sheet = workbook.addWorksheet('处罚');
  sheet
    .addRow(['行政相对人名称', '统一社会信用代码', '行政处罚决定书文号', '违法事实', '处罚决定日期'])
    .commit();
  for (let i = 0; i < ROWS; i += 1) {
    sheet
      .addRow([
        `福州某贸易有限公司${i}`,
        '91350100M000100Y43',
        `榕市监处〔2025〕${i}号`,
        `未取得营业执照从事经营活动（第${i}次）`,
        new Date(Date.UTC(2025, 0, 1 + (i % 300))),
      ])
      .commit();
  }
  await workbook.commit();
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('an XLSX upload', () => {
  it('is read row by row: every row, dates as dates, live memory flat', async () => {
    // Live memory, not the collector's slack: measured after a full collection, halfway through.
    const before = liveHeap();
    let halfway = 0;
    const source = await openSource(file, 'penalties.xlsx');
    let rows = 0;
    let last: Map<string, unknown> | undefined;
    for await (const row of source.rows) {
      rows += 1;
      last = row.cells;
      if (rows === ROWS / 2) {
        halfway = liveHeap();
      }
    }
    expect(source.headers).toEqual([
      '行政相对人名称',
      '统一社会信用代码',
      '行政处罚决定书文号',
      '违法事实',
      '处罚决定日期',
    ]);
    expect(rows).toBe(ROWS);
    expect(last?.get('行政处罚决定书文号')).toBe(`榕市监处〔2025〕${ROWS - 1}号`);
    expect(last?.get('处罚决定日期')).toEqual(new Date(Date.UTC(2025, 0, 1 + ((ROWS - 1) % 300))));
    const { size } = await fs.stat(file);
    // The whole workbook in memory took about 57 times the file's size (+256 MB for a 4.5 MB file);
    // read as a stream, a few MB are live at any time, whatever the size.
    expect(size).toBeGreaterThan(3_000_000);
    expect(halfway - before).toBeLessThan(20 * 1024 * 1024);
    expect(source.progress?.()).toBe(1);
  }, 60_000);
});
