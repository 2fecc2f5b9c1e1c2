/**
 * The unified social credit code (统一社会信用代码, GB 32100-2015): registration authority (1),
 * organisation category (1), the registering office's division (6), the GB 11714 organisation code
 * (9) and a check character (1), over the 31-character alphabet that leaves out I, O, S, V and Z.
 */
import { createRequire } from 'node:module';
import { msg, type Message } from '../../platform/i18n/index.ts';
import { divisionCheck, isWellFormedDivision } from './divisions.ts';
import { isOrgCodeValid, orgCodeCheck } from './gb11714.ts';
import { fail, ok, warn, type Check, type KindResult } from './identifiers.types.ts';

export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < USCC_ALPHABET.length; i += 1) {
  VALUE[USCC_ALPHABET.charCodeAt(i)] = i;
}

interface AuthorityTable {
  authorities: Array<{ code: string; name: string; categories: Record<string, string> }>;
}

const require = createRequire(import.meta.url);
const authorityTable = require('./data/uscc-authorities.json') as AuthorityTable;
const AUTHORITIES = new Map(authorityTable.authorities.map((a) => [a.code, a]));

/** The check character for the first 17 characters, or undefined if one is outside the alphabet. */
export function usccCheckChar(first17: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const c = first17.charCodeAt(i);
    const v = c < 128 ? (VALUE[c] ?? -1) : -1;
    if (v < 0) {
      return undefined;
    }
    sum += v * (WEIGHTS[i] ?? 0);
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

function describeChar(ch: string): Message {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if ('IOSVZ'.includes(ch)) {
    return msg('identifiers.uscc.char_unused', { char: ch });
  }
  return msg('identifiers.uscc.char', { char: ch, hex });
}

function alphabetFailure(value: string): Check | undefined {
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c >= 128 || (VALUE[c] ?? -1) < 0) {
      return fail(
        'alphabet',
        msg('identifiers.uscc.alphabet', { char: describeChar(value[i] ?? ''), position: i + 1 }),
      );
    }
  }
  return undefined;
}

const LENGTH_OK = ok('length', msg('identifiers.uscc.length_ok'));
/** Checks that passed are the same every time: built once, shared, never mutated. */
const CHECK_CHAR_OK = new Map(
  [...USCC_ALPHABET].map((c) => [
    c,
    Object.freeze(ok('check_char', msg('identifiers.uscc.check_char_ok', { char: c }))),
  ]),
);
/** Indexed by the two characters' codes: every pair is built once. */
const authorityChecks: Array<Check | undefined> = new Array<Check | undefined>(128 * 128);

function authorityCheck(authority: string, category: string): Check {
  const key = (authority.charCodeAt(0) & 127) * 128 + (category.charCodeAt(0) & 127);
  let check = authorityChecks[key];
  if (check === undefined) {
    const entry = AUTHORITIES.get(authority);
    const categoryName = entry?.categories[category];
    check = Object.freeze(
      categoryName === undefined
        ? warn('authority_category', msg('identifiers.uscc.authority_unknown', { authority, category }))
        : ok(
            'authority_category',
            msg('identifiers.uscc.authority', { authority: entry?.name ?? '', category: categoryName }),
          ),
    );
    authorityChecks[key] = check;
  }
  return check;
}

/**
 * True when the value would pass every unified-code check that can fail (both check characters,
 * a well-formed division): a cheap test, without building the explained result.
 */
export function couldBeValidUscc(value: string): boolean {
  // Cheapest test first: most citizen IDs already fail at the division (their city digits).
  return (
    value.length === 18 &&
    isWellFormedDivision(value, 2) &&
    isOrgCodeValid(value, 8) &&
    usccCheckChar(value) === value[17]
  );
}
const ALPHABET_OK = ok('alphabet', msg('identifiers.uscc.alphabet_ok'));

/** `uscc`: all GB 32100 checks plus the parts. */
export function validateUscc(value: string): KindResult {
  if (value.length !== 18) {
    return {
      kind: 'uscc',
      checks: [fail('length', msg('identifiers.uscc.length', { length: value.length }))],
      parts: {},
    };
  }
  const authority = value[0] ?? '';
  const category = value[1] ?? '';
  const divisionCode = value.slice(2, 8);
  // One pass in the usual case: the check character's sum also proves the first 17 characters
  // are in the alphabet. It is computable even when only the 18th character is not.
  const expected = usccCheckChar(value);
  const last = value.charCodeAt(17);
  const alphabetOk = expected !== undefined && last < 128 && (VALUE[last] ?? -1) >= 0;
  const checks: Check[] = [LENGTH_OK, alphabetOk ? ALPHABET_OK : (alphabetFailure(value) ?? ALPHABET_OK)];
  if (expected !== undefined) {
    const actual = value[17] ?? '';
    checks.push(
      expected === actual
        ? (CHECK_CHAR_OK.get(actual) as Check)
        : fail('check_char', msg('identifiers.uscc.check_char', { actual, expected })),
    );
  }
  checks.push(orgCodeCheck(value, 8, 'org_code_check'));

  const authorityEntry = AUTHORITIES.get(authority);
  const categoryName = authorityEntry?.categories[category];
  checks.push(authorityCheck(authority, category));
  const { check: divisionResult, division } = divisionCheck(divisionCode);
  checks.push(divisionResult);

  return {
    kind: 'uscc',
    checks,
    parts: {
      authority,
      authorityName: authorityEntry?.name ?? null,
      category,
      categoryName: categoryName ?? null,
      division: divisionCode,
      divisionName: division.name,
      orgCode: value.slice(8, 17),
      checkChar: value[17] ?? '',
    },
  };
}
