import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

const post = (payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/identifiers/validate', payload });

describe('POST /api/identifiers/validate', () => {
  it('validates one value', async () => {
    const res = await post({ value: ' 91350100m000100y43 ' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      input: ' 91350100m000100y43 ',
      normalized: '91350100M000100Y43',
      kind: 'uscc',
      valid: true,
      changes: [{ rule: 'trim' }, { rule: 'upper_case' }],
      parts: { division: '350100', orgCode: 'M000100Y4' },
      alternatives: [],
    });
  });

  it('validates a batch, one result per value in order, bad values as failed checks', async () => {
    const values = [
      '91350100M000100Y43',
      '91350100M000100Y4Z',
      '11010519491231002X',
      '',
      '\u0000\u0001',
      '77604965-3',
    ];
    const res = await post({ values });
    expect(res.statusCode).toBe(200);
    const { results } = res.json<{ results: Array<{ input: string; kind: string; valid: boolean }> }>();
    expect(results.map((r) => [r.input, r.kind, r.valid])).toEqual([
      ['91350100M000100Y43', 'uscc', true],
      ['91350100M000100Y4Z', 'uscc', false],
      ['11010519491231002X', 'citizen_id', true],
      ['', 'unknown', false],
      ['\u0000\u0001', 'unknown', false],
      ['77604965-3', 'org_code', true],
    ]);
  });

  it('answers an overlong value with its own failed check, keeping the rest of the batch', async () => {
    const res = await post({ values: ['91350100M000100Y43', 'x'.repeat(5000)] });
    expect(res.statusCode).toBe(200);
    const { results } = res.json<{
      results: Array<{ input: string; valid: boolean; checks: Array<{ message: string }> }>;
    }>();
    expect(results[0]?.valid).toBe(true);
    expect(results[1]?.valid).toBe(false);
    expect(results[1]?.input).toHaveLength(65);
    expect(results[1]?.checks[0]?.message).toBe('5000 characters, longer than 64; the longest code has 18');
  });

  it('never returns the birth date or sex of a citizen ID', async () => {
    const res = await post({ value: '11010519491231002X' });
    // The caller's own value is echoed; nothing else may carry the facts derived from it.
    const { input, normalized, ...rest } = res.json<Record<string, unknown>>();
    expect([input, normalized]).toEqual(['11010519491231002X', '11010519491231002X']);
    expect(JSON.stringify(rest)).not.toMatch(/1949|"birthDate"|"sex"|female/i);
  });

  it('caps a batch at 1,000 values', async () => {
    const ok = await post({ values: Array.from({ length: 1000 }, () => '91350100M000100Y43') });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<{ results: unknown[] }>().results).toHaveLength(1000);
    const tooMany = await post({ values: Array.from({ length: 1001 }, () => '91350100M000100Y43') });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json()).toMatchObject({
      error: 'validation_failed',
      field: 'values',
      rule: 'too_big',
      message: 'values: at most 1000 values per request',
    });
  });

  it('refuses a body that is neither { value } nor { values }', async () => {
    for (const payload of [{}, { value: 42 }, { value: 'a', values: ['b'] }, { values: [] }]) {
      const res = await post(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json()).toMatchObject({ error: 'validation_failed' });
    }
  });
});
