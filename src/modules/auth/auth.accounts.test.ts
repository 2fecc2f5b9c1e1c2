/**
 * Accounts over HTTP: the administrator's list, reset, disable and enable; a person's own change of
 * password and second factor; and production, where an administrator must have a second factor.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { sessionCookie } from '../../../test/support/session.ts';
import { totpCode } from './auth.totp.ts';
import type { Actor } from './auth.types.ts';

const OPERATOR: Actor = { kind: 'system', name: 'test' };
const PASSWORD = 'correct horse battery';

let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await sessionCookie(t.app, 'admin');
});

afterAll(async () => {
  await t.close();
});

async function newUser(app: TestApp, username: string, role = 'auditor'): Promise<number> {
  const { id } = await app.container.auth.createUser(OPERATOR, {
    username,
    displayName: username,
    password: PASSWORD,
    role: role as 'auditor',
  });
  return id;
}

async function signIn(
  app: TestApp,
  username: string,
  password = PASSWORD,
  extra: Record<string, string> = {},
  headers: Record<string, string> = {},
) {
  const res = await app.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password, ...extra },
    headers,
  });
  return { res, cookie: String(res.headers['set-cookie']).split(';')[0] ?? '' };
}

const post = (
  app: TestApp,
  url: string,
  cookie: string,
  payload?: object,
  headers: Record<string, string> = {},
) =>
  app.app.inject({
    method: 'POST',
    url,
    headers: { cookie, ...headers },
    ...(payload === undefined ? {} : { payload }),
  });
const get = (app: TestApp, url: string, cookie: string, headers: Record<string, string> = {}) =>
  app.app.inject({ method: 'GET', url, headers: { cookie, ...headers } });

describe('the administrator', () => {
  it('lists accounts, never a hash or a secret, and the list is hidden from everyone else', async () => {
    await newUser(t, 'listed.one');
    const res = await get(t, '/api/users', admin);
    expect(res.statusCode).toBe(200);
    const users = res.json<Array<Record<string, unknown>>>();
    expect(users.find((u) => u.username === 'listed.one')).toMatchObject({
      role: 'auditor',
      status: 'active',
      demo: false,
      mustChangePassword: false,
      totpEnabled: false,
    });
    expect(users.find((u) => u.username === 'admin')).toMatchObject({ demo: true, role: 'platform_admin' });
    expect(res.body).not.toMatch(/argon2|password_hash|totp_secret|passwordHash/);
    const clerk = await sessionCookie(t.app, 'clerk.scjg');
    const denied = await get(t, '/api/users', clerk);
    expect(denied.statusCode).toBe(404);
    expect(denied.body).toBe((await t.app.inject({ method: 'GET', url: '/api/users' })).body);
  });

  it('resets a password: shown once, to be changed at the next sign-in, the sessions ended', async () => {
    const id = await newUser(t, 'reset.me');
    const { cookie: before } = await signIn(t, 'reset.me');
    const res = await post(t, `/api/users/${id}/reset-password`, admin);
    expect(res.statusCode).toBe(200);
    const { password, sessionsEnded, user } = res.json<{
      password: string;
      sessionsEnded: number;
      user: { mustChangePassword: boolean };
    }>();
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(sessionsEnded).toBe(1);
    expect(user.mustChangePassword).toBe(true);
    expect((await get(t, '/api/auth/me', before)).json()).toEqual({ kind: 'public' });
    expect((await signIn(t, 'reset.me')).res.statusCode).toBe(401);

    // Signed in with it, the person can change the password and nothing else.
    const { res: signedIn, cookie } = await signIn(t, 'reset.me', password);
    expect(signedIn.json()).toMatchObject({ mustChangePassword: true, mustEnrolTotp: false });
    expect((await get(t, '/api/auth/me', cookie)).json()).toMatchObject({ mustChangePassword: true });
    for (const [method, url] of [
      ['GET', '/api/audit'],
      ['GET', '/api/departments'],
      ['POST', '/api/checks'],
    ] as const) {
      const refused = await t.app.inject({ method, url, headers: { cookie } });
      expect(refused.statusCode, url).toBe(403);
      expect(refused.json(), url).toMatchObject({
        error: 'forbidden',
        rule: 'auth.password_change_required',
      });
    }
    const changed = await post(t, '/api/auth/password', cookie, {
      currentPassword: password,
      newPassword: 'my own new password',
    });
    expect(changed.statusCode).toBe(200);
    expect((await get(t, '/api/auth/me', cookie)).json()).toMatchObject({ mustChangePassword: false });
    expect((await get(t, '/api/audit', cookie)).statusCode).toBe(200);
    const events = await sql<{ action: string; details: unknown }>`
      select action, details from audit_event where target_id = 'reset.me' order by seq`.execute(
      t.container.database.db,
    );
    expect(events.rows.map((e) => e.action)).toEqual([
      'user.create',
      'auth.login',
      'user.reset_password',
      'auth.login_failed',
      'auth.login',
      'auth.password_change',
    ]);
    expect(JSON.stringify(events.rows)).not.toContain(password);
  });

  it('disables an account, ending its sessions, and enables it again', async () => {
    const id = await newUser(t, 'disable.me');
    const { cookie } = await signIn(t, 'disable.me');
    const disabled = await post(t, `/api/users/${id}/disable`, admin);
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({ username: 'disable.me', status: 'disabled' });
    expect((await get(t, '/api/auth/me', cookie)).json()).toEqual({ kind: 'public' });
    const refused = await signIn(t, 'disable.me');
    expect(refused.res.statusCode).toBe(401);
    expect(refused.res.json()).toMatchObject({ rule: 'auth.credentials' });
    const again = await post(t, `/api/users/${id}/disable`, admin);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ rule: 'user.disabled', field: 'username', value: 'disable.me' });
    const enabled = await post(t, `/api/users/${id}/enable`, admin);
    expect(enabled.json()).toMatchObject({ status: 'active', disabledAt: null });
    expect((await signIn(t, 'disable.me')).res.statusCode).toBe(200);
    const actions = await sql<{ action: string; reason: string | null }>`
      select action, details->>'reason' as reason from audit_event
      where target_id = 'disable.me' and action <> 'user.create' order by seq`.execute(
      t.container.database.db,
    );
    expect(actions.rows).toEqual([
      { action: 'auth.login', reason: null },
      { action: 'user.disable', reason: null },
      { action: 'auth.login_failed', reason: 'disabled' },
      { action: 'user.enable', reason: null },
      { action: 'auth.login', reason: null },
    ]);
  });

  it('does not reset or disable their own account, and others may do neither', async () => {
    const self = await t.container.accounts.list(OPERATOR);
    const adminId = self.find((u) => u.username === 'admin')?.id ?? 0;
    const own = await post(t, `/api/users/${adminId}/disable`, admin);
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({ rule: 'user.self' });
    expect((await post(t, `/api/users/${adminId}/reset-password`, admin)).json()).toMatchObject({
      rule: 'user.self',
    });
    expect((await post(t, '/api/users/999999/disable', admin)).statusCode).toBe(404);
    const reviewer = await sessionCookie(t.app, 'reviewer.scjg');
    const refused = await post(t, `/api/users/${adminId}/reset-password`, reviewer);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ rule: 'policy.role' });
  });
});

describe("one's own password", () => {
  it('is changed given the current one; the other sessions end, this one goes on', async () => {
    await newUser(t, 'change.me');
    const { cookie } = await signIn(t, 'change.me');
    const { cookie: elsewhere } = await signIn(t, 'change.me');
    const bad = async (payload: object) =>
      (await post(t, '/api/auth/password', cookie, payload)).json<Record<string, unknown>>();
    expect(await bad({ currentPassword: PASSWORD, newPassword: 'too short' })).toEqual({
      error: 'validation_failed',
      message: 'newPassword: at least 12 characters',
      field: 'newPassword',
      rule: 'too_small',
    });
    expect(await bad({ currentPassword: PASSWORD, newPassword: PASSWORD })).toEqual({
      error: 'validation_failed',
      message: 'newPassword: must not be the current password',
      field: 'newPassword',
      rule: 'password.reuse',
    });
    const wrong = await post(t, '/api/auth/password', cookie, {
      currentPassword: 'not my password',
      newPassword: 'a fine new password',
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toEqual({
      error: 'forbidden',
      message: 'currentPassword: the password is wrong',
      field: 'currentPassword',
      rule: 'auth.credentials',
    });
    expect(wrong.body).not.toContain('not my password');
    const ok = await post(t, '/api/auth/password', cookie, {
      currentPassword: PASSWORD,
      newPassword: 'a fine new password',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ sessionsEnded: 1 });
    expect((await get(t, '/api/auth/me', cookie)).json()).toMatchObject({ username: 'change.me' });
    expect((await get(t, '/api/auth/me', elsewhere)).json()).toEqual({ kind: 'public' });
    expect((await signIn(t, 'change.me')).res.statusCode).toBe(401);
    expect((await signIn(t, 'change.me', 'a fine new password')).res.statusCode).toBe(200);
  });

  it('refuses the username as the new password, naming the rule', async () => {
    await newUser(t, 'long.username.here');
    const { cookie } = await signIn(t, 'long.username.here');
    const res = await post(t, '/api/auth/password', cookie, {
      currentPassword: PASSWORD,
      newPassword: 'Long.Username.Here',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'validation_failed',
      message: 'newPassword: must not be the username',
      field: 'newPassword',
      rule: 'password.username',
    });
  });

  it('is no business of a system: an API token has none', async () => {
    const { token } = await t.container.auth.createToken(OPERATOR, {
      name: 'x',
      role: 'data_clerk',
      department: 'FZ-SCJG',
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/setup',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ rule: 'account.person' });
  });
});

describe('a second factor over HTTP', () => {
  it('is set up, confirmed, then asked for at sign-in', async () => {
    await newUser(t, 'totp.user');
    const { cookie } = await signIn(t, 'totp.user');
    const setup = await post(t, '/api/auth/totp/setup', cookie);
    expect(setup.statusCode).toBe(200);
    const { secret, uri } = setup.json<{ secret: string; uri: string }>();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toBe(
      `otpauth://totp/Xinyong:totp.user?issuer=Xinyong&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    );
    const bad = await post(t, '/api/auth/totp/confirm', cookie, { totp: '12345' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'totp', rule: 'invalid_format' });
    expect(bad.json()).not.toHaveProperty('value');
    const now = new Date();
    const confirmed = await post(t, '/api/auth/totp/confirm', cookie, { totp: totpCode(secret, now) });
    expect(confirmed.json()).toMatchObject({ totpEnabled: true });
    const missing = await signIn(t, 'totp.user');
    expect(missing.res.statusCode).toBe(401);
    expect(missing.res.json()).toMatchObject({ error: 'unauthorized', field: 'totp', rule: 'auth.totp' });
    // The next step's code: the one confirmed is used.
    const next = totpCode(secret, new Date(now.getTime() + 30_000));
    const ok = await signIn(t, 'totp.user', PASSWORD, { totp: next });
    expect(ok.res.statusCode).toBe(200);
    const replay = await signIn(t, 'totp.user', PASSWORD, { totp: next });
    expect(replay.res.statusCode).toBe(401);
    expect(replay.res.json()).toMatchObject({ rule: 'auth.totp' });
    expect((await get(t, '/api/users', admin)).json<Array<Record<string, unknown>>>()).toContainEqual(
      expect.objectContaining({ username: 'totp.user', totpEnabled: true }),
    );
  });
});

describe('production', () => {
  let prod: TestApp;
  const https = { 'x-forwarded-proto': 'https' };

  beforeAll(async () => {
    prod = await createTestApp({
      fresh: true,
      // As loadConfig() sets it up for XINYONG_MODE=production (config.test.ts).
      configure: (c) => ({
        ...c,
        mode: 'production',
        http: { ...c.http, trustProxy: ['127.0.0.1'] },
        signIn: { ...c.signIn, requireSecondFactor: 'admins' },
      }),
    });
  });

  afterAll(async () => {
    await prod.close();
  });

  it('has an administrator set up a second factor before anything else, then asks for it', async () => {
    await newUser(prod, 'root.admin', 'platform_admin');
    const first = await signIn(prod, 'root.admin', PASSWORD, {}, https);
    expect(first.res.statusCode).toBe(200);
    expect(first.res.json()).toMatchObject({ mustEnrolTotp: true, mustChangePassword: false });
    const refused = await get(prod, '/api/users', first.cookie, https);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: 'forbidden', rule: 'auth.totp_required' });
    const setup = await post(prod, '/api/auth/totp/setup', first.cookie, undefined, https);
    const { secret } = setup.json<{ secret: string }>();
    const now = new Date();
    await post(prod, '/api/auth/totp/confirm', first.cookie, { totp: totpCode(secret, now) }, https);
    // The same session goes on, now with everything the role allows.
    expect((await get(prod, '/api/users', first.cookie, https)).statusCode).toBe(200);
    const without = await signIn(prod, 'root.admin', PASSWORD, {}, https);
    expect(without.res.json()).toMatchObject({ rule: 'auth.totp' });
    const next = totpCode(secret, new Date(now.getTime() + 30_000));
    const withCode = await signIn(prod, 'root.admin', PASSWORD, { totp: next }, https);
    expect(withCode.res.json()).toMatchObject({ mustEnrolTotp: false });
  });
});
