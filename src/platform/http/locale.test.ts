/**
 * The generic errors speak the caller's language: the configured default (here Chinese, as the
 * platform ships), English when Accept-Language asks for it. Codes and rules never change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { NotFoundError, RateLimitedError, ValidationError } from '../errors.ts';

let chinese: TestApp;

beforeAll(async () => {
  chinese = await createTestApp({ configure: (config) => ({ ...config, locale: 'zh-CN' }) });
});

afterAll(async () => {
  await chinese.close();
});

describe('the language of an error', () => {
  it('is the configured default when the request asks for none, English when it asks for English', async () => {
    const zh = await chinese.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(zh.statusCode).toBe(404);
    expect(zh.json()).toEqual({ error: 'not_found', message: '未找到，或无权访问' });

    const en = await chinese.app.inject({
      method: 'GET',
      url: '/api/nothing-here',
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(en.json()).toEqual({ error: 'not_found', message: 'Not found or no access' });
  });

  it('changes the words of a framework refusal, never its code or rule', async () => {
    const send = (headers: Record<string, string>) =>
      chinese.app.inject({
        method: 'POST',
        url: '/api/identifiers/validate',
        headers: { 'content-type': 'application/json', ...headers },
        payload: '{"values": [',
      });
    const zh = await send({});
    const en = await send({ 'accept-language': 'en' });
    expect(zh.statusCode).toBe(400);
    expect(zh.json()).toEqual({
      error: 'invalid_request',
      message: '请求体不是有效的 JSON',
      rule: 'http.json',
    });
    expect(en.json()).toEqual({
      error: 'invalid_request',
      message: 'the body is not valid JSON',
      rule: 'http.json',
    });
  });

  it('says why text cannot be stored, and why a body does not fit its schema, in the default language', async () => {
    const signIn = (payload: Record<string, string>, headers: Record<string, string> = {}) =>
      chinese.app.inject({ method: 'POST', url: '/api/auth/login', headers, payload });
    const nul = { username: 'a\u0000b', password: 'x' };
    expect((await signIn(nul)).json()).toEqual({
      error: 'validation_failed',
      message: 'username：值中含有位于第 2 位的 NUL 字符（U+0000）：这是二进制数据，而非文本',
      field: 'username',
      value: 'a\uFFFDb',
      rule: 'text.nul',
    });
    expect((await signIn(nul, { 'accept-language': 'en' })).json()).toMatchObject({
      message: 'username: the value contains a NUL character (U+0000) at position 2: binary data, not text',
      rule: 'text.nul',
    });
    const tooLong = { username: 'x'.repeat(65), password: 'x' };
    expect((await signIn(tooLong)).json()).toMatchObject({
      error: 'validation_failed',
      message: 'username：最多 64 个字符',
      field: 'username',
      rule: 'too_big',
    });
    expect((await signIn(tooLong, { 'accept-language': 'en' })).json()).toMatchObject({
      message: 'username: at most 64 characters',
    });
  });

  it('renders an error with a catalogue key in the language asked for, one without as written', () => {
    const keyed = new RateLimitedError(
      { key: 'errors.rate_limit.public', params: { max: 3, seconds: 60 } },
      { rule: 'public.rate_limit' },
    );
    expect(keyed.message).toBe('too many requests: at most 3 a minute from one client; retry in 60 s');
    expect(keyed.toBody('zh-CN')).toEqual({
      error: 'rate_limited',
      message: '请求过于频繁：每个客户端每分钟最多 3 次；请在 60 秒后重试',
      rule: 'public.rate_limit',
    });
    expect(new NotFoundError().toBody('zh-CN').message).toBe('未找到，或无权访问');
    // Not yet in the catalogue: the same words in every language until its service moves over.
    expect(new ValidationError('name: required', { field: 'name' }).toBody('zh-CN')).toEqual({
      error: 'validation_failed',
      message: 'name: required',
      field: 'name',
    });
  });
});
