/** The rows a department must correct: original columns, then the row number and every reason. */
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';

export interface ProblemSheet {
  headers: string[];
  rows: Array<{ rowNo: number; status: string; values: string[]; reasons: string }>;
}

const EXTRA = ['原行号', '状态', '错误原因'];

/** A value a spreadsheet would run as a formula is written as text (a leading apostrophe). */
function inert(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** CSV in UTF-8 with a BOM, so that spreadsheet programs read the Chinese correctly. */
export function problemsCsv(sheet: ProblemSheet): Buffer {
  const text = stringify([
    [...sheet.headers, ...EXTRA],
    ...sheet.rows.map((r) => [...r.values.map(inert), String(r.rowNo), r.status, inert(r.reasons)]),
  ]);
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

export async function problemsXlsx(sheet: ProblemSheet): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const ws = workbook.addWorksheet('待更正');
  ws.addRow([...sheet.headers, ...EXTRA]);
  for (const r of sheet.rows) {
    // Codes stay text, never numbers that a spreadsheet would round.
    ws.addRow([...r.values.map(inert), r.rowNo, r.status, inert(r.reasons)]);
  }
  ws.columns.forEach((c) => {
    c.numFmt = '@';
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
