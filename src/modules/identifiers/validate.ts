/**
 * `validate()`: normalise a value, try every kind of code its length allows, and pick the kind it
 * is: the one with no failed check and the fewest warnings. Values can fit several kinds — a
 * random valid citizen ID passes both unified-code checks about once in 340, and a 15-digit value
 * can be a registration number, a taxpayer ID or a legacy citizen ID — so the others it is also
 * valid as come back as `alternatives`.
 */
import { msg, type Message } from '../../platform/i18n/index.ts';
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
import { maskCitizenId } from './mask.ts';
import { isPlainCode, normalizeCode } from './normalize.ts';
import { couldBeValidUscc, validateUscc } from './uscc.ts';

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
function badCharacter(value: string): Message | undefined {
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90)) {
      continue;
    }
    const ch = String.fromCodePoint(value.codePointAt(i) ?? c);
    const hex = `U+${(ch.codePointAt(0) ?? c).toString(16).toUpperCase().padStart(4, '0')}`;
    const position = i + 1;
    if (c < 32 || c === 127 || (c >= 128 && c < 160)) {
      return msg('identifiers.value.control', { hex, position });
    }
    if (c >= 0xd800 && c <= 0xdfff && ch.length === 1) {
      return msg('identifiers.value.surrogate', { hex, position });
    }
    if (c === 0xfffd) {
      return msg('identifiers.value.replacement', { position });
    }
    const script = /\p{Script=Han}/u.test(ch)
      ? msg('identifiers.value.script.han')
      : /\p{Script=Cyrillic}/u.test(ch)
        ? msg('identifiers.value.script.cyrillic')
        : /\p{Script=Greek}/u.test(ch)
          ? msg('identifiers.value.script.greek')
          : msg('identifiers.value.script.other');
    return msg('identifiers.value.character', { char: ch, hex, position, script });
  }
  return undefined;
}

function hasFail(result: KindResult): boolean {
  for (const c of result.checks) {
    if (c.result === 'fail') {
      return true;
    }
  }
  return false;
}

function isCitizenShape(value: string): boolean {
  for (let i = 0; i < 17; i += 1) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) {
      return false;
    }
  }
  const last = value.charCodeAt(17);
  return (last >= 48 && last <= 57) || last === 88;
}

interface Choice {
  chosen: KindResult;
  valid: boolean;
  alternatives: KindResult[];
}

/** Among the kinds tried: no failure and fewest warnings wins; else the closest, to explain it. */
function choose(results: KindResult[]): Choice {
  const passing = results.filter((r) => !hasFail(r));
  if (passing.length > 0) {
    passing.sort(
      (a, b) => count(a.checks, 'warn') - count(b.checks, 'warn') || PRIORITY[a.kind] - PRIORITY[b.kind],
    );
    const chosen = passing[0] as KindResult;
    return { chosen, valid: true, alternatives: passing.slice(1) };
  }
  const chosen = [...results].sort(
    (a, b) => count(a.checks, 'fail') - count(b.checks, 'fail') || PRIORITY[a.kind] - PRIORITY[b.kind],
  )[0] as KindResult;
  return { chosen, valid: false, alternatives: [] };
}

function classify(value: string, nowMs: number | undefined): Choice | undefined {
  switch (value.length) {
    case 18: {
      if (!isCitizenShape(value)) {
        const uscc = validateUscc(value);
        return { chosen: uscc, valid: !hasFail(uscc), alternatives: [] };
      }
      // An all-digit 18-character value with a real birth date is a person's ID before it is a
      // code; the full unified-code result is built only when it could pass (about 1 in 340).
      const citizen = validateCitizenId(value, nowMs);
      const uscc = couldBeValidUscc(value) || hasFail(citizen) ? validateUscc(value) : undefined;
      if (!hasFail(citizen)) {
        return {
          chosen: citizen,
          valid: true,
          alternatives: uscc !== undefined && !hasFail(uscc) ? [uscc] : [],
        };
      }
      const asUscc = uscc ?? validateUscc(value);
      if (!hasFail(asUscc)) {
        return { chosen: asUscc, valid: true, alternatives: [] };
      }
      // Valid as neither: with a real birth date it is a mistyped ID, and explained as one.
      if (citizen.checks.some((c) => c.name === 'birth_date' && c.result === 'ok')) {
        return { chosen: citizen, valid: false, alternatives: [] };
      }
      return choose([asUscc, citizen]);
    }
    case 15:
      return choose([validateRegNo15(value), validateTaxpayerId15(value), validateCitizenId15(value, nowMs)]);
    case 12: {
      const cert = validateInstitutionCert12(value);
      return { chosen: cert, valid: !hasFail(cert), alternatives: [] };
    }
    case 9: {
      const org = validateOrgCode(value);
      return { chosen: org, valid: !hasFail(org), alternatives: [] };
    }
    default:
      return undefined;
  }
}

/** Normalises and validates one value. Never throws: a bad value is a result with a failed check. */
export function validate(input: string, options: ValidateOptions = {}): IdentifierValidation {
  if (typeof input !== 'string') {
    return unknown(String(input), '', [], fail('characters', msg('identifiers.value.not_text')));
  }
  if (input.length > MAX_INPUT_LENGTH) {
    return unknown(
      `${input.slice(0, MAX_INPUT_LENGTH)}…`,
      '',
      [],
      fail('length', msg('identifiers.value.too_long', { length: input.length, max: MAX_INPUT_LENGTH })),
    );
  }
  // Most values arrive clean: skip normalisation for them.
  const { normalized, changes, plain } = isPlainCode(input)
    ? { normalized: input, changes: [], plain: true }
    : normalizeCode(input);
  if (normalized.length === 0) {
    return unknown(input, normalized, changes, fail('length', msg('identifiers.value.empty')));
  }
  if (!plain) {
    if (SCIENTIFIC.test(normalized)) {
      return unknown(input, normalized, changes, fail('characters', msg('identifiers.value.scientific')));
    }
    const bad = badCharacter(normalized);
    if (bad !== undefined) {
      return unknown(input, normalized, changes, fail('characters', bad));
    }
  }
  const choice = classify(normalized, options.nowMs);
  if (choice === undefined) {
    return unknown(
      input,
      normalized,
      changes,
      fail('length', msg('identifiers.value.length', { length: normalized.length })),
    );
  }
  return {
    input,
    normalized,
    changes,
    kind: choice.chosen.kind,
    valid: choice.valid,
    checks: choice.chosen.checks,
    parts: choice.chosen.parts,
    alternatives:
      choice.alternatives.length === 0
        ? []
        : choice.alternatives.map((r) => ({ kind: r.kind, checks: r.checks })),
  };
}

/**
 * A code as the platform repeats it back to whoever gave it (a search query, a batch row): a
 * citizen ID only masked, not even in clear to the one who typed it; anything else as given.
 */
export function echoed(given: string, validation: IdentifierValidation = validate(given.trim())): string {
  const personal =
    validation.valid && (validation.kind === 'citizen_id' || validation.kind === 'citizen_id15');
  return personal ? maskCitizenId(validation.normalized) : given;
}
