/**
 * The OpenAPI document is complete: every operation has a unique operationId, says who may call
 * it, types each success and answers each error in the catalogue's shape; the upload has its
 * multipart body. A client typed from the document with openapi-typescript compiles against five
 * operations, their errors included. (Redocly lints the same document: `npm run lint:openapi`.)
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import type { OpenAPIV3 } from 'openapi-types';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../src/modules/auth/index.ts';
import { createTestApp, type TestApp } from './support/app.ts';

let t: TestApp;
let doc: OpenAPIV3.Document;

beforeAll(async () => {
  t = await createTestApp();
  doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json<OpenAPIV3.Document>();
});

afterAll(async () => {
  await t.close();
});

describe('the committed document (openapi.json)', () => {
  it('is the one the server serves: the web application is typed from it (`npm run openapi:write`)', async () => {
    const committed = JSON.parse(
      await fs.readFile(path.resolve(import.meta.dirname, '..', 'openapi.json'), 'utf8'),
    ) as OpenAPIV3.Document;
    const drift = Object.keys({ ...doc.paths, ...committed.paths }).filter(
      (p) => JSON.stringify(doc.paths[p]) !== JSON.stringify(committed.paths[p]),
    );
    expect(drift, 'paths that differ: run npm run openapi:write').toEqual([]);
    expect(committed).toEqual(doc);
  });
});

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function operations(): Array<{ name: string; path: string; method: string; op: OpenAPIV3.OperationObject }> {
  return Object.entries(doc.paths).flatMap(([p, item]) =>
    METHODS.flatMap((method) => {
      const op = item?.[method];
      return op === undefined ? [] : [{ name: `${method.toUpperCase()} ${p}`, path: p, method, op }];
    }),
  );
}

/** Each operation's entries that break `rule` (an empty list when none does). */
function breaking(rule: (op: OpenAPIV3.OperationObject) => string | undefined): string[] {
  return operations().flatMap(({ name, op }) => {
    const wrong = rule(op);
    return wrong === undefined ? [] : [`${name}: ${wrong}`];
  });
}

