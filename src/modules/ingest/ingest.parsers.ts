/**
 * Reading department files: CSV (UTF-8 with or without BOM, or GBK/GB18030, detected or
 * declared), XLSX (first or named sheet; a formula cell counts by its cached value) and JSON
 * Lines. Every source becomes a header list and rows of cells keyed by header, each row with the
 * number a person sees in a spreadsheet (the header is row 1).
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { msg, ValidationError, type Message } from '../../platform/index.ts';

export type SourceFormat = 'csv' | 'xlsx' | 'jsonl';

/** A cell as read: text, a number, a date (XLSX), or a formula with no cached value. */
export type Cell = string | number | boolean | Date | null | { formulaWithoutValue: string };

export interface SourceRow {
  rowNo: number;
  cells: Map<string, Cell>;
  /** Columns beyond the header, or a row that could not be read at all. */
  problem?: Message;
}

export interface Source {
  format: SourceFormat;
  encoding: string | null;
  sheet: string | null;
  headers: string[];
  rows: AsyncIterable<SourceRow>;
  /** Share of the file read so far (CSV and JSON Lines; an XLSX is read whole first). */
  progress?: () => number;
}

export const MAX_COLUMNS = 500;
export const MAX_FILE_BYTES = 512 * 1024 * 1024;
const ENCODINGS = new Map([
  ['utf-8', 'utf8'],
  ['utf8', 'utf8'],
  ['gbk', 'gb18030'],
  ['gb2312', 'gb18030'],
  ['gb18030', 'gb18030'],
]);

export interface OpenOptions {
  format?: SourceFormat;
  /** Declared encoding of a CSV file: utf-8, gbk, gb2312 or gb18030. */
  encoding?: string;
  /** XLSX sheet name; default the first. */
  sheet?: string;
}

/** Refusal of a whole file: the batch fails with this message and nothing is committed. */
export class SourceError extends ValidationError {}

export function formatOf(fileName: string, declared?: SourceFormat): SourceFormat {
  if (declared !== undefined) {
    return declared;
  }
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) {
    return 'csv';
  }
  if (lower.endsWith('.xlsx')) {
    return 'xlsx';
  }
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) {
    return 'jsonl';
  }
  if (lower.endsWith('.xls')) {
    throw new SourceError(msg('ingest.source.xls', { file: fileName }), {
      field: 'file',
      value: fileName,
      rule: 'ingest.format',
    });
  }
  throw new SourceError(msg('ingest.source.unknown_type', { file: fileName }), {
    field: 'file',
    value: fileName,
    rule: 'ingest.format',
  });
}

/** UTF-8 when the first bytes decode as UTF-8 (or carry its BOM), otherwise GB18030 (a superset of GBK). */
export function detectEncoding(sample: Buffer): string {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) {
    return 'utf8';
  }
  // Cut at the last newline so a character split by the sample's end does not count against UTF-8.
  const end = sample.lastIndexOf(0x0a);
  const slice = end > 0 ? sample.subarray(0, end) : sample;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(slice);
    return 'utf8';
  } catch {
    return 'gb18030';
  }
}

async function readSample(file: string, bytes: number): Promise<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** A heading twice would make one column's cells overwrite the other's. */
function refuseDuplicateHeadings(headers: readonly string[]): void {
  const seen = new Set<string>();
  for (const h of headers) {
    if (h !== '' && seen.has(h)) {
      throw new SourceError(msg('ingest.source.duplicate_heading', { heading: h }), {
        field: 'columns',
        value: h,
        rule: 'ingest.duplicate_columns',
      });
    }
    seen.add(h);
  }
}

function tooManyColumns(count: number): Message {
  return msg('ingest.source.columns', { count: count.toLocaleString('en-US'), max: MAX_COLUMNS });
}

