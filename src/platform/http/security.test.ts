/**
 * What a browser is told: no sniffing, no referrer, the content security policy, nothing that is
 * not public in a cache, no cross-origin reads unless configured; and secrets never echoed.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainer } from '../../container.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { createTestDatabase, testConfig } from '../../../test/support/database.ts';
import { capturedLogger } from '../../../test/support/log-capture.ts';

const POLICY =
  "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data:;object-src 'none';base-uri 'self';frame-ancestors 'none'";

const { logger, lines: logLines } = capturedLogger('info');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ logger });
});

afterAll(async () => {
  await t.close();
});

describe('security headers', () => {
  it('every answer: nosniff, no referrer, the content security policy, no framing', async () => {
    for (const url of ['/api/health', '/api/catalog', '/api/nothing-here', '/api/audit']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['content-security-policy']).toBe(POLICY);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('sends Strict-Transport-Security only over HTTPS, and takes no untrusted word for it', async () => {
    // No proxy is trusted here: X-Forwarded-Proto from the client is not believed.
    const claimed = await t.app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(claimed.headers['strict-transport-security']).toBeUndefined();
    const db = await createTestDatabase();
    const base = testConfig(db);
    const container = await createContainer({ ...base, http: { ...base.http, trustProxy: ['127.0.0.1'] } });
    const app = await container.buildHttpServer();
    try {
      for (const url of ['/api/health', '/api/nothing-here', '/api/docs/']) {
        const https = await app.inject({ method: 'GET', url, headers: { 'x-forwarded-proto': 'https' } });
        expect(https.headers['strict-transport-security'], url).toBe('max-age=31536000; includeSubDomains');
        const http = await app.inject({ method: 'GET', url });
        expect(http.headers['strict-transport-security'], url).toBeUndefined();
      }
    } finally {
      await app.close();
      await container.close();
      await db.drop();
    }
  });

  it('keeps nothing in a cache but the public answers, and no error at all', async () => {
    const cache = async (url: string) =>
      (await t.app.inject({ method: 'GET', url })).headers['cache-control'];
    expect(await cache('/api/catalog')).toBe('public, max-age=60');
    expect(await cache('/api/measures')).toBe('public, max-age=60');
    expect(await cache('/api/public/subjects?q=%E7%A6%8F%E5%B7%9E')).toBe('public, max-age=60');
    expect(await cache('/api/public/subjects/91350100M000100Y43')).toBe('no-store'); // a 404
    expect(await cache('/api/health')).toBe('no-store');
    expect(await cache('/api/auth/me')).toBe('no-store');
    expect(await cache('/api/subjects/91350100M000100Y43/file')).toBe('no-store');
  });

  it('gives the API viewer its own policy, with nothing upgraded to https on a plain address', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    const policy = String(res.headers['content-security-policy']);
    expect(policy).toMatch(/script-src 'self'/);
    expect(policy).not.toContain('upgrade-insecure-requests');
    expect(policy).toContain("frame-ancestors 'none'");
  });

  it('answers no cross-origin read unless the origin is on the configured list', async () => {
    const preflight = (app: TestApp['app'], origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/api/catalog',
        headers: { origin, 'access-control-request-method': 'GET' },
      });
    expect(
      (await preflight(t.app, 'https://elsewhere.example')).headers['access-control-allow-origin'],
    ).toBeUndefined();
    const db = await createTestDatabase();
    const base = testConfig(db);
    const container = await createContainer({
      ...base,
      http: { ...base.http, corsOrigins: ['https://portal.example.gov.cn'] },
    });
    const app = await container.buildHttpServer();
    try {
      const allowed = await preflight(app, 'https://portal.example.gov.cn');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://portal.example.gov.cn');
      expect(allowed.headers['access-control-allow-credentials']).toBe('true');
      expect(
        (await preflight(app, 'https://elsewhere.example')).headers['access-control-allow-origin'],
      ).toBeUndefined();
    } finally {
      await app.close();
      await container.close();
      await db.drop();
    }
  });
});

describe('secrets', () => {
  it('never echoes a password in an error, a log line or an audit event', async () => {
    const secret = `S3cret-${'p'.repeat(300)}`;
    const tooLong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: secret },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()).toMatchObject({ field: 'password' });
    expect(tooLong.body).not.toContain('S3cret');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'S3cret-wrong-one' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).not.toContain('S3cret');
    const events = await sql<{ details: unknown }>`select details from audit_event`.execute(
      t.container.database.db,
    );
    expect(JSON.stringify(events.rows)).not.toContain('S3cret');

    t.container.logger.error({
      password: 'S3cret-a',
      body: { token: 'S3cret-b', user: { password: 'S3cret-c' } },
    });
    expect(logLines.join('')).not.toContain('S3cret');
    expect(logLines.join('')).toContain('[redacted]');
  });
});