describe('the OpenAPI document', () => {
  it('gives every operation an operationId of its own', () => {
    const ids = operations().map(({ op }) => op.operationId);
    expect(
      breaking((op) => (/^[a-z]+[A-Za-z0-9]*$/.test(op.operationId ?? '') ? undefined : 'no id')),
    ).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    const byName = Object.fromEntries(operations().map(({ name, op }) => [name, op.operationId]));
    expect(byName['GET /api/subjects/{code}/file']).toBe('getSubjectsByCodeFile');
    expect(byName['POST /api/ingest/records']).toBe('postIngestRecords');
  });

  it('types the answer of every success, and a 204 has none', () => {
    expect(
      breaking((op) => {
        const successes = Object.entries(op.responses).filter(([status]) => status.startsWith('2'));
        if (successes.length === 0) {
          return 'no success';
        }
        for (const [status, response] of successes) {
          const content = '$ref' in response ? undefined : response.content;
          if (
            status === '204' ? content !== undefined : !Object.values(content ?? {}).some((m) => m.schema)
          ) {
            return `${status}: ${status === '204' ? 'content on no content' : 'no schema'}`;
          }
        }
        return undefined;
      }),
    ).toEqual([]);
  });

  it("answers every error in the catalogue's shape, and says which", () => {
    const always = ['400', '401', '403', '404', '409', '422', '429', '500', '503'];
    expect(
      breaking((op) => {
        const expected = op.requestBody === undefined ? always : [...always, '413', '415'];
        const missing = expected.filter((status) => {
          const response = op.responses[status];
          return response === undefined || !('$ref' in response);
        });
        // The health check's own 503 (`{ status: 'unavailable' }`) stands.
        return missing.length === 0 || (op.operationId === 'getHealth' && missing.join() === '503')
          ? undefined
          : `no catalogue body for ${missing.join(', ')}`;
      }),
    ).toEqual([]);
    const notFound = doc.components?.responses?.NotFound as OpenAPIV3.ResponseObject;
    expect(notFound.content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/ErrorBody',
    });
    const body = doc.components?.schemas?.ErrorBody as OpenAPIV3.SchemaObject;
    expect(body.required).toEqual(['error', 'message']);
    expect(Object.keys(body.properties ?? {})).toEqual(['error', 'message', 'field', 'value', 'rule', 'id']);
  });

  it('names the session cookie and the bearer token, and each operation says which it needs', async () => {
    expect(doc.components?.securitySchemes).toMatchObject({
      session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
      bearer: { type: 'http', scheme: 'bearer' },
    });
    expect(breaking((op) => (op.security === undefined ? 'no security' : undefined))).toEqual([]);
    // What the document says is what the server does: an operation that needs a caller refuses
    // one without (401, or 404 where it hides), and one that does not never asks for a sign-in.
    const wrong: string[] = [];
    for (const { name, path: p, method, op } of operations()) {
      const needsCaller =
        (op.security ?? []).length > 0 && !(op.security ?? []).some((s) => Object.keys(s).length === 0);
      const res = await t.app.inject({
        method: method.toUpperCase() as 'GET',
        url: p.replace(/\{[^}]+\}/g, '1'),
      });
      if (needsCaller ? ![401, 404].includes(res.statusCode) : res.statusCode === 401) {
        wrong.push(
          `${name}: documented ${needsCaller ? 'for callers' : 'as open'}, answered ${res.statusCode}`,
        );
      }
    }
    expect(wrong).toEqual([]);
    const byName = Object.fromEntries(operations().map(({ name, op }) => [name, op.security]));
    expect(byName['GET /api/public/subjects']).toEqual([]);
    expect(byName['POST /api/checks']).toEqual([{ session: [] }, { bearer: [] }]);
    expect(byName['POST /api/auth/password']).toEqual([{ session: [] }]);
  });

  it("describes the upload's multipart body, which the route reads itself", () => {
    const upload = doc.paths['/api/ingest/batches']?.post?.requestBody as OpenAPIV3.RequestBodyObject;
    const schema = upload.content['multipart/form-data']?.schema as OpenAPIV3.SchemaObject;
    expect(Object.keys(upload.content)).toEqual(['multipart/form-data']);
    expect(schema.required).toEqual(['file', 'item']);
    expect(Object.keys(schema.properties ?? {})).toEqual([
      'file',
      'item',
      'department',
      'encoding',
      'sheet',
      'corrects',
      'domain',
    ]);
    expect(schema.properties?.file).toMatchObject({ type: 'string', format: 'binary' });
  });
});

/**
 * A small client of five operations, typed only by what openapi-typescript generates: it must
 * compile. Each success is used by its fields, each other answer as the catalogue's error body,
 * and a request that breaks the document's types is refused by the compiler (`@ts-expect-error`
 * fails when nothing is wrong, so a body typed `unknown` fails too).
 */
