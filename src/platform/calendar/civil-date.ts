/**
 * Civil dates (`YYYY-MM-DD`, Asia/Shanghai) as plain strings and day numbers. Dates in law —
 * decision dates, deadlines, display periods — are civil dates, so they are never carried as a
 * JS Date at midnight in some time zone.
 */

/** A civil date, `YYYY-MM-DD`. */
export type CivilDate = string;

const DAY_MS = 86_400_000;
/** China Standard Time has been UTC+8 all year since 1992, without daylight saving. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const CIVIL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a valid civil date, or undefined if it is not a real calendar date. */
export function dayNumber(date: string): number | undefined {
  const m = CIVIL_DATE.exec(date);
  if (m === null) {
    return undefined;
  }
  return dayNumberOf(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Day number of year/month/day, or undefined when that day does not exist (31 February). */
export function dayNumberOf(year: number, month: number, day: number): number | undefined {
  // Year 0 does not exist in the civil calendar (nor in PostgreSQL's dates).
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return undefined;
  }
  // Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear takes the year as given.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime() / DAY_MS;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    return isLeapYear(year) ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function isCivilDate(value: string): boolean {
  return dayNumber(value) !== undefined;
}

/** The civil date of a day number. */
export function fromDayNumber(n: number): CivilDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** Parses a civil date, throwing RangeError naming the value when it is not a real date. */
export function requireDayNumber(date: string): number {
  const n = dayNumber(date);
  if (n === undefined) {
    throw new RangeError(`not a civil date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  }
  return n;
}

export function addDays(date: CivilDate, days: number): CivilDate {
  return fromDayNumber(requireDayNumber(date) + days);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: CivilDate): number {
  return (((requireDayNumber(date) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function yearOf(date: CivilDate): number {
  return Number(date.slice(0, 4));
}

/** Today's civil date in Asia/Shanghai at the instant `nowMs`. */
export function todayInShanghai(nowMs: number = Date.now()): CivilDate {
  return fromDayNumber(Math.floor((nowMs + SHANGHAI_OFFSET_MS) / DAY_MS));
}

/**
 * The civil date `months` months after `date`; a day past the end of the target month falls on
 * its last day (2026-01-31 + 1 month = 2026-02-28), as periods "of N months" are counted.
 */
export function addMonths(date: CivilDate, months: number): CivilDate {
  requireDayNumber(date);
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return `${String(targetYear).padStart(4, '0')}-${String(targetMonth).padStart(2, '0')}-${String(targetDay).padStart(2, '0')}`;
}
