/**
 * Bad input answers 4xx in the catalogue's shape with a rule, never 500: text PostgreSQL cannot
 * store, dates that are not in the calendar, malformed or oversized bodies, and what Node's HTTP
 * parser refuses before Fastify sees it. An unexpected failure tells the client an id and nothing
 * of the database's own words.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { capturedLogger } from '../../../test/support/log-capture.ts';
import { multipart } from '../../../test/support/multipart.ts';
import { penaltyRecord } from '../../../test/support/records.ts';
import { sessionCookie } from '../../../test/support/session.ts';

const { logger, lines: logLines } = capturedLogger('error');

let t: TestApp;
let clerk: string;
let admin: string;

beforeAll(async () => {
  t = await createTestApp({ logger });
  clerk = await sessionCookie(t.app, 'clerk.scjg');
  admin = await sessionCookie(t.app, 'admin');
});

afterAll(async () => {
  await t.close();
});

const asClerk = (extra: Record<string, string> = {}) => ({ cookie: clerk, ...extra });

function csv(rows: string[][]): Buffer {
  return Buffer.from(rows.map((r) => r.join(',')).join('\n'), 'utf8');
}

const penaltyCsv = (heading = '内部编号') => {
  const record = { ...penaltyRecord(), [heading]: 'INT-1' };
  return csv([Object.keys(record), Object.values(record).map(String)]);
};

describe('text PostgreSQL cannot store', () => {
  it('a NUL in the public search query is a 400 naming the parameter', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/public/subjects?q=ab%00cd' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'validation_failed', field: 'q', rule: 'text.nul' });
  });

  it('a NUL in the user name at sign-in is a 400, the password never echoed', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'ad\u0000min', password: 'p\u0000ssword-secret' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'username', rule: 'text.nul', value: 'ad\uFFFDmin' });
    const onlyPassword = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'p\u0000ssword-secret' },
    });
    expect(onlyPassword.statusCode).toBe(400);
    expect(onlyPassword.json()).toMatchObject({ field: 'password', rule: 'text.nul' });
    expect(onlyPassword.body).not.toContain('ssword-secret');
  });

  it('a lone surrogate in a JSON key or value of an ingest is a 400 naming where', async () => {
    const url = '/api/ingest/records';
    // JSON.stringify writes a lone surrogate as the escape \ud800: valid JSON, invalid text.
    const inKey = await t.app.inject({
      method: 'POST',
      url,
      headers: asClerk({ 'content-type': 'application/json' }),
      payload: JSON.stringify({ item: 'admin_penalty', records: [{ ...penaltyRecord(), 'x\ud800': 'y' }] }),
    });
    expect(inKey.statusCode).toBe(400);
    expect(inKey.json()).toMatchObject({ field: 'records.0', rule: 'text.lone_surrogate' });
    const inValue = await t.app.inject({
      method: 'POST',
      url,
      headers: asClerk({ 'content-type': 'application/json' }),
      payload: JSON.stringify({
        item: 'admin_penalty',
        records: [penaltyRecord({ 违法事实: 'bad \udfff text' })],
      }),
    });
    expect(inValue.statusCode).toBe(400);
    expect(inValue.json()).toMatchObject({ field: 'records.0.违法事实', rule: 'text.lone_surrogate' });
  });

  it('a NUL in a header value or a path parameter is a 400', async () => {
    const header = await t.app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { 'x-request-note': 'a\u0000b' },
    });
    expect(header.statusCode).toBe(400);
    expect(header.json()).toMatchObject({ field: 'header x-request-note', rule: 'text.nul' });
    const param = await t.app.inject({ method: 'GET', url: '/api/catalog/items/a%00b' });
    expect(param.statusCode).toBe(400);
    expect(param.json()).toMatchObject({ field: 'code', rule: 'text.nul' });
  });

  it('a NUL in an uploaded file name or a form field is a 400', async () => {
    const name = multipart({ item: 'admin_penalty' }, { name: 'pen\u0000alties.csv', content: penaltyCsv() });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/ingest/batches',
      payload: name.payload,
      headers: asClerk(name.headers),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'file name', rule: 'text.nul' });
    const field = multipart({ item: 'admin\u0000penalty' }, { name: 'p.csv', content: penaltyCsv() });
    const res2 = await t.app.inject({
      method: 'POST',
      url: '/api/ingest/batches',
      payload: field.payload,
      headers: asClerk(field.headers),
    });
    expect(res2.statusCode).toBe(400);
    expect(res2.json()).toMatchObject({ field: 'item', rule: 'text.nul' });
  });

  it("a NUL in a file's column heading fails the batch with a 400, and the batch keeps the reason", async () => {
    const body = multipart(
      { item: 'admin_penalty' },
      { name: 'p.csv', content: penaltyCsv('内部\u0000编号') },
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/ingest/batches',
      payload: body.payload,
      headers: asClerk(body.headers),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'columns', rule: 'text.nul', value: '内部\uFFFD编号' });
    const batches = await t.app.inject({ method: 'GET', url: '/api/ingest/batches', headers: asClerk() });
    expect(batches.json<Array<{ status: string; message: string }>>()[0]).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('heading 15 contains a NUL') as unknown,
    });
  });
});

describe('dates shaped right but not in the calendar', () => {
  it.each(['2025-02-30', '2025-13-01', '0000-01-01'])('%s in a query parameter is a 400', async (day) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/measures/stats?from=${day}`,
      headers: { cookie: admin },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'validation_failed', field: 'from', value: day });
  });

  it('2024-02-29 (a leap day) is a date', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/measures/stats?from=2024-02-29',
      headers: { cookie: admin },
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('bodies the server cannot read', () => {
  const upload = (payload: string | Buffer, contentType: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/ingest/batches',
      payload,
      headers: asClerk({ 'content-type': contentType }),
    });

  it('malformed multipart is a 400 multipart.malformed', async () => {
    const noBoundary = await upload('garbage', 'multipart/form-data');
    const unclosed = await upload(
      '--xx\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc',
      'multipart/form-data; boundary=xx',
    );
    const garbage = await upload('\u0001\u0002 not multipart at all', 'multipart/form-data; boundary=xx');
    for (const res of [noBoundary, unclosed, garbage]) {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'invalid_request', rule: 'multipart.malformed' });
    }
  });

  it('too many parts, a body too large, malformed JSON and a wrong media type each name their rule', async () => {
    const fields = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}`, 'x']));
    const many = multipart(fields, { name: 'p.csv', content: penaltyCsv() });
    const tooMany = await upload(many.payload, many.headers['content-type']);
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json()).toMatchObject({ error: 'payload_too_large', rule: 'multipart.fields' });

    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/identifiers/validate',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ values: ['x'.repeat(3 * 1024 * 1024)] }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ error: 'payload_too_large', rule: 'http.body_size' });

    const broken = await t.app.inject({
      method: 'POST',
      url: '/api/identifiers/validate',
      headers: { 'content-type': 'application/json' },
      payload: '{"values": [',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ error: 'invalid_request', rule: 'http.json' });

    const xml = await t.app.inject({
      method: 'POST',
      url: '/api/identifiers/validate',
      headers: { 'content-type': 'application/xml' },
      payload: '<values/>',
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toMatchObject({ error: 'unsupported_media_type', rule: 'http.media_type' });

    const jsonToUpload = await upload('{}', 'application/json');
    expect(jsonToUpload.statusCode).toBe(415);
    expect(jsonToUpload.json()).toMatchObject({ rule: 'multipart.required' });
  });

  it("what Node refuses before Fastify (an over-long URL, over-long headers) is answered in the catalogue's shape", async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as AddressInfo;
    const get = (path: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    const longUrl = await get(`/api/public/subjects?q=${'a'.repeat(20_000)}`);
    expect(longUrl.status).toBe(431);
    expect(JSON.parse(longUrl.body)).toMatchObject({ error: 'headers_too_large', rule: 'http.header_size' });
    const longHeader = await get('/api/health', { 'x-padding': 'b'.repeat(20_000) });
    expect(longHeader.status).toBe(431);
    expect(JSON.parse(longHeader.body)).toMatchObject({ error: 'headers_too_large' });
    const badEscape = await get('/api/public/subjects/%E0%A4%A');
    expect(badEscape.status).toBe(400);
    expect(JSON.parse(badEscape.body)).toMatchObject({ error: 'invalid_request', rule: 'http.url' });
  });
});

describe('a failure the platform did not foresee', () => {
  it("tells the client an id the log line carries, and never the database's own words", async () => {
    // A constraint no new record can meet stands in for any database failure at commit.
    await sql`alter table record add constraint test_refuses_all check (id < 0) not valid`.execute(
      t.container.database.db,
    );
    try {
      logLines.length = 0;
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/ingest/records',
        headers: asClerk(),
        payload: {
          item: 'admin_penalty',
          records: [penaltyRecord({ 行政处罚决定书文号: '榕市监处〔2025〕999号' })],
        },
      });
      expect(res.statusCode).toBe(500);
      const body = res.json<{ error: string; message: string; id: string }>();
      expect(body).toEqual({
        error: 'internal',
        message: 'Internal error',
        id: expect.any(String) as unknown,
      });
      expect(res.body).not.toMatch(/relation|constraint|record/);
      const logged = logLines.find((l) => l.includes(body.id));
      expect(logged).toContain('test_refuses_all');

      const batches = await t.app.inject({ method: 'GET', url: '/api/ingest/batches', headers: asClerk() });
      const failed = batches.json<Array<{ status: string; message: string }>>()[0];
      expect(failed?.status).toBe('failed');
      expect(failed?.message).toContain(body.id);
      expect(failed?.message).not.toMatch(/relation|constraint/);
    } finally {
      await sql`alter table record drop constraint test_refuses_all`.execute(t.container.database.db);
    }
  });
});
