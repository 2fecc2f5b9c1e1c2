import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  arbitraryFor,
  encodeSegment,
  hostileString,
  hostileValue,
  operationsOf,
  requestArbitrary,
  type JsonSchema,
  type OpenAPIDocument,
} from './openapi-fuzz.ts';

// Fixed seeds: these tests check proportions, and must not flake on an unlucky run.
const sample = <T>(arb: fc.Arbitrary<T>, numRuns = 200): T[] => fc.sample(arb, { numRuns, seed: 42 });

/** The schema as a zod validator; the document is OpenAPI 3.0 (nullable, boolean exclusives). */
const validator = (schema: JsonSchema): z.ZodType =>
  z.fromJSONSchema(schema, { defaultTarget: 'openapi-3.0' });

const DATE_TIME_PATTERN =
  '^(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))T(?:(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:Z|([+-](?:[01]\\d|2[0-3]):[0-5]\\d)))$';
const POSITIVE_ID = { type: 'integer', minimum: 0, exclusiveMinimum: true, maximum: 9007199254740991 };

// Copied from the document the server serves at /api/docs/json (zod 4 through jsonSchemaTransform).
const REAL_SCHEMAS: Record<string, JsonSchema> = {
  resolution: {
    anyOf: [
      {
        type: 'object',
        properties: {
          code: { type: 'string', minLength: 1, maxLength: 64 },
          note: { type: 'string', maxLength: 500 },
        },
        required: ['code'],
        additionalProperties: false,
      },
      {
        type: 'object',
        properties: { subjectId: POSITIVE_ID, note: { type: 'string', maxLength: 500 } },
        required: ['subjectId'],
        additionalProperties: false,
      },
      {
        type: 'object',
        properties: { reject: { type: 'string', minLength: 1, maxLength: 500 } },
        required: ['reject'],
        additionalProperties: false,
      },
    ],
  },
  steps: {
    oneOf: [
      {
        type: 'object',
        properties: {
          step: { type: 'string', enum: ['notify', 'announce', 'decide', 'confirm'] },
          documentNumber: { type: 'string', minLength: 1, maxLength: 200 },
        },
        required: ['step', 'documentNumber'],
      },
      {
        type: 'object',
        properties: {
          step: { type: 'string', enum: ['weigh'] },
          weighed: { type: 'object', additionalProperties: { type: 'string', maxLength: 4000 } },
        },
        required: ['step', 'weighed'],
      },
    ],
  },
  records: {
    type: 'object',
    properties: {
      item: { type: 'string', minLength: 1 },
      department: { type: 'string' },
      records: {
        minItems: 1,
        maxItems: 10000,
        type: 'array',
        items: { type: 'object', additionalProperties: {} },
      },
    },
    required: ['item', 'records'],
    additionalProperties: false,
  },
  consent: {
    type: 'object',
    properties: {
      item: { default: null, nullable: true, type: 'string', minLength: 1, maxLength: 64 },
      evidence: { type: 'string', maxLength: 500, description: 'the document in which the person consented' },
    },
    required: ['evidence'],
    additionalProperties: false,
  },
  token: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 100 },
      role: { type: 'string', enum: ['data_clerk', 'reviewer', 'credit_officer', 'institution_user'] },
      department: { type: 'string', pattern: '^[A-Za-z0-9_-]{2,40}$' },
      expiresInDays: { default: 90, type: 'integer', minimum: 1, maximum: 366 },
      codes: { default: [], type: 'array', items: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' } },
    },
    required: ['name', 'role'],
    additionalProperties: false,
  },
  from: { type: 'string', format: 'date-time', pattern: DATE_TIME_PATTERN },
  day: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
  delta: { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991, nullable: true },
  codes: { minItems: 1, maxItems: 1000, type: 'array', items: { type: 'string' } },
};

