/**
 * A list of subjects read in the browser, never sent as a file: pasted lines, a CSV file or the
 * first sheet of an XLSX workbook (a ZIP of XML parts, inflated with the browser's own
 * DecompressionStream). Each row becomes a code or a name: a column headed 统一社会信用代码 / 代码 /
 * code, or 名称 / name, when the first row names them; otherwise each row's first cell, taken as a
 * code when it looks like one.
 */

export interface Wanted {
  code?: string;
  name?: string;
}

/** A unified social credit code, an ID card number, or another code of letters, digits and dashes. */
const CODE = /^[0-9A-Za-z][0-9A-Za-z-]{7,63}$/;

/** One line or cell as the API takes it: by code when it looks like one, by name otherwise. */
export function asWanted(value: string): Wanted | undefined {
  const v = value.trim();
  if (v === '') {
    return undefined;
  }
  return CODE.test(v) ? { code: v.toUpperCase() } : { name: v };
}

const CODE_HEADERS = ['统一社会信用代码', '信用代码', '代码', '证件号码', 'code', 'subjectcode', 'uscc'];
const NAME_HEADERS = ['名称', '主体名称', '单位名称', '企业名称', 'name', 'subjectname'];

/** Rows (cells) into subjects: by the header's columns when it names them, else the first cell. */
export function fromRows(rows: readonly string[][]): Wanted[] {
  const head = (rows[0] ?? []).map((c) => c.trim().toLowerCase().replace(/\s+/g, ''));
  const codeAt = head.findIndex((h) => CODE_HEADERS.includes(h));
  const nameAt = head.findIndex((h) => NAME_HEADERS.includes(h));
  const out: Wanted[] = [];
  if (codeAt >= 0 || nameAt >= 0) {
    for (const row of rows.slice(1)) {
      const code = codeAt >= 0 ? (row[codeAt] ?? '').trim() : '';
      const name = nameAt >= 0 ? (row[nameAt] ?? '').trim() : '';
      if (code !== '') {
        out.push({ code: code.toUpperCase() });
      } else if (name !== '') {
        out.push({ name });
      }
    }
    return out;
  }
  for (const row of rows) {
    const w = asWanted(row.find((c) => c.trim() !== '') ?? '');
    if (w !== undefined) {
      out.push(w);
    }
  }
  return out;
}

/** Pasted text: one subject a line (a code or a name; a second column after a tab or comma is ignored). */
export function fromText(text: string): Wanted[] {
  return fromRows(text.split(/\r?\n/).map((line) => line.split(/\t|,|，/)));
}

/** CSV (RFC 4180 quoting), with or without a byte-order mark. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i += 1) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') {
        quoted = false;
      } else {
        cell += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') {
        i += 1;
      }
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += ch;
    }
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** The entries of a ZIP archive by name, inflated on demand. */
function unzip(buffer: ArrayBuffer): (name: string) => Promise<string | undefined> {
  const view = new DataView(buffer);
  let end = -1;
  for (let i = buffer.byteLength - 22; i >= Math.max(0, buffer.byteLength - 65_557); i -= 1) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) {
    throw new Error('not a ZIP archive');
  }
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries = new Map<string, { method: number; size: number; offset: number }>();
  const decoder = new TextDecoder();
  for (let k = 0; k < count; k += 1) {
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    const offset = view.getUint32(at + 42, true);
    const name = decoder.decode(new Uint8Array(buffer, at + 46, nameLength));
    entries.set(name, { method, size, offset });
    at += 46 + nameLength + extra + comment;
  }
  return async (name) => {
    const e = entries.get(name);
    if (e === undefined) {
      return undefined;
    }
    const local = e.offset + 30 + view.getUint16(e.offset + 26, true) + view.getUint16(e.offset + 28, true);
    const data = new Uint8Array(buffer, local, e.size);
    if (e.method === 0) {
      return decoder.decode(data);
    }
    const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return new Response(stream).text();
  };
}

/** The column of a cell reference (`C12` → 2). */
function column(ref: string): number {
  let n = 0;
  for (const ch of ref.replace(/\d+$/, '')) {
    n = n * 26 + (ch.charCodeAt(0) - 64);
  }
  return n - 1;
}

/** The first worksheet of an XLSX workbook, as rows of cell texts. */
export async function parseXlsx(buffer: ArrayBuffer): Promise<string[][]> {
  const read = unzip(buffer);
  const xml = (text: string) => new DOMParser().parseFromString(text, 'application/xml');
  const strings: string[] = [];
  const shared = await read('xl/sharedStrings.xml');
  if (shared !== undefined) {
    for (const si of Array.from(xml(shared).getElementsByTagName('si'))) {
      strings.push(
        Array.from(si.getElementsByTagName('t'))
          .map((t) => t.textContent ?? '')
          .join(''),
      );
    }
  }
  const sheet = (await read('xl/worksheets/sheet1.xml')) ?? '';
  const rows: string[][] = [];
  for (const r of Array.from(xml(sheet).getElementsByTagName('row'))) {
    const row: string[] = [];
    for (const c of Array.from(r.getElementsByTagName('c'))) {
      const at = column(c.getAttribute('r') ?? 'A');
      const type = c.getAttribute('t');
      const v = c.getElementsByTagName('v')[0]?.textContent ?? '';
      const text =
        type === 's'
          ? (strings[Number(v)] ?? '')
          : type === 'inlineStr'
            ? Array.from(c.getElementsByTagName('t'))
                .map((t) => t.textContent ?? '')
                .join('')
            : v;
      row[at] = text;
    }
    rows.push(Array.from(row, (c) => c ?? ''));
  }
  return rows;
}

/** A chosen file's subjects: CSV or text read as text, XLSX as a workbook. */
export async function readSubjectsFile(file: File): Promise<Wanted[]> {
  if (/\.xlsx$/i.test(file.name)) {
    return fromRows(await parseXlsx(await file.arrayBuffer()));
  }
  return fromRows(parseCsv(await file.text()));
}

/** Subjects back into the one-a-line text the page shows. */
export function toText(subjects: readonly Wanted[]): string {
  return subjects.map((s) => s.code ?? s.name ?? '').join('\n');
}
