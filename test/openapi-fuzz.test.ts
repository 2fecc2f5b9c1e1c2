/**
 * No input answers 5xx: every operation of the OpenAPI document, driven by requests generated from
 * its own JSON Schemas and mixed with hostile values (NUL, lone surrogates, bidi marks, 100 KB
 * strings, numbers out of range, impossible dates, malformed bodies, wrong content types), with no
 * session, as the platform administrator and as a department's data clerk. A 4xx must be in the
 * catalogue's shape. The test grows with the document: a new route is fuzzed without a line here.
 *
 * FUZZ_SEED=<n> replays or varies the run; FUZZ_RUNS=<n> sets the requests per operation and
 * identity (default 7: about 20 per operation); FUZZ_USERS=reviewer.scjg,officer.zj,… adds demo
 * users to explore with.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES as CATALOGUE_CODES } from '../src/platform/index.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import {
  operationsOf,
  requestArbitrary,
  type FuzzRequest,
  type OpenAPIDocument,
} from './support/openapi-fuzz.ts';
import { sessionCookie } from './support/session.ts';

const SEED = Number(process.env.FUZZ_SEED ?? '20261201');
const RUNS = Number(process.env.FUZZ_RUNS ?? '7');

/** The error codes of the catalogue a 4xx may name (not the 5xx ones: internal, unavailable). */
const ERROR_CODES = new Set<string>(
  CATALOGUE_CODES.filter((code) => code !== 'internal' && code !== 'unavailable'),
);

let t: TestApp;
let doc: OpenAPIDocument;
/** The demo accounts' password hashes as seeded, to put back (see `signedIn`). */
let seededHashes: Map<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json<OpenAPIDocument>();
  const { rows } = await sql<{ username: string; password_hash: string }>`
    select username, password_hash from app_user`.execute(t.container.database.db);
  seededHashes = new Map(rows.map((r) => [r.username, r.password_hash]));
});

afterAll(async () => {
  await t.close();
});

interface Failure {
  operation: string;
  request: { method: string; url: string; payload: string | undefined };
  status: number;
  body: string;
}

function shorten(text: string | undefined): string | undefined {
  return text === undefined || text.length <= 300 ? text : `${text.slice(0, 300)}… (${text.length} chars)`;
}

/** What is wrong with an answer to a generated request, or undefined when nothing is. */
function defect(status: number, body: string): string | undefined {
  if (status >= 500) {
    return `answered ${status}`;
  }
  if (status < 400) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
    if (typeof parsed.error !== 'string' || !ERROR_CODES.has(parsed.error)) {
      return `a ${status} whose error is not in the catalogue`;
    }
    return typeof parsed.message === 'string' ? undefined : `a ${status} without a message`;
  } catch {
    return `a ${status} whose body is not JSON`;
  }
}

async function fuzz(identity: () => Promise<Record<string, string>>): Promise<Failure[]> {
  const failures: Failure[] = [];
  for (const [index, operation] of operationsOf(doc).entries()) {
    const name = `${operation.method} ${operation.path}`;
    // Signed in afresh for each operation: a generated request may sign the session out.
    const headers = await identity();
    // Valid requests reach the deepest code; one hostile value among valid ones gets past the
    // schema's first refusal; many test the refusals themselves.
    const mixed = fc.oneof(
      requestArbitrary(operation, { hostile: 0 }),
      requestArbitrary(operation, { hostile: 0.15 }),
      requestArbitrary(operation, { hostile: 0.5 }),
    );
    const requests = fc.sample(mixed, { numRuns: RUNS, seed: SEED + index });
    for (const request of requests) {
      const sent: FuzzRequest = { ...request, headers: { ...request.headers, ...headers } };
      const res = await t.app.inject({
        method: sent.method,
        url: sent.url,
        headers: sent.headers,
        ...(sent.payload === undefined ? {} : { payload: sent.payload }),
      });
      const wrong = defect(res.statusCode, res.body);
      if (wrong !== undefined) {
        failures.push({
          operation: `${name}: ${wrong}`,
          request: { method: sent.method, url: shorten(sent.url) ?? '', payload: shorten(sent.payload) },
          status: res.statusCode,
          body: shorten(res.body) ?? '',
        });
      }
    }
  }
  return failures;
}

/**
 * Generated requests may reset the account's password, disable it, lock it with wrong passwords
 * or give it a second factor (the administrator's run, on the demo accounts' ids): each operation
 * starts from the account as seeded, as it starts from a fresh session.
 */
async function restoreAccount(username: string): Promise<void> {
  await sql`
    update app_user set password_hash = ${seededHashes.get(username) ?? ''}, must_change_password = false,
      disabled_at = null, failed_logins = 0, failed_since = null, locked_until = null,
      totp_secret = null, totp_enabled_at = null, totp_last_step = null
    where username = ${username}`.execute(t.container.database.db);
}

const signedIn = (username: string) => async () => {
  await restoreAccount(username);
  return { cookie: await sessionCookie(t.app, username) };
};

describe(`generated requests for every operation of the OpenAPI document (seed ${SEED})`, () => {
  it('covers the document: every route is an operation', () => {
    expect(operationsOf(doc).length).toBeGreaterThanOrEqual(55);
  });

  it('answers no 5xx and every 4xx in the catalogue shape, with no session', async () => {
    expect(await fuzz(() => Promise.resolve({}))).toEqual([]);
  }, 120_000);

  it('answers no 5xx and every 4xx in the catalogue shape, as the platform administrator', async () => {
    expect(await fuzz(signedIn('admin'))).toEqual([]);
  }, 120_000);

  it("answers no 5xx and every 4xx in the catalogue shape, as a department's data clerk", async () => {
    expect(await fuzz(signedIn('clerk.scjg'))).toEqual([]);
  }, 120_000);

  const more = (process.env.FUZZ_USERS ?? '').split(',').filter((u) => u !== '');
  it.runIf(more.length > 0).each(more)(
    'answers no 5xx as %s',
    async (username) => {
      expect(await fuzz(signedIn(username))).toEqual([]);
    },
    600_000,
  );
});
