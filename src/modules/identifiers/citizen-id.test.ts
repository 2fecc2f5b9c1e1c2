import { describe, expect, it } from 'vitest';
import { render } from '../../platform/i18n/index.ts';
import {
  citizenId15To18,
  citizenIdCheckChar,
  citizenIdFacts,
  presentCheck,
  validate,
  type Check,
} from './index.ts';

/** A check's explanation as an English reader gets it. */
const english = (check: Check | undefined) => (check === undefined ? undefined : render('en', check.message));

const NOW = Date.UTC(2026, 10, 22, 4); // 2026-11-22 12:00 in Shanghai
const withCheck = (first17: string) => first17 + citizenIdCheckChar(first17);

describe('citizen ID number (GB 11643)', () => {
  it('accepts the standard example, with no birth date or sex in its parts', () => {
    const result = validate('11010519491231002X', { nowMs: NOW });
    expect(result).toMatchObject({ kind: 'citizen_id', valid: true });
    expect(result.parts).toEqual({ division: '110105', divisionName: '北京市朝阳区', checkChar: 'X' });
    expect(JSON.stringify(result)).not.toContain('1949-12-31');
  });

  it('rejects 31 February', () => {
    const result = validate('110105194902310021', { nowMs: NOW });
    expect(result.valid).toBe(false);
    expect(result.kind).toBe('citizen_id');
    expect(presentCheck('en', result.checks.find((c) => c.name === 'birth_date') as Check)).toEqual({
      name: 'birth_date',
      result: 'fail',
      message: 'the birth date is not a real calendar date',
    });
    // Still a failure with the right check character: the date alone decides.
    const rightCheck = validate(withCheck('11010519490231002'), { nowMs: NOW });
    expect(rightCheck.valid).toBe(false);
    expect(rightCheck.checks.filter((c) => c.result === 'fail').map((c) => c.name)).toEqual(['birth_date']);
  });

  it('rejects a birth date in the future, judged by the Shanghai calendar', () => {
    const tomorrow = withCheck('11010520261123002');
    expect(validate(tomorrow, { nowMs: NOW }).valid).toBe(false);
    const today = withCheck('11010520261122002');
    expect(validate(today, { nowMs: NOW }).valid).toBe(true);
    // 2026-11-21 17:00 UTC is already 22 November in Shanghai.
    expect(validate(today, { nowMs: Date.UTC(2026, 10, 21, 17) }).valid).toBe(true);
    expect(validate(today, { nowMs: Date.UTC(2026, 10, 21, 15) }).valid).toBe(false);
  });

  it('checks the MOD 11-2 check character, X included', () => {
    const result = validate('110105194912310021', { nowMs: NOW });
    expect(english(result.checks.find((c) => c.name === 'check_char'))).toBe(
      'check character is 1, expected X (ISO 7064 MOD 11-2)',
    );
  });

  it('accepts a birth registered under a division since abolished, with a warning', () => {
    const result = validate(withCheck('13052119800101001'), { nowMs: NOW }); // 邢台县, abolished 2020
    expect(result.valid).toBe(true);
    const division = result.checks.find((c) => c.name === 'division');
    expect(division?.result).toBe('warn');
    expect(english(division)).toContain('邢台县');
  });

  it('takes the residence-permit codes of Taiwan residents, never the national code of authorities', () => {
    const permit = validate(withCheck('83000019800101001'), { nowMs: NOW });
    expect(permit).toMatchObject({ kind: 'citizen_id', valid: true });
    expect(english(permit.checks.find((c) => c.name === 'division'))).toBe('830000 台湾居民（居住证）');
    const national = validate(withCheck('10000019800101001'), { nowMs: NOW });
    expect(national.valid).toBe(false);
    expect(national.checks.find((c) => c.name === 'division')?.result).toBe('fail');
  });

  it('upgrades a legacy 15-digit number and keeps its facts for rules that need them', () => {
    // 110105491231002 also passes as a registration number; 110105491231003 does not.
    const legacy = validate('110105491231003', { nowMs: NOW });
    expect(legacy.kind).toBe('citizen_id15');
    expect(legacy.valid).toBe(true);
    expect(legacy.parts.upgraded).toBe(citizenId15To18('110105491231003'));
    const ambiguous = validate('110105491231002', { nowMs: NOW });
    expect([ambiguous.kind, ...ambiguous.alternatives.map((a) => a.kind)].sort()).toEqual([
      'citizen_id15',
      'reg_no15',
    ]);
    expect(citizenId15To18('110105491231002')).toBe('11010519491231002X');
    expect(citizenIdFacts('11010519491231002X')).toEqual({ birthDate: '1949-12-31', sex: 'female' });
    expect(citizenIdFacts(withCheck('11010520100601001'))).toEqual({ birthDate: '2010-06-01', sex: 'male' });
    expect(citizenIdFacts('110105194902310021')).toBeUndefined();
  });
});
