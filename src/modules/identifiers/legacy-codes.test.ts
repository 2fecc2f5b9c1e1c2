import { describe, expect, it } from 'vitest';
import { render } from '../../platform/i18n/index.ts';
import { crossCheck, orgCodeCheckChar, presentCheck, regNoCheckDigit, validate } from './index.ts';

describe('legacy codes', () => {
  it('accepts the registration number fixture and catches any changed digit', () => {
    const result = validate('321000400012591');
    expect(result).toMatchObject({ kind: 'reg_no15', valid: true });
    expect(result.parts).toMatchObject({
      authority: '321000',
      divisionName: '江苏省扬州市',
      checkDigit: '1',
    });
    for (let i = 0; i < 15; i += 1) {
      for (let d = 0; d <= 9; d += 1) {
        const mutated = `321000400012591`.slice(0, i) + String(d) + `321000400012591`.slice(i + 1);
        if (mutated !== '321000400012591') {
          expect(regNoCheckDigit(mutated) === mutated[14], mutated).toBe(false);
        }
      }
    }
  });

  it('accepts an organisation code with or without the hyphen, and reports the change', () => {
    const hyphenated = validate('77604965-3');
    expect(hyphenated).toMatchObject({ kind: 'org_code', valid: true, normalized: '776049653' });
    expect(hyphenated.changes.map((c) => ({ rule: c.rule, message: render('en', c.message) }))).toEqual([
      { rule: 'hyphen', message: 'removed hyphens inside the code' },
    ]);
    expect(validate('776049653')).toMatchObject({ kind: 'org_code', valid: true, changes: [] });
    expect(validate('77604965-4').valid).toBe(false);
    expect(orgCodeCheckChar('M000100Y')).toBe('4');
  });

  it('classifies a taxpayer ID by its embedded organisation code', () => {
    const result = validate('350100M000100Y4');
    expect(result).toMatchObject({ kind: 'taxpayer_id15', valid: true });
    expect(result.parts).toMatchObject({ division: '350100', orgCode: 'M000100Y4' });
    expect(validate('350100M000100Y5').valid).toBe(false);
  });

  it('takes a 12-digit value as a public-institution certificate number by format only', () => {
    expect(validate('135010012345')).toMatchObject({ kind: 'institution_cert12', valid: true });
    expect(validate('13501001234A').valid).toBe(false);
  });

  it('cross-checks legacy codes against the unified code of the same subject', () => {
    const uscc = '91350100M000100Y43';
    expect(crossCheck(uscc, 'reg_no15', '350100400012345').result).toBe('ok');
    expect(presentCheck('en', crossCheck(uscc, 'reg_no15', '321000400012591'))).toEqual({
      name: 'pairing',
      result: 'warn',
      message: "registration number authority 321000 differs from the unified code's division 350100",
    });
    expect(crossCheck(uscc, 'org_code', 'M000100Y4').result).toBe('ok');
    expect(crossCheck(uscc, 'taxpayer_id15', '350100776049653').result).toBe('fail');
  });
});
