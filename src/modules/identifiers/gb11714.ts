/**
 * GB 11714 organisation codes: eight body characters (digits, capital letters) and a check
 * character. Weights 3 7 9 10 5 8 4 2; check = 11 − (Σ mod 11), where 10 is written X and 11 is 0.
 */
import { msg } from '../../platform/i18n/index.ts';
import { fail, ok, type Check, type KindResult } from './identifiers.types.ts';

const WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

function charValue(c: number): number {
  if (c >= 48 && c <= 57) {
    return c - 48;
  }
  if (c >= 65 && c <= 90) {
    return c - 55;
  }
  return -1;
}

/** The check character for each value of 11 − (Σ mod 11). */
const CHECK_FOR = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X', '0'] as const;

/** The check character of the 8-character body at `offset`, or undefined for a bad character. */
export function orgCodeCheckCharAt(value: string, offset: number): string | undefined {
  let sum = 0;
  for (let i = 0; i < 8; i += 1) {
    const v = charValue(value.charCodeAt(offset + i));
    if (v < 0) {
      return undefined;
    }
    sum += v * (WEIGHTS[i] ?? 0);
  }
  return CHECK_FOR[11 - (sum % 11)];
}

/** The check character for an 8-character body, or undefined if the body has a bad character. */
export function orgCodeCheckChar(body: string): string | undefined {
  return body.length < 8 ? undefined : orgCodeCheckCharAt(body, 0);
}

/** Passed checks, per check name and check character: built once, shared, never mutated. */
const okCache = new Map<string, Array<Check | undefined>>();

function okCheck(name: string, checkChar: string): Check {
  let byChar = okCache.get(name);
  if (byChar === undefined) {
    byChar = [];
    okCache.set(name, byChar);
  }
  const code = checkChar.charCodeAt(0);
  let check = byChar[code];
  if (check === undefined) {
    check = Object.freeze(ok(name, msg('identifiers.org_code.check_char_ok', { char: checkChar })));
    byChar[code] = check;
  }
  return check;
}

/** True when the 9 characters at `offset` are an organisation code with a correct check character. */
export function isOrgCodeValid(value: string, offset: number): boolean {
  return orgCodeCheckCharAt(value, offset) === value[offset + 8];
}

/** Checks the 9 characters at `offset` of `value` as an organisation code. */
export function orgCodeCheck(value: string, offset: number, name: string): Check {
  const expected = orgCodeCheckCharAt(value, offset);
  const actual = value[offset + 8] ?? '';
  if (expected === actual) {
    return okCheck(name, actual);
  }
  const code = value.slice(offset, offset + 9);
  if (expected === undefined) {
    return fail(name, msg('identifiers.org_code.body', { code }));
  }
  return fail(name, msg('identifiers.org_code.check_char', { code, actual, expected }));
}

const LENGTH_OK = Object.freeze(ok('length', msg('identifiers.org_code.length_ok')));
const ALPHABET_OK = Object.freeze(ok('alphabet', msg('identifiers.org_code.alphabet_ok')));

/** `org_code`: 9 characters, written with or without the hyphen before the check character. */
export function validateOrgCode(value: string): KindResult {
  if (value.length !== 9) {
    return {
      kind: 'org_code',
      checks: [fail('length', msg('identifiers.org_code.length', { length: value.length }))],
      parts: {},
    };
  }
  const body = value.slice(0, 8);
  const checkChar = value.slice(8);
  const checks: Check[] = [LENGTH_OK];
  if (!/^[0-9A-Z]{8}[0-9X]$/.test(value)) {
    checks.push(fail('alphabet', msg('identifiers.org_code.alphabet')));
    return { kind: 'org_code', checks, parts: { body, checkChar } };
  }
  checks.push(ALPHABET_OK);
  checks.push(orgCodeCheck(value, 0, 'check_char'));
  return { kind: 'org_code', checks, parts: { body, checkChar } };
}
