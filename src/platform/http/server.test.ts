import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

describe('HTTP platform', () => {
  it('answers health with the database in use, and where name search is answered from', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: t.container.database.kind, search: 'sql' });
    // The server builds the name index once it listens: from then on, names are matched in memory.
    await t.container.nameIndex.start();
    const built = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(built.json()).toEqual({ status: 'ok', database: t.container.database.kind, search: 'index' });
  });

  it('serves the OpenAPI document and its viewer at /api/docs', async () => {
    const spec = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(spec.statusCode).toBe(200);
    const doc = spec.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/identifiers/validate',
        '/api/list-cases/{id}/steps',
        '/api/measures',
        '/api/checks',
        '/api/checks/batch',
      ]),
    );
    const page = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it('answers an unknown route like a hidden thing', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'Not found or no access' });
  });

  it('renders schema errors in the catalogue shape, naming field, value and rule', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/identifiers/validate',
      payload: { values: ['91350100M000100Y43', 'x'.repeat(300), 42] },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      error: 'validation_failed',
      field: 'values.2',
      value: 42,
      rule: 'invalid_type',
    });
    expect(body.message).toBe('values.2: Invalid input: expected string, received number');
  });

  it('refuses malformed JSON with a clear message, not a 500', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/identifiers/validate',
      headers: { 'content-type': 'application/json' },
      payload: '{"value": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_request' });
  });
});
