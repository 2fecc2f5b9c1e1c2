/**
 * Authorise → validate: a caller whose role may not perform an operation is refused (401, 403, or
 * 404 where the read is hidden) before anything about its request is checked — a malformed body,
 * a wrong query value, text that cannot be stored. Swept over every operation of the document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.ts';
import { operationsOf, type OpenAPIDocument, type Operation } from './support/openapi-fuzz.ts';
import { sessionCookie } from './support/session.ts';

/** Operations anyone may call (their query is still checked, here for text that cannot be stored). */
const OPEN_TO_ALL = [
  'GET /api/auth/me',
  'GET /api/health',
  'GET /api/list-types',
  'GET /api/memoranda',
  'POST /api/auth/logout',
];

let t: TestApp;
let operations: Operation[];

beforeAll(async () => {
  t = await createTestApp();
  operations = operationsOf(
    (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json<OpenAPIDocument>(),
  );
});

afterAll(async () => {
  await t.close();
});

/** A request every operation refuses as bad input, once the caller may make it at all. */
function badRequest(op: Operation): {
  method: Operation['method'];
  url: string;
  payload?: string;
  headers: Record<string, string>;
} {
  const path = op.path.replace(/\{[^}]+\}/g, '1');
  const query = op.query.map((q) => `${encodeURIComponent(q.name)}=%00`).join('&');
  const url = `${path}${query === '' ? '?unknown=%00' : `?${query}`}`;
  return op.body === undefined
    ? { method: op.method, url, headers: {} }
    : { method: op.method, url, payload: '{"broken": ', headers: { 'content-type': 'application/json' } };
}

async function sweep(headers: Record<string, string>) {
  const answers: Record<string, number> = {};
  for (const op of operations) {
    const request = badRequest(op);
    const res = await t.app.inject({ ...request, headers: { ...request.headers, ...headers } });
    answers[`${op.method} ${op.path}`] = res.statusCode;
  }
  return answers;
}

/** What the public may do at all, besides OPEN_TO_ALL: only these routes look at its request. */
const PUBLIC_OPERATIONS = [
  ...OPEN_TO_ALL,
  'GET /api/catalog',
  'GET /api/catalog/items/{code}',
  'GET /api/catalog/items/{code}/template.csv',
  'GET /api/catalog/items/{code}/template.xlsx',
  'GET /api/measures',
  'GET /api/measures/{code}',
  'GET /api/public/calendar/{year}',
  'GET /api/public/stats',
  'GET /api/public/subjects',
  'GET /api/public/subjects/{code}',
  'GET /api/public/conduct-reports/{receipt}',
  'POST /api/public/conduct-reports',
  'GET /api/public/keys',
  'GET /api/public/reports/verify',
  'GET /api/public/reports/{number}',
  'POST /api/public/reports',
  'GET /api/public/evaluation/model',
  'GET /api/public/evaluations/{code}',
  'GET /api/public/inspections/seeds',
  'GET /api/public/inspections/draws',
  'GET /api/public/inspections/draws/{id}',
  'GET /api/subjects/{code}/file',
  'POST /api/auth/login',
  'POST /api/identifiers/validate',
];

/** The operations whose answer was about the request itself (it got past the role check). */
function validated(answers: Record<string, number>): string[] {
  return Object.entries(answers)
    .filter(([, status]) => status === 400 || status === 413 || status === 415)
    .map(([op]) => op)
    .sort();
}

describe('a caller without the role', () => {
  it('is refused before its request is validated, on every operation (the public)', async () => {
    const answers = await sweep({});
    expect(validated(answers)).toEqual([...PUBLIC_OPERATIONS].sort());
    expect(answers['POST /api/checks']).toBe(401);
    expect(answers['GET /api/audit']).toBe(404);
  });

  it("is refused before its request is validated, on every operation (a company's own account)", async () => {
    const answers = await sweep({ cookie: await sessionCookie(t.app, 'company.user') });
    const own = [
      'GET /api/me/authorisations',
      'POST /api/me/authorisations',
      'POST /api/me/authorisations/{id}/revoke',
      // Its own objections: filed, listed, read.
      'GET /api/objections',
      'GET /api/objections/{id}',
      'GET /api/objections/{id}/attachments/{sha256}',
      'POST /api/objections',
      // Its own repair applications: applied for, listed, read, sent again.
      'GET /api/repairs',
      'GET /api/repairs/{id}',
      'POST /api/repairs',
      'POST /api/repairs/{id}/resubmission',
      // Its own commitments: signed, listed, read.
      'GET /api/commitments',
      'GET /api/commitments/standard',
      'GET /api/commitments/{id}',
      'POST /api/commitments',
      // Its own evaluation, explained.
      'GET /api/evaluations/{code}',
      // Its own credit reports: asked for, read again.
      'POST /api/reports',
      'GET /api/reports/{number}',
      // Every person's own account: the password, the second factor.
      'POST /api/auth/password',
      'POST /api/auth/totp/confirm',
      'POST /api/auth/totp/disable',
      'POST /api/auth/totp/setup',
    ];
    expect(validated(answers)).toEqual([...PUBLIC_OPERATIONS, ...own].sort());
    expect(answers['POST /api/checks']).toBe(403);
    expect(answers['POST /api/memoranda']).toBe(403);
  });
});