async function openCsv(file: string, options: OpenOptions, size: number): Promise<Source> {
  let encoding: string;
  if (options.encoding !== undefined) {
    const known = ENCODINGS.get(options.encoding.toLowerCase());
    if (known === undefined) {
      throw new SourceError(msg('ingest.source.encoding', { encoding: options.encoding }), {
        field: 'encoding',
        value: options.encoding,
        rule: 'ingest.encoding',
      });
    }
    encoding = known;
  } else {
    encoding = detectEncoding(await readSample(file, 64 * 1024));
  }
  const input = fs.createReadStream(file);
  const parser = input
    .pipe(iconv.decodeStream(encoding))
    .pipe(parseCsv({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: false, info: true }));
  // With `info`, each record comes with the line it ends on: the row number a person sees.
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{
    record: string[];
    info: { lines: number };
  }>;
  const first = await iterator.next().catch((err: unknown) => {
    throw new SourceError(msg('ingest.source.csv', { cause: (err as Error).message }), {
      rule: 'ingest.csv',
    });
  });
  if (first.done === true) {
    throw new SourceError(msg('ingest.source.no_header'), { rule: 'ingest.empty' });
  }
  const headers = first.value.record.map((h) => h.trim());
  if (headers.length > MAX_COLUMNS) {
    throw new SourceError(msg('ingest.source.header', { problem: tooManyColumns(headers.length) }), {
      rule: 'ingest.columns',
    });
  }
  refuseDuplicateHeadings(headers);
  async function* rows(): AsyncGenerator<SourceRow> {
    let rowNo = 1;
    for (;;) {
      let next: IteratorResult<{ record: string[]; info: { lines: number } }>;
      try {
        next = await iterator.next();
      } catch (err) {
        const cause = (err as Error).message;
        throw new SourceError(
          msg(/quote/i.test(cause) ? 'ingest.source.truncated' : 'ingest.source.csv_after', {
            row: rowNo,
            cause,
          }),
          { rule: 'ingest.csv' },
        );
      }
      if (next.done === true) {
        return;
      }
      rowNo = next.value.info.lines;
      const values = next.value.record;
      const cells = new Map<string, Cell>();
      headers.forEach((h, i) => cells.set(h, values[i] ?? null));
      // Cells beyond the header (trailing empty ones aside) mean the values have shifted: an
      // unquoted comma inside a value, most often.
      let used = values.length;
      while (used > headers.length && (values[used - 1] ?? '').trim() === '') {
        used -= 1;
      }
      const problem =
        values.length > MAX_COLUMNS
          ? tooManyColumns(values.length)
          : used > headers.length
            ? msg('ingest.source.shifted', { cells: used, columns: headers.length })
            : undefined;
      yield problem === undefined ? { rowNo, cells } : { rowNo, cells, problem };
    }
  }
  return {
    format: 'csv',
    encoding: encoding === 'utf8' ? 'utf-8' : 'gb18030',
    sheet: null,
    headers,
    rows: rows(),
    progress: readShare(input, size),
  };
}

function cellValue(cell: ExcelJS.Cell): Cell {
  const v = cell.value;
  if (v === null || v === undefined) {
    return null;
  }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) {
    return v;
  }
  if (typeof v === 'object') {
    if ('formula' in v || 'sharedFormula' in v) {
      const result = (v as ExcelJS.CellFormulaValue).result;
      if (result === undefined || result === null) {
        return { formulaWithoutValue: String((v as ExcelJS.CellFormulaValue).formula ?? '') };
      }
      if (typeof result === 'object' && !(result instanceof Date)) {
        return null; // an error value such as #N/A
      }
      return result;
    }
    if ('richText' in v) {
      return v.richText.map((r) => r.text).join('');
    }
    if ('text' in v) {
      return String(v.text);
    }
  }
  return cell.text;
}

function damagedXlsx(err: unknown): SourceError {
  return new SourceError(msg('ingest.source.xlsx', { cause: (err as Error).message }), {
    rule: 'ingest.xlsx',
  });
}

function headingText(value: Cell): string {
  return value === null
    ? ''
    : String(value instanceof Date ? value.toISOString() : typeof value === 'object' ? '' : value).trim();
}

/**
 * A workbook read as a stream, row by row: memory stays flat however large the sheet (the whole
 * workbook in memory took about ten times the file's size). Shared strings are kept (the sheet
 * refers to them by number), and styles, to tell a date from a number.
 */
async function openXlsx(file: string, options: OpenOptions, size: number): Promise<Source> {
  const input = fs.createReadStream(file);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const sheets = reader[Symbol.asyncIterator]();
  const names: string[] = [];
  // The reader sets each sheet's name from the workbook's list (its type does not say so).
  type NamedSheet = ExcelJS.stream.xlsx.WorksheetReader & { name: string };
  let sheet: NamedSheet | undefined;
  try {
    for (let next = await sheets.next(); next.done !== true; next = await sheets.next()) {
      const candidate = next.value as NamedSheet;
      names.push(candidate.name);
      if (options.sheet === undefined || candidate.name === options.sheet) {
        sheet = candidate;
        break;
      }
      // Another sheet: read past it, row by row, to reach the next.
      for await (const _row of candidate) {
        // skipped
      }
    }
  } catch (err) {
    input.destroy();
    throw damagedXlsx(err);
  }
  if (sheet === undefined) {
    input.destroy();
    throw new SourceError(
      options.sheet === undefined
        ? msg('ingest.source.no_sheet')
        : msg('ingest.source.sheet_missing', { sheet: options.sheet, sheets: names.join(', ') }),
      { field: 'sheet', value: options.sheet ?? null, rule: 'ingest.sheet' },
    );
  }
  const { name } = sheet;
  const sheetRows = sheet[Symbol.asyncIterator]();
  let first: IteratorResult<ExcelJS.Row>;
  try {
    first = await sheetRows.next();
  } catch (err) {
    input.destroy();
    throw damagedXlsx(err);
  }
  // The header is row 1; a sheet whose first row with values comes later has none.
  const headerRow = first.done !== true && first.value.number === 1 ? first.value : undefined;
  const headers: string[] = [];
  if (headerRow !== undefined) {
    if (headerRow.cellCount > MAX_COLUMNS) {
      input.destroy();
      throw new SourceError(
        msg('ingest.source.sheet', { sheet: name, problem: tooManyColumns(headerRow.cellCount) }),
        {
          rule: 'ingest.columns',
        },
      );
    }
    for (let c = 1; c <= headerRow.cellCount; c += 1) {
      headers.push(headingText(cellValue(headerRow.getCell(c))));
    }
  }
  while (headers.length > 0 && headers[headers.length - 1] === '') {
    headers.pop();
  }
  refuseDuplicateHeadings(headers);
  if (headers.length === 0) {
    input.destroy();
    throw new SourceError(msg('ingest.source.sheet_empty', { sheet: name }), { rule: 'ingest.empty' });
  }
  const pending = first.done !== true && headerRow === undefined ? [first.value] : [];
  async function* rows(): AsyncGenerator<SourceRow> {
    try {
      for (;;) {
        const row = pending.shift() ?? (await next());
        if (row === undefined) {
          return;
        }
        if (!row.hasValues) {
          continue;
        }
        const cells = new Map<string, Cell>();
        headers.forEach((h, i) => {
          if (h !== '') {
            cells.set(h, cellValue(row.getCell(i + 1)));
          }
        });
        yield { rowNo: row.number, cells };
      }
    } finally {
      input.destroy();
    }
  }
  async function next(): Promise<ExcelJS.Row | undefined> {
    try {
      const r = await sheetRows.next();
      return r.done === true ? undefined : r.value;
    } catch (err) {
      throw damagedXlsx(err);
    }
  }
  return {
    format: 'xlsx',
    encoding: null,
    sheet: name,
    headers: headers.filter((h) => h !== ''),
    rows: rows(),
    progress: readShare(input, size),
  };
}

