/**
 * Signing in over plain HTTP and behind a reverse proxy: when the session cookie is Secure, whose
 * word about the protocol and the client's address is believed, the per-address limit on sign-in,
 * Strict-Transport-Security, and production's refusal of a sign-in over plain HTTP.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { DEMO_PASSWORD } from './auth.demo.ts';

const PROXY = '10.0.0.2';
const viaProxy = (client: string) => ({
  remoteAddress: PROXY,
  headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': client },
});

let demo: TestApp;

beforeAll(async () => {
  demo = await createTestApp({
    // The public API's limit on too, as in production: two limiters, each on its own routes.
    configure: (c) => ({
      ...c,
      http: { ...c.http, trustProxy: [PROXY], loginRateLimit: 3, publicRateLimit: 100 },
    }),
  });
});

afterAll(async () => {
  await demo.close();
});

function login(
  t: TestApp,
  from: { remoteAddress?: string; headers?: Record<string, string> } = {},
  username = 'auditor',
  password = DEMO_PASSWORD,
) {
  return t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
    ...from,
  });
}

/** The details of the newest audit event of `action`. */
async function lastEvent(t: TestApp, action: string): Promise<Record<string, unknown> | undefined> {
  const { rows } = await sql<{ details: Record<string, unknown> }>`
    select details from audit_event where action = ${action} order by seq desc limit 1`.execute(
    t.container.database.db,
  );
  return rows[0]?.details;
}

describe('the session cookie', () => {
  it('is not Secure over plain HTTP in demo mode, so that a browser keeps it on any host', async () => {
    const res = await login(demo, { remoteAddress: '192.168.1.20', headers: { host: 'xinyong.lan:3000' } });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^xinyong_session=xy_/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).not.toContain('Secure');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    // And the browser, sending it back, is still known.
    const me = await demo.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: cookie.split(';')[0] ?? '' },
    });
    expect(me.json()).toMatchObject({ kind: 'user', username: 'auditor' });
  });

  it('is Secure, with Strict-Transport-Security, over HTTPS through a trusted proxy', async () => {
    const res = await login(demo, viaProxy('203.0.113.7'));
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it("is not Secure when X-Forwarded-Proto comes from an address that is not the proxy's", async () => {
    const res = await login(demo, {
      remoteAddress: '10.9.9.9',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' },
    });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'])).not.toContain('Secure');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});

describe("the client's address", () => {
  it('is the one X-Forwarded-For names only when the proxy is trusted', async () => {
    await login(demo, viaProxy('203.0.113.10'));
    expect(await lastEvent(demo, 'auth.login')).toMatchObject({ address: '203.0.113.10' });
    await login(demo, {
      remoteAddress: '10.9.9.10',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.11' },
    });
    expect(await lastEvent(demo, 'auth.login')).toMatchObject({ address: '10.9.9.10' });
    await login(demo, viaProxy('203.0.113.12'), 'auditor', 'not the password');
    expect(await lastEvent(demo, 'auth.login_failed')).toMatchObject({
      address: '203.0.113.12',
      reason: 'wrong_password',
    });
  });

  it('is what the sign-in limit counts: a client behind the proxy, not the proxy', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push((await login(demo, viaProxy('198.51.100.1'))).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await login(demo, viaProxy('198.51.100.1'));
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({
      error: 'rate_limited',
      message: expect.stringMatching(
        /^too many sign-in attempts: at most 3 a minute from one address; retry in/,
      ) as unknown,
      rule: 'auth.rate_limit',
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another client behind the same proxy signs in; other routes are not limited.
    expect((await login(demo, viaProxy('198.51.100.2'))).statusCode).toBe(200);
    const other = await demo.app.inject({ method: 'GET', url: '/api/catalog', ...viaProxy('198.51.100.1') });
    expect(other.statusCode).toBe(200);
  });
});

describe('a hop count', () => {
  it('believes as many proxies as it counts, so that a client cannot write its own address in', async () => {
    const hops = await createTestApp({
      configure: (c) => ({ ...c, http: { ...c.http, trustProxy: 1 } }),
    });
    try {
      const res = await login(hops, {
        remoteAddress: PROXY,
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '1.2.3.4, 203.0.113.50' },
      });
      expect(String(res.headers['set-cookie'])).toContain('Secure');
      expect(await lastEvent(hops, 'auth.login')).toMatchObject({ address: '203.0.113.50' });
    } finally {
      await hops.close();
    }
  });
});

describe('production over plain HTTP', () => {
  let prod: TestApp;

  beforeAll(async () => {
    prod = await createTestApp({
      fresh: true,
      configure: (c) => ({ ...c, mode: 'production', http: { ...c.http, trustProxy: true } }),
    });
    await prod.container.auth.createUser(
      { kind: 'system', name: 'test' },
      { username: 'auditor.one', displayName: '审计员', password: 'a long enough password', role: 'auditor' },
    );
  });

  afterAll(async () => {
    await prod.close();
  });

  it('refuses a sign-in with the rule, before reading the body, and writes nothing', async () => {
    const before = await sql<{ n: number }>`
      select (select count(*) from audit_event) + (select count(*) from user_session) as n`.execute(
      prod.container.database.db,
    );
    const refused = await login(prod, {}, 'auditor.one', 'a long enough password');
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({
      error: 'forbidden',
      message: expect.stringContaining('serve the platform over HTTPS') as unknown,
      rule: 'auth.https_required',
    });
    expect(refused.json<{ message: string }>().message).toContain('XINYONG_TRUST_PROXY');
    expect(refused.headers['set-cookie']).toBeUndefined();
    const malformed = await prod.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": ',
    });
    expect(malformed.json()).toMatchObject({ rule: 'auth.https_required' });
    const after = await sql<{ n: number }>`
      select (select count(*) from audit_event) + (select count(*) from user_session) as n`.execute(
      prod.container.database.db,
    );
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('signs in over HTTPS, with a Secure cookie and Strict-Transport-Security', async () => {
    const res = await login(
      prod,
      { headers: { 'x-forwarded-proto': 'https' } },
      'auditor.one',
      'a long enough password',
    );
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'])).toContain('Secure');
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const plain = await prod.app.inject({ method: 'GET', url: '/api/health' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });
});
