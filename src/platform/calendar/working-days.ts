/**
 * The working-day calendar behind every deadline: the 7-working-day disclosure rule, objection
 * and repair limits. Official holidays and make-up workdays come from `chinese-days`; an operator
 * loads the table for a year the package does not cover yet (the State Council publishes each
 * year's arrangement late in the year before). Any answer that crossed a year nobody covers is
 * flagged provisional: there it counts Monday to Friday only.
 */
import { createRequire } from 'node:module';
import { requireDayNumber, fromDayNumber, type CivilDate } from './civil-date.ts';

export type DayKind = 'holiday' | 'workday';

export interface YearTable {
  year: number;
  source: string;
  days: ReadonlyArray<{ date: CivilDate; kind: DayKind; name: string }>;
}

export interface DayInfo {
  date: CivilDate;
  working: boolean;
  /** Why: 'weekday', 'weekend', or the holiday or make-up workday's name. */
  reason: string;
  provisional: boolean;
}

export interface WorkingDayResult<T> {
  value: T;
  /** True when a year in the span has no official table: weekdays were counted as working days. */
  provisional: boolean;
  uncoveredYears: number[];
}

interface PackageData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

let packageTablesCache: YearTable[] | undefined;

/** The official tables shipped by `chinese-days`, read once. */
export function packageTables(): YearTable[] {
  packageTablesCache ??= readPackageTables();
  return packageTablesCache;
}

function readPackageTables(): YearTable[] {
  const require = createRequire(import.meta.url);
  const data = require('chinese-days/dist/chinese-days.json') as PackageData;
  const byYear = new Map<number, YearTable['days'][number][]>();
  const add = (date: string, kind: DayKind, label: string) => {
    const year = Number(date.slice(0, 4));
    const name = label.split(',')[1] ?? label; // "Spring Festival,春节,4" → 春节
    let days = byYear.get(year);
    if (days === undefined) {
      days = [];
      byYear.set(year, days);
    }
    days.push({ date, kind, name });
  };
  for (const [date, label] of Object.entries(data.holidays)) {
    add(date, 'holiday', label);
  }
  for (const [date, label] of Object.entries(data.workdays)) {
    add(date, 'workday', label);
  }
  return [...byYear].map(([year, days]) => ({ year, source: 'chinese-days', days }));
}

/** An immutable snapshot of the calendar; pure and synchronous once built. */
export class WorkingDayCalendar {
  private readonly special = new Map<number, { kind: DayKind; name: string }>();
  private readonly sources = new Map<number, string>();

  /** Operator tables replace the package's table for the same year. */
  constructor(operatorTables: readonly YearTable[] = [], base: readonly YearTable[] = packageTables()) {
    const operatorYears = new Set(operatorTables.map((t) => t.year));
    for (const table of [...base.filter((t) => !operatorYears.has(t.year)), ...operatorTables]) {
      this.sources.set(table.year, table.source);
      for (const day of table.days) {
        this.special.set(requireDayNumber(day.date), { kind: day.kind, name: day.name });
      }
    }
  }

  /** Years with an official table, and where each table came from. */
  coverage(): Array<{ year: number; source: string }> {
    return [...this.sources].map(([year, source]) => ({ year, source })).sort((a, b) => a.year - b.year);
  }

  isCovered(year: number): boolean {
    return this.sources.has(year);
  }

  /** The year's holidays and make-up workdays in date order (every other day: Monday to Friday). */
  specialDays(year: number): Array<{ date: CivilDate; kind: DayKind; name: string }> {
    const from = requireDayNumber(`${year}-01-01`);
    const to = requireDayNumber(`${year}-12-31`);
    return [...this.special]
      .filter(([n]) => n >= from && n <= to)
      .sort(([a], [b]) => a - b)
      .map(([n, day]) => ({ date: new Date(n * 86_400_000).toISOString().slice(0, 10), ...day }));
  }

  dayInfo(date: CivilDate): DayInfo {
    const n = requireDayNumber(date);
    const provisional = !this.isCovered(Number(date.slice(0, 4)));
    const special = this.special.get(n);
    if (special !== undefined) {
      return { date, working: special.kind === 'workday', reason: special.name, provisional };
    }
    const working = this.isWorkingDayNumber(n);
    return { date, working, reason: working ? 'weekday' : 'weekend', provisional };
  }

  isWorkingDay(date: CivilDate): boolean {
    return this.isWorkingDayNumber(requireDayNumber(date));
  }

  /**
   * The date `n` working days after `date` (before it when `n` is negative); `date` itself is not
   * counted. A decision on a Friday with n = 7 lands on the Tuesday of the week after next.
   */
  addWorkingDays(date: CivilDate, n: number): WorkingDayResult<CivilDate> {
    if (!Number.isInteger(n)) {
      throw new RangeError(`working days must be a whole number, got ${n}`);
    }
    const start = requireDayNumber(date);
    const step = n < 0 ? -1 : 1;
    let day = start;
    for (let left = Math.abs(n); left > 0;) {
      day += step;
      if (this.isWorkingDayNumber(day)) {
        left -= 1;
      }
    }
    return this.withCoverage(fromDayNumber(day), start, day);
  }

  /**
   * Working days after `from` up to and including `to`; negative when `to` is before `from`.
   * `workingDaysBetween(d, addWorkingDays(d, n).value)` is `n`.
   */
  workingDaysBetween(from: CivilDate, to: CivilDate): WorkingDayResult<number> {
    const a = requireDayNumber(from);
    const b = requireDayNumber(to);
    const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
    let count = 0;
    for (let day = lo + 1; day <= hi; day += 1) {
      if (this.isWorkingDayNumber(day)) {
        count += 1;
      }
    }
    return this.withCoverage(sign * count, lo, hi);
  }

  private isWorkingDayNumber(n: number): boolean {
    const special = this.special.get(n);
    if (special !== undefined) {
      return special.kind === 'workday';
    }
    const weekday = (((n + 4) % 7) + 7) % 7;
    return weekday !== 0 && weekday !== 6;
  }

  private withCoverage<T>(value: T, dayA: number, dayB: number): WorkingDayResult<T> {
    const first = Number(fromDayNumber(Math.min(dayA, dayB)).slice(0, 4));
    const last = Number(fromDayNumber(Math.max(dayA, dayB)).slice(0, 4));
    const uncoveredYears: number[] = [];
    for (let year = first; year <= last; year += 1) {
      if (!this.isCovered(year)) {
        uncoveredYears.push(year);
      }
    }
    return { value, provisional: uncoveredYears.length > 0, uncoveredYears };
  }
}
