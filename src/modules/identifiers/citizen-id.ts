/**
 * Citizen identity numbers (GB 11643): division (6) + birth date (8) + sequence (3, odd for men,
 * even for women) + an ISO 7064 MOD 11-2 check character (X for 10). The legacy 15-digit form has
 * a two-digit year (19xx) and no check character.
 *
 * Birth date and sex are personal data: they never appear in the parts of a validation. Code that
 * needs them (the leniency rule for minors) calls `citizenIdFacts`.
 */
// The leaf, not the calendar's door (its service and schemas load zod): `xinyong id` stays light.
import { daysInMonth } from '../../platform/calendar/civil-date.ts';
import { msg } from '../../platform/i18n/index.ts';
import { citizenDivisionCheck } from './divisions.ts';
import { fail, ok, type Check, type KindResult } from './identifiers.types.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const EARLIEST_BIRTH_YEAR = 1900;

function allDigits(value: string, from: number, to: number): boolean {
  for (let i = from; i < to; i += 1) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) {
      return false;
    }
  }
  return true;
}

/** The MOD 11-2 check character of the first 17 characters, or undefined if one is not a digit. */
function checkCharOfDigits(value: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) {
      return undefined;
    }
    sum += d * (WEIGHTS[i] ?? 0);
  }
  return CHECK_CHARS[sum % 11];
}

/** The MOD 11-2 check character of the first 17 digits. */
export function citizenIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  }
  return CHECK_CHARS[sum % 11] ?? '';
}

/** Reads `n` ASCII digits at `from` as a number (the caller has checked they are digits). */
function digitsAt(value: string, from: number, n: number): number {
  let x = 0;
  for (let i = from; i < from + n; i += 1) {
    x = x * 10 + value.charCodeAt(i) - 48;
  }
  return x;
}

let todayCache = { dayStartMs: 0, dayEndMs: -1, ymd: 0 };

/** Today's date in Shanghai as the number yyyymmdd, recomputed only when the day changes. */
function todayYmd(nowMs: number): number {
  if (nowMs < todayCache.dayStartMs || nowMs >= todayCache.dayEndMs) {
    const day = Math.floor((nowMs + SHANGHAI_OFFSET_MS) / DAY_MS);
    const d = new Date(day * DAY_MS);
    const ymd = d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
    todayCache = {
      dayStartMs: day * DAY_MS - SHANGHAI_OFFSET_MS,
      dayEndMs: (day + 1) * DAY_MS - SHANGHAI_OFFSET_MS,
      ymd,
    };
  }
  return todayCache.ymd;
}

function birthDateCheck(year: number, month: number, day: number, nowMs: number | undefined): Check {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return fail('birth_date', msg('identifiers.citizen_id.birth_date_invalid'));
  }
  if (year < EARLIEST_BIRTH_YEAR) {
    return fail('birth_date', msg('identifiers.citizen_id.birth_date_early', { year: EARLIEST_BIRTH_YEAR }));
  }
  if (year * 10_000 + month * 100 + day > todayYmd(nowMs ?? Date.now())) {
    return fail('birth_date', msg('identifiers.citizen_id.birth_date_future'));
  }
  return BIRTH_DATE_OK;
}

const BIRTH_DATE_OK = ok('birth_date', msg('identifiers.citizen_id.birth_date_ok'));
const FORMAT18_OK = ok('format', msg('identifiers.citizen_id.format_ok'));
const FORMAT15_OK = ok('format', msg('identifiers.citizen_id.format15_ok'));
const CHECK_CHAR_OK = new Map(
  [...CHECK_CHARS].map((c) => [
    c,
    Object.freeze(ok('check_char', msg('identifiers.citizen_id.check_char_ok', { char: c }))),
  ]),
);

/** `citizen_id`: the 18-character form. */
export function validateCitizenId(value: string, nowMs?: number): KindResult {
  const last = value.charCodeAt(17);
  // One pass: the check character's sum also proves the first 17 characters are digits.
  const expected =
    value.length === 18 && ((last >= 48 && last <= 57) || last === 88) ? checkCharOfDigits(value) : undefined;
  if (expected === undefined) {
    return {
      kind: 'citizen_id',
      checks: [fail('format', msg('identifiers.citizen_id.format'))],
      parts: {},
    };
  }
  const actual = value[17] ?? '';
  const divisionCode = value.slice(0, 6);
  const { check: division, division: d } = citizenDivisionCheck(divisionCode);
  return {
    kind: 'citizen_id',
    checks: [
      FORMAT18_OK,
      actual === expected
        ? (CHECK_CHAR_OK.get(actual) as Check)
        : fail('check_char', msg('identifiers.citizen_id.check_char', { actual, expected })),
      birthDateCheck(digitsAt(value, 6, 4), digitsAt(value, 10, 2), digitsAt(value, 12, 2), nowMs),
      division,
    ],
    parts: { division: divisionCode, divisionName: d.name, checkChar: actual },
  };
}

/** The 18-character form of a 15-digit citizen ID (year 19xx, check character added). */
export function citizenId15To18(value: string): string {
  const first17 = `${value.slice(0, 6)}19${value.slice(6, 15)}`;
  return first17 + citizenIdCheckChar(first17);
}

/** `citizen_id15`: the legacy 15-digit form. */
export function validateCitizenId15(value: string, nowMs?: number): KindResult {
  if (value.length !== 15 || !allDigits(value, 0, 15)) {
    return {
      kind: 'citizen_id15',
      checks: [fail('format', msg('identifiers.citizen_id.format15'))],
      parts: {},
    };
  }
  const { check: division, division: d } = citizenDivisionCheck(value.slice(0, 6));
  const birth = birthDateCheck(
    1900 + digitsAt(value, 6, 2),
    digitsAt(value, 8, 2),
    digitsAt(value, 10, 2),
    nowMs,
  );
  return {
    kind: 'citizen_id15',
    checks: [FORMAT15_OK, birth, division],
    parts: {
      division: value.slice(0, 6),
      divisionName: d.name,
      upgraded: birth.result === 'fail' ? null : citizenId15To18(value),
    },
  };
}

export interface CitizenIdFacts {
  birthDate: string;
  sex: 'male' | 'female';
}

/**
 * Birth date and sex of a valid citizen ID (18 or 15 digits), for rules that need them (minors).
 * Never shown: callers use the facts, not display them.
 */
export function citizenIdFacts(value: string): CitizenIdFacts | undefined {
  const id = value.length === 15 ? citizenId15To18(value) : value;
  const result = validateCitizenId(id);
  if (result.checks.some((c) => c.result === 'fail')) {
    return undefined;
  }
  return {
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    sex: Number(id[16]) % 2 === 1 ? 'male' : 'female',
  };
}