describe('arbitraryFor', () => {
  it('generates only schema-valid values with hostile: 0', () => {
    for (const [name, schema] of Object.entries(REAL_SCHEMAS)) {
      const check = validator(schema);
      for (const value of sample(arbitraryFor(schema, { hostile: 0 }), 100)) {
        expect(check.safeParse(value).success, `${name}: ${JSON.stringify(value)}`).toBe(true);
      }
    }
  });

  it('respects required fields, enums and integer bounds (hand-checked)', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 2, maxLength: 5 },
        kind: { type: 'string', enum: ['a', 'b'] },
        count: { type: 'integer', minimum: 3, exclusiveMaximum: 7 },
        id: { type: 'integer', minimum: 0, exclusiveMinimum: true, maximum: 3 }, // OpenAPI 3.0 style
        note: { type: 'string' },
      },
      required: ['name', 'kind', 'count', 'id'],
      additionalProperties: false,
    };
    for (const value of sample(arbitraryFor(schema, { hostile: 0 }))) {
      const v = value as Record<string, unknown>;
      expect(typeof v.name === 'string' && v.name.length >= 2 && v.name.length <= 5).toBe(true);
      expect(['a', 'b']).toContain(v.kind);
      expect(Number.isInteger(v.count) && (v.count as number) >= 3 && (v.count as number) < 7).toBe(true);
      expect([1, 2, 3]).toContain(v.id);
      expect(Object.keys(v).every((k) => ['name', 'kind', 'count', 'id', 'note'].includes(k))).toBe(true);
    }
  });

  it('caps arrays at 5 items when valid, and goes past maxItems when hostile', () => {
    const schema = REAL_SCHEMAS.codes ?? {};
    const valid = sample(arbitraryFor(schema, { hostile: 0 })) as unknown[][];
    expect(valid.every((a) => a.length >= 1 && a.length <= 5)).toBe(true);
    const hostile = sample(arbitraryFor(schema, { hostile: 1 }), 300);
    expect(hostile.some((a) => Array.isArray(a) && a.length === 1001)).toBe(true);
  });

  it('maps type arrays, const, allOf and formats', () => {
    const schema = {
      allOf: [
        { type: 'object', properties: { a: { type: ['string', 'null'] } }, required: ['a'] },
        {
          type: 'object',
          properties: { b: { const: 7 }, d: { type: 'string', format: 'date' } },
          required: ['b', 'd'],
        },
      ],
    };
    for (const value of sample(arbitraryFor(schema, { hostile: 0 }))) {
      const v = value as Record<string, unknown>;
      expect(v.a === null || typeof v.a === 'string').toBe(true);
      expect(v.b).toBe(7);
      expect(v.d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('resolves $ref to components, and stops on a recursive one', () => {
    const components = {
      Id: { type: 'integer', minimum: 1, maximum: 9 },
      Tree: {
        type: 'object',
        properties: { child: { $ref: '#/components/schemas/Tree' } },
        required: ['child'],
      },
    };
    const ids = sample(arbitraryFor({ $ref: '#/components/schemas/Id' }, { hostile: 0, components }));
    expect(ids.every((id) => Number.isInteger(id) && (id as number) >= 1 && (id as number) <= 9)).toBe(true);
    expect(sample(arbitraryFor({ $ref: '#/components/schemas/Tree' }, { components }), 20)).toHaveLength(20);
  });

  it('does not throw on unknown keywords, odd types or patterns fast-check cannot invert', () => {
    const odd: JsonSchema[] = [
      {},
      { not: { type: 'string' } },
      { type: 'quaternion' },
      { type: [] },
      { enum: [] },
      { type: 'string', pattern: '(?<=a)b' },
      { type: 'string', pattern: '[' },
      { $ref: '#/components/schemas/Missing' },
      { $ref: 'https://example.com/x.json' },
      { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false },
      { type: 'string', format: 'uuid' },
      { type: 'string', format: 'email' },
      { type: 'string', format: 'uri' },
      { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    ];
    for (const schema of odd) {
      expect(() => sample(arbitraryFor(schema), 30)).not.toThrow();
    }
    const tuple = sample(arbitraryFor(odd[9] ?? {}, { hostile: 0 })) as unknown[][];
    expect(
      tuple.every(([s, n, ...rest]) => typeof s === 'string' && Number.isInteger(n) && rest.length === 0),
    ).toBe(true);
  });

  it('mixes hostile leaves in at the default rate, including odd keys on objects', () => {
    const values = sample(arbitraryFor(REAL_SCHEMAS.token ?? {}), 500);
    const check = validator(REAL_SCHEMAS.token ?? {});
    const invalid = values.filter((v) => !check.safeParse(v).success).length;
    expect(invalid).toBeGreaterThan(100);
    expect(invalid).toBeLessThan(500);
    const keys = values.flatMap((v) => (typeof v === 'object' && v !== null ? Object.keys(v) : []));
    expect(keys.some((k) => k.includes('\u0000') || k === '\ud800' || k === '__proto__')).toBe(true);
    const strings = sample(arbitraryFor({ type: 'string' }, { hostile: 1 }), 500);
    expect(strings.some((s) => typeof s === 'string' && s.includes('\u0000'))).toBe(true);
    expect(strings.some((s) => typeof s === 'string' && !s.isWellFormed())).toBe(true);
    expect(strings.some((s) => typeof s !== 'string')).toBe(true);
  });
});

describe('hostile values', () => {
  it('hostileString covers NUL, lone surrogates, bidi marks, 100 KB strings and impossible dates', () => {
    const strings = sample(hostileString(), 500);
    const has = (predicate: (s: string) => boolean): boolean => strings.some(predicate);
    expect(has((s) => s.includes('\u0000'))).toBe(true);
    expect(has((s) => s.includes('\ud800') || s.includes('\udfff'))).toBe(true);
    expect(has((s) => s.includes('\u202e') || s.includes('\u200f'))).toBe(true);
    expect(has((s) => s.length >= 33_000)).toBe(true);
    expect(has((s) => s === '')).toBe(true);
    expect(has((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && Number.isNaN(Date.parse(`${s}T00:00:00Z`)))).toBe(
      true,
    );
  });

  it('hostileValue covers wrong types and deep nesting', () => {
    const values = sample(hostileValue(), 500);
    expect(values.some((v) => v === null)).toBe(true);
    expect(values.some((v) => typeof v === 'number')).toBe(true);
    expect(values.some((v) => Array.isArray(v))).toBe(true);
    const depth = (v: unknown): number => {
      let d = 0;
      for (let at = v; typeof at === 'object' && at !== null; d++) {
        at = Array.isArray(at) ? (at as unknown[])[0] : (at as Record<string, unknown>).a;
      }
      return d;
    };
    expect(Math.max(...values.map(depth))).toBeGreaterThanOrEqual(1000);
  });
});

const DOC = {
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  components: {
    parameters: { Q: { in: 'query', name: 'q', required: true, schema: { type: 'string', maxLength: 10 } } },
    schemas: {},
  },
  paths: {
    '/api/cases/{id}/steps/{step}': {
      parameters: [{ in: 'path', name: 'id', required: true, schema: POSITIVE_ID }],
      post: {
        operationId: 'addStep',
        parameters: [
          { in: 'path', name: 'step', required: true, schema: { type: 'string', minLength: 1 } },
          { $ref: '#/components/parameters/Q' },
          {
            in: 'query',
            name: 'limit',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 5 },
          },
          { in: 'header', name: 'X-Trace', required: false, schema: { type: 'string' } },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: REAL_SCHEMAS.consent } } },
        responses: {},
      },
      get: { responses: {} },
    },
  },
} as unknown as OpenAPIDocument;

describe('operationsOf and requestArbitrary', () => {
  const ops = operationsOf(DOC);
  const post = ops.find((op) => op.method === 'POST');

  it('lists operations with path-level and referenced parameters and the body', () => {
    expect(ops.map((op) => `${op.method} ${op.path}`)).toEqual([
      'GET /api/cases/{id}/steps/{step}',
      'POST /api/cases/{id}/steps/{step}',
    ]);
    expect(post?.operationId).toBe('addStep');
    expect(Object.keys(post?.pathParams ?? {})).toEqual(['id', 'step']);
    expect(post?.query.map((q) => [q.name, q.required])).toEqual([
      ['q', true],
      ['limit', false],
    ]);
    expect(post?.headers.map((h) => h.name)).toEqual(['X-Trace']);
    expect(post?.body).toMatchObject({ contentType: 'application/json', required: true });
  });

  it('encodes lone surrogates and NUL by hand', () => {
    expect(encodeSegment('\ud800')).toBe('%ED%A0%80');
    expect(encodeSegment('x\udfffy')).toBe('x%ED%BF%BFy');
    expect(encodeSegment('a\u0000b')).toBe('a%00b');
    expect(encodeSegment('信😀/')).toBe(encodeURIComponent('信😀/'));
  });

  it('builds valid requests with hostile: 0', () => {
    const check = validator(REAL_SCHEMAS.consent ?? {});
    for (const req of sample(requestArbitrary(post ?? ops[0]!, { hostile: 0 }), 100)) {
      const url = new URL(req.url, 'http://localhost');
      const [, , , id, , step] = url.pathname.split('/');
      expect(Number(id)).toBeGreaterThan(0);
      expect(decodeURIComponent(step ?? '').length).toBeGreaterThan(0);
      expect(url.searchParams.has('q')).toBe(true);
      expect(req.headers['content-type']).toBe('application/json');
      expect(check.safeParse(JSON.parse(req.payload ?? '')).success).toBe(true);
    }
  });

  it('sometimes breaks the body, the content-type or a required query parameter', () => {
    const reqs = sample(requestArbitrary(post ?? ops[0]!, { hostile: 0.5 }), 300);
    const parses = (payload: string | undefined): boolean => {
      try {
        JSON.parse(payload ?? '');
        return true;
      } catch {
        return false;
      }
    };
    expect(reqs.some((r) => r.payload !== undefined && !parses(r.payload))).toBe(true);
    expect(reqs.some((r) => r.headers['content-type'] === 'text/plain')).toBe(true);
    expect(reqs.some((r) => !new URL(r.url, 'http://localhost').searchParams.has('q'))).toBe(true);
    expect(reqs.some((r) => r.url.includes('%ED%A0%80') || r.url.includes('%00'))).toBe(true);
    expect(reqs.every((r) => r.url.startsWith('/api/cases/') && !r.url.includes('{'))).toBe(true);
  });
});
