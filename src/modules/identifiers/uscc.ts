/**
 * The unified social credit code (统一社会信用代码, GB 32100-2015): registration authority (1),
 * organisation category (1), the registering office's division (6), the GB 11714 organisation code
 * (9) and a check character (1), over the 31-character alphabet that leaves out I, O, S, V and Z.
 */
import { createRequire } from 'node:module';
import { divisionCheck } from './divisions.ts';
import { orgCodeCheck } from './gb11714.ts';
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

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if ('IOSVZ'.includes(ch)) {
    return `'${ch}' (the letters I, O, S, V and Z are never used)`;
  }
  return `'${ch}' (${hex})`;
}

function alphabetCheck(value: string): Check {
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c >= 128 || (VALUE[c] ?? -1) < 0) {
      return fail(
        'alphabet',
        `character ${describeChar(value[i] ?? '')} at position ${i + 1} is not in the code alphabet`,
      );
    }
  }
  return ALPHABET_OK;
}

const LENGTH_OK = ok('length', '18 characters');
const ALPHABET_OK = ok('alphabet', 'every character is in the code alphabet 0-9 A-Y without I O S V Z');

/** `uscc`: all GB 32100 checks plus the parts. */
export function validateUscc(value: string): KindResult {
  if (value.length !== 18) {
    return {
      kind: 'uscc',
      checks: [fail('length', `${value.length} characters; a unified code has 18`)],
      parts: {},
    };
  }
  const checks: Check[] = [LENGTH_OK];
  const alphabet = alphabetCheck(value);
  checks.push(alphabet);
  const authority = value[0] ?? '';
  const category = value[1] ?? '';
  const divisionCode = value.slice(2, 8);
  // Computable whenever the first 17 characters are in the alphabet, even if the 18th is not.
  const expected = usccCheckChar(value);
  if (expected !== undefined) {
    const actual = value[17] ?? '';
    checks.push(
      expected === actual
        ? ok('check_char', `check character ${actual} is correct (GB 32100 mod 31)`)
        : fail('check_char', `check character is ${actual}, expected ${expected} (GB 32100 mod 31)`),
    );
  }
  checks.push(orgCodeCheck(value, 8, 'org_code_check'));

  const authorityEntry = AUTHORITIES.get(authority);
  const categoryName = authorityEntry?.categories[category];
  checks.push(
    categoryName === undefined
      ? warn(
          'authority_category',
          `registration authority ${authority} with category ${category} is not in the common table`,
        )
      : ok('authority_category', `${authorityEntry?.name ?? ''} · ${categoryName}`),
  );
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
