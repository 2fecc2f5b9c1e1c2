import { describe, expect, it } from 'vitest';
import { citizenIdCheckChar, MAX_INPUT_LENGTH, presentValidation, validate, validateUscc } from './index.ts';

const NOW = Date.UTC(2026, 10, 22, 4);

describe('classification', () => {
  it('prefers citizen_id for an all-digit value with a real birth date that is also a valid unified code', () => {
    // As a unified code, positions 3-8 of 113501 1980… read as division 350119 (well-formed), and
    // authority 1 / category 1 is in the table; search the birth dates and sequence numbers for
    // IDs whose last characters also satisfy both unified-code checks (about one in 340).
    const both: string[] = [];
    for (let day = 1; day <= 28 && both.length < 3; day += 1) {
      for (let seq = 0; seq < 1000 && both.length < 3; seq += 1) {
        const first17 = `113501198001${String(day).padStart(2, '0')}${String(seq).padStart(3, '0')}`;
        const id = first17 + citizenIdCheckChar(first17);
        if (!validateUscc(id).checks.some((c) => c.result === 'fail') && !both.includes(id)) {
          both.push(id);
        }
      }
    }
    expect(both).toHaveLength(3);
    for (const id of both) {
      const result = validate(id, { nowMs: NOW });
      expect(result.kind, id).toBe('citizen_id');
      expect(result.valid).toBe(true);
      expect(result.alternatives.map((a) => a.kind)).toEqual(['uscc']);
    }
  });

  it('reports the closest kind when a value is valid as none', () => {
    expect(validate('91350100M000100Y44').kind).toBe('uscc');
    expect(validate('110105194912310021', { nowMs: NOW }).kind).toBe('citizen_id');
  });

  it('lists the other kinds a 15-digit value is also valid as', () => {
    const result = validate('110105491231002', { nowMs: NOW });
    expect(result).toMatchObject({ kind: 'reg_no15', valid: true });
    expect(result.alternatives.map((a) => a.kind)).toEqual(['citizen_id15']);
    expect(result.alternatives[0]?.checks.every((c) => c.result !== 'fail')).toBe(true);
  });

  it('explains a mistyped citizen ID as a citizen ID, not as a unified code', () => {
    // A real birth date and a wrong check character: valid as neither kind.
    const result = validate('441302195001010000', { nowMs: NOW });
    expect(result).toMatchObject({ kind: 'citizen_id', valid: false, alternatives: [] });
    expect(result.checks.filter((c) => c.result === 'fail').map((c) => c.name)).toEqual(['check_char']);
  });
});

describe('normalisation', () => {
  it('trims, converts full width, upper-cases and removes inner spaces, reporting each change', () => {
    const result = validate(' ９１３５０１００ｍ０００ １００ｙ４３\u3000');
    expect(result.normalized).toBe('91350100M000100Y43');
    expect(result.valid).toBe(true);
    expect(result.changes.map((c) => c.rule)).toEqual(['trim', 'nfkc', 'upper_case', 'inner_space']);
  });

  it('reports no change for a clean value', () => {
    expect(validate('91350100M000100Y43').changes).toEqual([]);
  });
});

describe('bad input is a failed check, never an exception', () => {
  it('echoes no more than the first 64 characters of an overlong value', () => {
    expect(validate('9'.repeat(100_000)).input).toBe(`${'9'.repeat(MAX_INPUT_LENGTH)}…`);
  });

  const cases: Array<[string, string, RegExp]> = [
    ['', 'length', /empty/],
    ['   ', 'length', /empty/],
    ['x'.repeat(MAX_INPUT_LENGTH + 1), 'length', /65 characters, longer than 64/],
    ['9135\t0100M000100Y43', 'characters', /control character U\+0009 at position 5/],
    ['9135\u000b0100M000100Y43', 'characters', /control character U\+000B at position 5/],
    ['91350100\r\nM000100Y43', 'characters', /control character U\+000D at position 9/],
    ['91350100\uFEFFM000100Y43', 'characters', /U\+FEFF/],
    ['9135\u0000100M000100Y43', 'characters', /control character U\+0000 at position 5/],
    ['\uD800913501', 'characters', /lone surrogate/],
    ['91350100M000100Y4\uFFFD', 'characters', /wrong encoding/],
    ['91350100М000100Y43', 'characters', /Cyrillic/], // the 9th character is a Cyrillic Em
    ['91350100M000100Y4三', 'characters', /Chinese character/],
    ['9.13501E+17', 'characters', /scientific notation/],
    ['1234567890', 'length', /10 characters: no kind of code has that length/],
  ];
  it.each(cases)('%j fails %s', (input, check, message) => {
    const result = validate(input);
    expect(result.valid).toBe(false);
    expect(result.kind).toBe('unknown');
    expect(result.checks).toHaveLength(1);
    expect(result.checks[0]?.name).toBe(check);
    expect(result.checks[0]?.result).toBe('fail');
    expect(presentValidation(result, 'en').checks[0]?.message).toMatch(message);
  });
});
