import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createTestDatabase, testConfig } from '../../../test/support/database.ts';
import { createContainer, StartupRefusedError } from '../../container.ts';
import { DEMO_PASSWORD } from './auth.demo.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ fresh: true });
});

afterAll(async () => {
  await t.close();
});

async function login(username: string): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: DEMO_PASSWORD },
  });
  expect(res.statusCode).toBe(200);
  const cookie = String(res.headers['set-cookie']);
  return cookie.split(';')[0] ?? '';
}

describe('sign-in over HTTP', () => {
  it('sets an HTTP-only, same-site session cookie and knows who is calling', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'reviewer.scjg', password: DEMO_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^xinyong_session=xy_[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    // Over plain HTTP in demo mode: a Secure cookie would be dropped by the browser (auth.transport.test.ts).
    expect(cookie).not.toContain('Secure');
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: cookie.split(';')[0] ?? '' },
    });
    expect(me.json()).toEqual({
      kind: 'user',
      username: 'reviewer.scjg',
      role: 'reviewer',
      department: 'FZ-SCJG',
      mustChangePassword: false,
      mustEnrolTotp: false,
    });
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me' })).json()).toEqual({ kind: 'public' });
  });

  it('ends the session on logout', async () => {
    const cookie = await login('auditor');
    await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).json()).toEqual({
      kind: 'public',
    });
  });
});

describe('refusals', () => {
  it('answers a denied read byte for byte like a missing thing', async () => {
    const reviewer = await login('reviewer.scjg');
    const admin = await login('admin');
    const denied = await t.app.inject({
      method: 'GET',
      url: '/api/tokens?department=FZ-SW',
      headers: { cookie: reviewer },
    });
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/tokens/999999/revoke',
      headers: { cookie: admin },
    });
    const noRoute = await t.app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(denied.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(denied.body).toBe(missing.body);
    expect(denied.body).toBe(noRoute.body);
  });

  it('asks the public to sign in, and names the rule that refuses a signed-in person', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/departments' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: 'unauthorized', rule: 'auth.required' });
    const clerk = await login('clerk.sw');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/departments',
      headers: { cookie: clerk },
      payload: { code: 'X-1', name: '某局', division: '350100', level: 'county' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      error: 'forbidden',
      message: 'the role data_clerk may not organisation.manage',
      rule: 'policy.role',
    });
  });

  it('refuses a revoked bearer token by its rule, and serves a valid one', async () => {
    const admin = await login('admin');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { cookie: admin },
      payload: { name: '税务报送', role: 'data_clerk', department: 'FZ-SW' },
    });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json<{ token: string; id: number }>();
    const bearer = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer })).json()).toEqual({
      kind: 'token',
      role: 'data_clerk',
      department: 'FZ-SW',
    });
    await t.app.inject({ method: 'POST', url: `/api/tokens/${id}/revoke`, headers: { cookie: admin } });
    const refused = await t.app.inject({ method: 'GET', url: '/api/catalog', headers: bearer });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ error: 'unauthorized', rule: 'token.revoked' });
  });

  it('stops serving a token revoked by another server within a second', async () => {
    const admin = await login('admin');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { cookie: admin },
      payload: { name: '另一台服务器撤销', role: 'data_clerk', department: 'FZ-SW' },
    });
    const { token, id } = created.json<{ token: string; id: number }>();
    const bearer = { authorization: `Bearer ${token}` };
    const me = () => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer });
    expect((await me()).statusCode).toBe(200); // the token is now kept in this process
    // Another server revokes it: the row changes, this process is not told.
    await t.container.database.db
      .updateTable('api_token')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .execute();
    const revokedAt = performance.now();
    const late: number[] = [];
    while (performance.now() - revokedAt < 1_500) {
      const began = performance.now() - revokedAt;
      const res = await me();
      if (began >= 1_000) {
        late.push(res.statusCode);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // Every request that arrived a second or more after the revocation was refused.
    expect(late.length).toBeGreaterThan(0);
    expect(new Set(late)).toEqual(new Set([401]));
  });

  it('validates a new department, naming the field', async () => {
    const admin = await login('admin');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/departments',
      headers: { cookie: admin },
      payload: { code: 'FZ-HB', name: '福州市生态环境局', division: '990000', level: 'prefectural' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'division', value: '990000' });
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/departments',
      headers: { cookie: admin },
      payload: {
        code: 'FZ-HB',
        name: '福州市生态环境局',
        division: '350100',
        level: 'prefectural',
        domains: ['environment'],
        uscc: '113501000036641603',
      },
    });
    expect(ok.statusCode).toBe(201);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/departments',
      headers: { cookie: admin },
      payload: {
        code: 'FZ-HB',
        name: '福州市生态环境局',
        division: '350100',
        level: 'prefectural',
        uscc: '113501000036641603',
      },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ rule: 'department.unique' });
  });
});

