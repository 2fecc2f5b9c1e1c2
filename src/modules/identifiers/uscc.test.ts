import { describe, expect, it } from 'vitest';
import {
  orgCodeCheckChar,
  presentCheck,
  USCC_ALPHABET,
  usccCheckChar,
  validate,
  validateUscc,
  type Check,
} from './index.ts';

/** A check as an English reader gets it. */
const english = (check: Check | undefined) => (check === undefined ? undefined : presentCheck('en', check));

const WORKED_EXAMPLE = '91350100M000100Y43'; // GB 32100-2015's own example
/** Valid codes of several authorities and categories (check characters computed by the standard). */
const VALID = [WORKED_EXAMPLE, 'G1610000713522976L'];

function withCheck(first17: string): string {
  return first17 + (usccCheckChar(first17) ?? '');
}

/** A valid code from its first eight characters and an organisation-code body. */
function makeUscc(prefix8: string, body8: string): string {
  return withCheck(prefix8 + body8 + (orgCodeCheckChar(body8) ?? ''));
}

const failures = (code: string) =>
  validateUscc(code)
    .checks.filter((c) => c.result === 'fail')
    .map((c) => c.name);

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts the standard worked example and reports its parts', () => {
    const result = validate(WORKED_EXAMPLE);
    expect(result).toMatchObject({ kind: 'uscc', valid: true, normalized: WORKED_EXAMPLE, alternatives: [] });
    expect(result.checks.every((c) => c.result === 'ok')).toBe(true);
    expect(result.parts).toEqual({
      authority: '9',
      authorityName: '工商（市场监管）',
      category: '1',
      categoryName: '企业',
      division: '350100',
      divisionName: '福建省福州市',
      orgCode: 'M000100Y4',
      checkChar: '3',
    });
  });

  it('rejects the worked example with a wrong check character, naming the expected one', () => {
    const result = validate('91350100M000100Y4Z');
    expect(result.kind).toBe('uscc');
    expect(result.valid).toBe(false);
    expect(english(result.checks.find((c) => c.name === 'check_char'))).toEqual({
      name: 'check_char',
      result: 'fail',
      message: 'check character is Z, expected 3 (GB 32100 mod 31)',
    });
    expect(english(result.checks.find((c) => c.name === 'alphabet'))?.message).toContain("'Z'");
  });

  it('warns, without failing, on an authority/category pair outside the common table', () => {
    const result = validate('G1610000713522976L');
    expect(result.valid).toBe(true);
    expect(result.kind).toBe('uscc');
    expect(result.checks.find((c) => c.name === 'authority_category')?.result).toBe('warn');
    expect(result.checks.filter((c) => c.result === 'fail')).toEqual([]);
  });

  it('catches every single-character substitution of a valid code', () => {
    const replacements = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    let tried = 0;
    for (const code of [...VALID, withCheck('12100000000013127'), makeUscc('52330100', '5000001X')]) {
      expect(validate(code).valid, code).toBe(true);
      for (let i = 0; i < code.length; i += 1) {
        for (const ch of replacements) {
          if (ch === code[i]) {
            continue;
          }
          const mutated = code.slice(0, i) + ch + code.slice(i + 1);
          tried += 1;
          // As a unified code it fails a check, and it is not valid as any other kind either.
          expect(failures(mutated), `${mutated} (position ${i + 1})`).not.toEqual([]);
          expect(validate(mutated).valid, mutated).toBe(false);
        }
      }
    }
    expect(tried).toBe(4 * 18 * 35);
  });

  it('fails the embedded organisation code when only its check character is wrong', () => {
    // Same first 16 characters, a different organisation-code check character, and the overall
    // check character recomputed so that only GB 11714 can catch it.
    const code = withCheck('91350100M000100Y5');
    expect(failures(code)).toEqual(['org_code_check']);
    expect(english(validateUscc(code).checks.find((c) => c.name === 'org_code_check'))?.message).toBe(
      'organisation code M000100Y5 check character is 5, expected 4 (GB 11714)',
    );
  });

  it('names each letter the standard leaves out of the alphabet', () => {
    expect(USCC_ALPHABET).toHaveLength(31);
    for (const letter of 'IOSVZ') {
      const code = `9135010${letter}M000100Y43`;
      const alphabet = validateUscc(code).checks.find((c) => c.name === 'alphabet');
      expect(alphabet?.result).toBe('fail');
      expect(english(alphabet)?.message).toContain(
        `'${letter}' (the letters I, O, S, V and Z are never used) at position 8`,
      );
    }
  });

  it('fails a malformed division and warns on one not in the current list', () => {
    const malformed = withCheck('91000000M000100Y4');
    expect(validateUscc(malformed).checks.find((c) => c.name === 'division')?.result).toBe('fail');
    const province99 = withCheck('91990100M000100Y4');
    expect(validateUscc(province99).checks.find((c) => c.name === 'division')?.result).toBe('fail');
    const unknownCounty = withCheck('91350198M000100Y4');
    expect(english(validateUscc(unknownCounty).checks.find((c) => c.name === 'division'))).toEqual({
      name: 'division',
      result: 'warn',
      message: 'division 350198 is not in the current list',
    });
  });

  it('accepts the national division code of central authorities', () => {
    const central = withCheck('11100000000013127');
    const result = validate(central);
    expect(result.valid).toBe(true);
    expect(result.parts.divisionName).toBe('中华人民共和国（中央）');
    expect(result.parts.categoryName).toBe('机关');
  });
});
