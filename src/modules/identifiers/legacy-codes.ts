/**
 * Codes from before the unified code (国发〔2015〕33号 L244–256) that departments still send:
 * the 15-digit business registration number, the 15-character taxpayer ID and the 12-digit
 * public-institution certificate number.
 */
import { msg } from '../../platform/i18n/index.ts';
import { divisionCheck } from './divisions.ts';
import { orgCodeCheck } from './gb11714.ts';
import { fail, ok, warn, type Check, type KindResult } from './identifiers.types.ts';

const DIGITS15 = /^\d{15}$/;

/** Checks whose outcome never varies: built once, shared, never mutated. */
const REG_NO_FORMAT_OK = Object.freeze(ok('format', msg('identifiers.reg_no.format_ok')));
const CHECK_DIGIT_OK = new Map(
  [...'0123456789'].map((d) => [
    d,
    Object.freeze(ok('check_digit', msg('identifiers.reg_no.check_digit_ok', { digit: d }))),
  ]),
);
const TAXPAYER_FORMAT_OK = Object.freeze(ok('format', msg('identifiers.taxpayer_id.format_ok')));
const INSTITUTION_FORMAT_OK = Object.freeze(ok('format', msg('identifiers.institution_cert.format_ok')));

/** ISO 7064 MOD 11,10 check digit of the first 14 digits of a registration number. */
export function regNoCheckDigit(first14: string): string {
  let p = 10;
  for (let i = 0; i < 14; i += 1) {
    let s = (p + (first14.charCodeAt(i) - 48)) % 10;
    if (s === 0) {
      s = 10;
    }
    p = (s * 2) % 11;
  }
  return String((11 - p) % 10);
}

/** `reg_no15`: registering authority (6) + sequence (8) + MOD 11,10 check digit (1). */
export function validateRegNo15(value: string): KindResult {
  if (!DIGITS15.test(value)) {
    return { kind: 'reg_no15', checks: [fail('format', msg('identifiers.reg_no.format'))], parts: {} };
  }
  const expected = regNoCheckDigit(value);
  const actual = value[14] ?? '';
  const { check: authority, division } = divisionCheck(value.slice(0, 6), 'authority_division');
  return {
    kind: 'reg_no15',
    checks: [
      REG_NO_FORMAT_OK,
      actual === expected
        ? (CHECK_DIGIT_OK.get(actual) as Check)
        : fail('check_digit', msg('identifiers.reg_no.check_digit', { actual, expected })),
      authority,
    ],
    parts: {
      authority: value.slice(0, 6),
      divisionName: division.name,
      sequence: value.slice(6, 14),
      checkDigit: actual,
    },
  };
}

/** `taxpayer_id15`: division (6) + the organisation code (9). */
export function validateTaxpayerId15(value: string): KindResult {
  if (value.length !== 15 || !/^\d{6}[0-9A-Z]{8}[0-9X]$/.test(value)) {
    return {
      kind: 'taxpayer_id15',
      checks: [fail('format', msg('identifiers.taxpayer_id.format'))],
      parts: {},
    };
  }
  const { check: division, division: d } = divisionCheck(value.slice(0, 6));
  return {
    kind: 'taxpayer_id15',
    checks: [TAXPAYER_FORMAT_OK, division, orgCodeCheck(value, 6, 'org_code_check')],
    parts: { division: value.slice(0, 6), divisionName: d.name, orgCode: value.slice(6) },
  };
}

/** `institution_cert12`: the public-institution legal-person certificate number; its format only. */
export function validateInstitutionCert12(value: string): KindResult {
  if (!/^\d{12}$/.test(value)) {
    return {
      kind: 'institution_cert12',
      checks: [fail('format', msg('identifiers.institution_cert.format'))],
      parts: {},
    };
  }
  return {
    kind: 'institution_cert12',
    checks: [INSTITUTION_FORMAT_OK],
    parts: { division: value.slice(0, 6), sequence: value.slice(6) },
  };
}

/**
 * Cross-checks a legacy code against the unified code of the same subject: a registration number's
 * authority should be the unified code's division (positions 3–8), and an organisation code or a
 * taxpayer ID should carry the unified code's organisation code (positions 9–17).
 */
export function crossCheck(
  uscc: string,
  kind: 'reg_no15' | 'org_code' | 'taxpayer_id15',
  other: string,
): Check {
  switch (kind) {
    case 'reg_no15': {
      const authority = other.slice(0, 6);
      return authority === uscc.slice(2, 8)
        ? ok('pairing', msg('identifiers.pairing.authority_match', { authority }))
        : warn(
            'pairing',
            msg('identifiers.pairing.authority_differs', { authority, division: uscc.slice(2, 8) }),
          );
    }
    case 'org_code':
    case 'taxpayer_id15': {
      const org = kind === 'org_code' ? other : other.slice(6);
      return org === uscc.slice(8, 17)
        ? ok('pairing', msg('identifiers.pairing.org_code_match', { code: org }))
        : fail(
            'pairing',
            msg('identifiers.pairing.org_code_differs', { code: org, inside: uscc.slice(8, 17) }),
          );
    }
  }
}