describe('the language of an answer', () => {
  it('is Chinese when asked for, English when asked for; the rule and field are the same in both', async () => {
    const signIn = (language: string, payload: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'accept-language': language },
        payload,
      });
    const wrongZh = await signIn('zh-CN', { username: 'nobody.here', password: 'not the password' });
    expect(wrongZh.statusCode).toBe(401);
    expect(wrongZh.json()).toEqual({
      error: 'unauthorized',
      message: '用户名或密码错误',
      rule: 'auth.credentials',
    });
    const wrongEn = await signIn('en', { username: 'nobody.here', password: 'not the password' });
    expect(wrongEn.json()).toEqual({
      error: 'unauthorized',
      message: 'wrong username or password',
      rule: 'auth.credentials',
    });
    // A schema's reason, from the catalogue: the field named, the reason in the caller's language.
    const badCode = { username: 'nobody.here', password: 'x', totp: '12' };
    expect((await signIn('zh-CN', badCode)).json()).toMatchObject({
      error: 'validation_failed',
      message: 'totp：六位数字，即身份验证器应用显示的验证码',
      field: 'totp',
      rule: 'invalid_format',
    });
    expect((await signIn('en', badCode)).json()).toMatchObject({
      message: 'totp: six digits, as the authenticator app shows them',
      field: 'totp',
      rule: 'invalid_format',
    });
    // zod's own words, in zod's Chinese.
    const missing = await signIn('zh-CN', { username: 'nobody.here' });
    expect(missing.json()).toMatchObject({
      error: 'validation_failed',
      field: 'password',
      rule: 'invalid_type',
    });
    expect(missing.json<{ message: string }>().message).toMatch(/^password：无效输入/);
  });

  it('refuses a reader by the policy in the language asked for', async () => {
    const cookie = await login('auditor');
    const refused = (language: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: { cookie, 'accept-language': language },
        payload: { name: 'x', role: 'data_clerk', department: 'FZ-SCJG' },
      });
    expect((await refused('zh-CN')).json()).toEqual({
      error: 'forbidden',
      message: '角色 auditor 无权执行 token.manage',
      rule: 'policy.role',
    });
    expect((await refused('en')).json()).toEqual({
      error: 'forbidden',
      message: 'the role auditor may not token.manage',
      rule: 'policy.role',
    });
  });
});

describe('demo and production modes', () => {
  it('seeds demo accounts on an empty database, and production refuses to start with them', async () => {
    expect(t.container.demoSeeded).toHaveLength(9);
    expect((await t.container.demoNotice())[0]).toContain(DEMO_PASSWORD);
    const testDb = await createTestDatabase();
    try {
      const demo = await createContainer(testConfig(testDb));
      expect(demo.demoSeeded).toHaveLength(9);
      await demo.close();
      const refused = await createContainer({ ...testConfig(testDb), mode: 'production' }).catch(
        (err: unknown) => err,
      );
      expect(refused).toBeInstanceOf(StartupRefusedError);
      expect((refused as Error).message).toContain('9 demo accounts');
      expect((refused as StartupRefusedError).messageIn('zh-CN')).toBe(
        'XINYONG_MODE=production，但仍有 9 个密码已公开的演示账户：请先用 `xinyong demo remove` 删除',
      );
      const cleanup = await createContainer(testConfig(testDb));
      await cleanup.auth.deleteDemo({ kind: 'system', name: 'test' });
      await cleanup.close();
      const production = await createContainer({ ...testConfig(testDb), mode: 'production' });
      expect(production.demoSeeded).toEqual([]);
      expect(await production.auth.countUsers()).toBe(0);
      expect(await production.demoNotice()).toEqual([]);
      await production.close();
    } finally {
      await testDb.drop();
    }
  });
});