/** A JSON object's values as cells: scalars as they are, anything else as its JSON text. */
export function cellsOf(record: Record<string, unknown>): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  for (const [k, v] of Object.entries(record)) {
    cells.set(
      k,
      v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
        ? v
        : JSON.stringify(v),
    );
  }
  return cells;
}

async function openJsonl(file: string, size: number): Promise<Source> {
  const input = fs.createReadStream(file, { encoding: 'utf8' });
  const lines = readline.createInterface({
    input,
    crlfDelay: Infinity,
  });
  const iterator = lines[Symbol.asyncIterator]();
  const headers = new Set<string>();
  const buffered: SourceRow[] = [];
  let lineNo = 0;
  const toRow = (line: string, n: number): SourceRow | undefined => {
    if (line.trim() === '') {
      return undefined;
    }
    try {
      const value = JSON.parse(line) as unknown;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        return { rowNo: n, cells: new Map(), problem: msg('ingest.source.not_object') };
      }
      return { rowNo: n, cells: cellsOf(value as Record<string, unknown>) };
    } catch (err) {
      return {
        rowNo: n,
        cells: new Map(),
        problem: msg('ingest.source.not_json', { cause: (err as Error).message }),
      };
    }
  };
  /** The next row of a non-blank line; undefined at the end of the file. */
  const nextRow = async (): Promise<SourceRow | undefined> => {
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) {
        return undefined;
      }
      lineNo += 1;
      const row = toRow(next.value, lineNo);
      if (row !== undefined) {
        return row;
      }
    }
  };
  // The header is the keys of the first object.
  for (let row = await nextRow(); row !== undefined; row = await nextRow()) {
    buffered.push(row);
    for (const k of row.cells.keys()) {
      headers.add(k);
    }
    if (row.problem === undefined) {
      break;
    }
  }
  if (buffered.length === 0) {
    throw new SourceError(msg('ingest.source.empty'), { rule: 'ingest.empty' });
  }
  async function* rows(): AsyncGenerator<SourceRow> {
    yield* buffered;
    for (let row = await nextRow(); row !== undefined; row = await nextRow()) {
      yield row;
    }
  }
  return {
    format: 'jsonl',
    encoding: 'utf-8',
    sheet: null,
    headers: [...headers],
    rows: rows(),
    progress: readShare(input, size),
  };
}

function readShare(input: fs.ReadStream, size: number): () => number {
  return () => (size === 0 ? 1 : Math.min(1, input.bytesRead / size));
}

/** Opens a department's file for reading. Whole-file problems are SourceErrors. */
export async function openSource(file: string, fileName: string, options: OpenOptions = {}): Promise<Source> {
  const format = formatOf(fileName, options.format);
  const { size } = await fs.promises.stat(file);
  if (size > MAX_FILE_BYTES) {
    throw new SourceError(
      msg('ingest.source.file_size', {
        size: (size / 1024 ** 3).toFixed(1),
        max: MAX_FILE_BYTES / 1024 ** 2,
      }),
      { field: 'file', value: size, rule: 'ingest.file_size' },
    );
  }
  switch (format) {
    case 'csv':
      return openCsv(file, options, size);
    case 'xlsx':
      return openXlsx(file, options, size);
    case 'jsonl':
      return openJsonl(file, size);
  }
}
