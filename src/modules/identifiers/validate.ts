/**
 * `validate()`: normalise a value, try every kind of code its length allows, and pick the kind it
 * is: the one with no failed check and the fewest warnings. Values can fit several kinds — a
 * random valid citizen ID passes both unified-code checks about once in 340, and a 15-digit value
 * can be a registration number, a taxpayer ID or a legacy citizen ID — so the others it is also
 * valid as come back as `alternatives`.
 */
import { validateCitizenId, validateCitizenId15 } from './citizen-id.ts';
import { validateOrgCode } from './gb11714.ts';
import {
  fail,
  type Check,
  type IdentifierKind,
  type IdentifierValidation,
  type KindResult,
} from './identifiers.types.ts';
import { validateInstitutionCert12, validateRegNo15, validateTaxpayerId15 } from './legacy-codes.ts';
import { normalizeCode } from './normalize.ts';
import { validateUscc } from './uscc.ts';

/** Nothing longer is looked at: the longest code has 18 characters. */
export const MAX_INPUT_LENGTH = 64;

/** When kinds tie, the kind with the stronger check wins. */
const PRIORITY: Record<IdentifierKind, number> = {
  uscc: 0,
  citizen_id: 1,
  reg_no15: 2,
  taxpayer_id15: 3,
  citizen_id15: 4,
  org_code: 5,
  institution_cert12: 6,
  unknown: 7,
};

const SCIENTIFIC = /^\d(\.\d+)?E\+?\d+$/;

export interface ValidateOptions {
  /** The instant "now", for the birth-date-not-in-the-future rule; defaults to the clock. */
  nowMs?: number;
}

function count(checks: readonly Check[], result: Check['result']): number {
  let n = 0;
  for (const c of checks) {
    if (c.result === result) {
      n += 1;
    }
  }
  return n;
}

function unknown(
  input: string,
  normalized: string,
  changes: IdentifierValidation['changes'],
  check: Check,
): IdentifierValidation {
  return {
    input,
    normalized,
    changes,
    kind: 'unknown',
    valid: false,
    checks: [check],
    parts: {},
    alternatives: [],
  };
}

/** The first character that no code may contain, described for a person, or undefined. */
function badCharacter(value: string): string | undefined {
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90)) {
      continue;
    }
    const ch = String.fromCodePoint(value.codePointAt(i) ?? c);
    const hex = `U+${(ch.codePointAt(0) ?? c).toString(16).toUpperCase().padStart(4, '0')}`;
    if (c < 32 || c === 127 || (c >= 128 && c < 160)) {
      return `control character ${hex} at position ${i + 1}`;
    }
    if (c >= 0xd800 && c <= 0xdfff && ch.length === 1) {
      return `broken character (lone surrogate ${hex}) at position ${i + 1}: binary data, not text`;
    }
    if (c === 0xfffd) {
      return `replacement character U+FFFD at position ${i + 1}: the text was decoded with the wrong encoding`;
    }
    const script = /\p{Script=Han}/u.test(ch)
      ? 'a Chinese character'
      : /\p{Script=Cyrillic}/u.test(ch)
        ? 'a Cyrillic letter (it may look like a Latin one)'
        : /\p{Script=Greek}/u.test(ch)
          ? 'a Greek letter (it may look like a Latin one)'
          : 'a character codes never contain';
    return `'${ch}' (${hex}) at position ${i + 1} is ${script}`;
  }
  return undefined;
}

function candidates(value: string, nowMs: number): KindResult[] {
  switch (value.length) {
    case 18:
      return /^\d{17}[\dX]$/.test(value)
        ? [validateUscc(value), validateCitizenId(value, nowMs)]
        : [validateUscc(value)];
    case 15:
      return [validateRegNo15(value), validateTaxpayerId15(value), validateCitizenId15(value, nowMs)];
    case 12:
      return [validateInstitutionCert12(value)];
    case 9:
      return [validateOrgCode(value)];
    default:
      return [];
  }
}

/** Normalises and validates one value. Never throws: a bad value is a result with a failed check. */
export function validate(input: string, options: ValidateOptions = {}): IdentifierValidation {
  if (typeof input !== 'string') {
    return unknown(String(input), '', [], fail('characters', 'the value is not text'));
  }
  if (input.length > MAX_INPUT_LENGTH) {
    return unknown(
      input,
      '',
      [],
      fail('length', `longer than ${MAX_INPUT_LENGTH} characters; the longest code has 18`),
    );
  }
  const { normalized, changes } = normalizeCode(input);
  if (normalized.length === 0) {
    return unknown(input, normalized, changes, fail('length', 'the value is empty'));
  }
  if (SCIENTIFIC.test(normalized)) {
    return unknown(
      input,
      normalized,
      changes,
      fail(
        'characters',
        'a number in scientific notation: the spreadsheet has already dropped digits; export the column as text',
      ),
    );
  }
  const bad = badCharacter(normalized);
  if (bad !== undefined) {
    return unknown(input, normalized, changes, fail('characters', bad));
  }
  const results = candidates(normalized, options.nowMs ?? Date.now());
  if (results.length === 0) {
    return unknown(
      input,
      normalized,
      changes,
      fail('length', `${normalized.length} characters: no kind of code has that length (18, 15, 12 or 9)`),
    );
  }

  const passing = results.filter((r) => count(r.checks, 'fail') === 0);
  let chosen: KindResult;
  if (passing.length > 0) {
    passing.sort(
      (a, b) => count(a.checks, 'warn') - count(b.checks, 'warn') || PRIORITY[a.kind] - PRIORITY[b.kind],
    );
    // An all-digit 18-character value with a real birth date is a person's ID before it is a code.
    chosen = passing.find((r) => r.kind === 'citizen_id') ?? (passing[0] as KindResult);
  } else {
    // Nothing passes: report the closest kind, so the failed checks say what is wrong.
    chosen = [...results].sort(
      (a, b) => count(a.checks, 'fail') - count(b.checks, 'fail') || PRIORITY[a.kind] - PRIORITY[b.kind],
    )[0] as KindResult;
  }
  return {
    input,
    normalized,
    changes,
    kind: chosen.kind,
    valid: passing.length > 0,
    checks: chosen.checks,
    parts: chosen.parts,
    alternatives: passing.filter((r) => r !== chosen).map((r) => ({ kind: r.kind, checks: r.checks })),
  };
}
