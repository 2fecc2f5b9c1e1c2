import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';

let t: TestApp;

interface Explained {
  changes: Array<{ rule: string; message: string }>;
  checks: Array<{ name: string; result: string; message: string }>;
}

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

const post = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/identifiers/validate', payload, headers });

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

  it('explains every check and change in the language the caller asks for, codes and rules unchanged', async () => {
    const value = ' 91350100m000100y4z ';
    const zh = (await post({ value }, { 'accept-language': 'zh-CN,zh;q=0.9' })).json<Explained>();
    const en = (await post({ value }, { 'accept-language': 'en' })).json<Explained>();
    expect(zh.changes.map((c) => c.message)).toEqual(['已去除首尾空格', '已将小写字母转换为大写字母']);
    expect(en.changes.map((c) => c.message)).toEqual([
      'removed surrounding spaces',
      'converted lower-case letters to upper case',
    ]);
    const checkChar = (v: Explained) => v.checks.find((c) => c.name === 'check_char');
    expect(checkChar(zh)).toEqual({
      name: 'check_char',
      result: 'fail',
      message: '校验码为 Z，应为 3（GB 32100，模 31）',
    });
    expect(checkChar(en)?.message).toBe('check character is Z, expected 3 (GB 32100 mod 31)');
    expect(zh.checks.map((c) => [c.name, c.result])).toEqual(en.checks.map((c) => [c.name, c.result]));
    // A value with a letter the alphabet leaves out: the message inside the message is Chinese too.
    const alphabet = (await post({ value: '9135010ZM000100Y43' }, { 'accept-language': 'zh' }))
      .json<Explained>()
      .checks.find((c) => c.name === 'alphabet');
    expect(alphabet?.message).toBe('第 8 位的字符“Z”（代码不使用字母 I、O、S、V、Z）不在代码字符集中');
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
    const inChinese = await post(
      { values: Array.from({ length: 1001 }, () => '91350100M000100Y43') },
      { 'accept-language': 'zh-CN' },
    );
    expect(inChinese.json()).toMatchObject({ rule: 'too_big', message: 'values：每次请求最多 1000 个值' });
  });

  it('refuses a body that is neither { value } nor { values }', async () => {
    for (const payload of [{}, { value: 42 }, { value: 'a', values: ['b'] }, { values: [] }]) {
      const res = await post(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json()).toMatchObject({ error: 'validation_failed' });
    }
  });
});