const CLIENT = `
import type { components, operations } from './api.ts';

type ErrorBody = components['schemas']['ErrorBody'];
type Responses<Op extends keyof operations> = operations[Op]['responses'];
type BodyOf<R> = R extends { content: { 'application/json': infer B } } ? B : undefined;
type JsonBody<Op extends keyof operations> = operations[Op] extends {
  requestBody: { content: { 'application/json': infer B } };
}
  ? B
  : never;

/** Each status the operation documents, with the body documented for it. */
export type Answer<Op extends keyof operations> = {
  [S in keyof Responses<Op>]: { status: S; body: BodyOf<Responses<Op>[S]> };
}[keyof Responses<Op>];

/** How requests go out (fetch, a test's inject): the client only types them. */
export type Send = (method: string, url: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

async function call<Op extends keyof operations>(
  send: Send,
  _operation: Op,
  method: string,
  url: string,
  body?: JsonBody<Op>,
): Promise<Answer<Op>> {
  return (await send(method, url, body)) as Answer<Op>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(\`\${body.error}: \${body.message}\${body.rule === undefined ? '' : \` (\${body.rule})\`}\`);
  }
}

function fail(status: number, body: ErrorBody): never {
  throw new ApiError(status, body);
}

/** Not unknown, not never: the document typed it. */
type Typed<T> = unknown extends T ? false : [T] extends [never] ? false : true;
export const typed: [
  Typed<BodyOf<Responses<'getPublicSubjects'>[200]>>,
  Typed<BodyOf<Responses<'getPublicSubjectsByCode'>[200]>>,
  Typed<BodyOf<Responses<'postAuthLogin'>[200]>>,
  Typed<BodyOf<Responses<'postIngestRecords'>[201]>>,
  Typed<BodyOf<Responses<'postChecks'>[200]>>,
  Typed<BodyOf<Responses<'postChecks'>[404]>>,
] = [true, true, true, true, true, true];
/** The catalogue is closed: an error code is one of a list, not any string. */
export const closed: string extends ErrorBody['error'] ? false : true = true;

export async function findSubjects(send: Send, q: string): Promise<Array<{ name: string; code: string | null }>> {
  const a = await call(send, 'getPublicSubjects', 'GET', \`/api/public/subjects?q=\${encodeURIComponent(q)}\`);
  if (a.status === 200) {
    return a.body.results.map((r) => ({ name: r.name, code: r.code }));
  }
  const limited: 'rate_limited' | ErrorBody['error'] = a.body.error;
  return fail(a.status, { ...a.body, error: limited });
}

export async function publicFile(send: Send, code: string): Promise<string | undefined> {
  const a = await call(send, 'getPublicSubjectsByCode', 'GET', \`/api/public/subjects/\${encodeURIComponent(code)}\`);
  if (a.status === 200) {
    return \`\${a.body.subject.name}: \${a.body.categories.length} categories\`;
  }
  if (a.status === 404) {
    return undefined;
  }
  return fail(a.status, a.body);
}

export async function signIn(send: Send, username: string, password: string): Promise<string> {
  // @ts-expect-error the password is required
  await call(send, 'postAuthLogin', 'POST', '/api/auth/login', { username });
  const a = await call(send, 'postAuthLogin', 'POST', '/api/auth/login', { username, password });
  if (a.status === 200) {
    return \`\${a.body.displayName} until \${a.body.expiresAt}\`;
  }
  if (a.status === 401 || a.status === 429) {
    throw new Error(a.body.message);
  }
  return fail(a.status, a.body);
}

export async function sendRecords(send: Send, records: Array<Record<string, unknown>>): Promise<number> {
  // @ts-expect-error the item is required
  await call(send, 'postIngestRecords', 'POST', '/api/ingest/records', { records });
  const a = await call(send, 'postIngestRecords', 'POST', '/api/ingest/records', { item: 'admin_penalty', records });
  if (a.status === 201) {
    return a.body.accepted - a.body.rejected + a.body.batchId * 0;
  }
  if (a.status === 400 || a.status === 413) {
    throw new Error(\`\${a.body.field ?? ''} \${a.body.message}\`);
  }
  return fail(a.status, a.body);
}

export async function check(send: Send, subjectCode: string): Promise<string[]> {
  // @ts-expect-error not a matter of the list
  await call(send, 'postChecks', 'POST', '/api/checks', { subjectCode, matter: 'astrology', purpose: 'x' });
  const a = await call(send, 'postChecks', 'POST', '/api/checks', { subjectCode, matter: 'licensing', purpose: '许可审查' });
  if (a.status === 200) {
    return a.body.measures.map((m) => \`\${m.measure.code} \${m.status} (\${m.measure.legalBasis.basis}): \${m.explanation}\`);
  }
  if (a.status === 403 || a.status === 404) {
    const rule: string | undefined = a.body.rule;
    throw new ApiError(a.status, { ...a.body, rule });
  }
  return fail(a.status, a.body);
}
`;

describe('a client typed from the document', () => {
  it('compiles against five operations, errors included', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-openapi-client-'));
    try {
      const types = astToString(await openapiTS(doc as Parameters<typeof openapiTS>[0], { silent: true }));
      await fs.writeFile(path.join(dir, 'api.ts'), types);
      await fs.writeFile(path.join(dir, 'client.ts'), CLIENT);
      const program = ts.createProgram({
        rootNames: [path.join(dir, 'client.ts')],
        options: {
          strict: true,
          noEmit: true,
          noUncheckedIndexedAccess: true,
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.ESNext,
          moduleResolution: ts.ModuleResolutionKind.Bundler,
          allowImportingTsExtensions: true,
          lib: ['lib.es2023.d.ts'],
          types: [],
        },
      });
      const problems = ts.getPreEmitDiagnostics(program).map((d) => {
        const where =
          d.file === undefined || d.start === undefined
            ? ''
            : `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: `;
        return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
      });
      expect(problems).toEqual([]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
