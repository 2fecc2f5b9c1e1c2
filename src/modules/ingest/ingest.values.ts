/** Values as departments write them: dates in several forms, Excel serial dates, amounts with commas. */
import { dayNumberOf, fromDayNumber } from '../../platform/calendar/index.ts';
import { msg, type Message } from '../../platform/i18n/index.ts';
import type { Cell } from './ingest.parsers.ts';

export type Parsed = { ok: true; value: string } | { ok: false; rule: string; message: Message };

const DATE_FORMS: RegExp[] = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/,
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?: \d{1,2}:\d{2}(?::\d{2})?)?$/,
  /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})日$/,
  /^(\d{4})(\d{2})(\d{2})$/,
];
/** Excel's day 0 is 1899-12-30 (its 1900 leap-year bug folded in). */
const EXCEL_EPOCH_DAY = -25569;

/** The text of a cell as a person would read it. */
export function cellText(cell: Cell): string {
  if (cell === null) {
    return '';
  }
  if (cell instanceof Date) {
    return cell.toISOString().slice(0, 10);
  }
  if (typeof cell === 'object') {
    return `=${cell.formulaWithoutValue}`;
  }
  return String(cell).trim();
}

export function parseDate(cell: Cell, fromSpreadsheet: boolean): Parsed {
  if (cell instanceof Date) {
    // Spreadsheet dates arrive as midnight UTC of the civil date.
    return { ok: true, value: cell.toISOString().slice(0, 10) };
  }
  if (typeof cell === 'number') {
    if (Number.isInteger(cell) && cell >= 19_000_101 && cell <= 29_991_231) {
      return parseDate(String(cell), fromSpreadsheet); // 20250305 typed as a number
    }
    if (fromSpreadsheet && Number.isInteger(cell) && cell > 0 && cell < 2_958_466) {
      return { ok: true, value: fromDayNumber(EXCEL_EPOCH_DAY + cell) };
    }
    return { ok: false, rule: 'date.format', message: msg('ingest.reason.date_number') };
  }
  const text = cellText(cell).normalize('NFKC');
  for (const form of DATE_FORMS) {
    const m = form.exec(text);
    if (m !== null) {
      const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const n = dayNumberOf(year, month, day);
      if (n === undefined) {
        return { ok: false, rule: 'date.calendar', message: msg('ingest.reason.date_calendar', { text }) };
      }
      return { ok: true, value: fromDayNumber(n) };
    }
  }
  return { ok: false, rule: 'date.format', message: msg('ingest.reason.date_format') };
}

export function parseDecimal(cell: Cell): Parsed {
  if (typeof cell === 'number') {
    return Number.isFinite(cell) && cell >= 0
      ? { ok: true, value: String(cell) }
      : { ok: false, rule: 'decimal.range', message: msg('ingest.reason.decimal_range') };
  }
  const text = cellText(cell).normalize('NFKC').replace(/,/g, '');
  if (!/^\d+(\.\d+)?$/.test(text)) {
    return { ok: false, rule: 'decimal.format', message: msg('ingest.reason.decimal_format') };
  }
  return { ok: true, value: String(Number(text)) };
}

export function parseInteger(cell: Cell): Parsed {
  const text = typeof cell === 'number' ? String(cell) : cellText(cell).normalize('NFKC').replace(/,/g, '');
  return /^-?\d+$/.test(text)
    ? { ok: true, value: String(Number(text)) }
    : { ok: false, rule: 'integer.format', message: msg('ingest.reason.integer_format') };
}
