/**
 * Turns the JSON Schemas of an OpenAPI 3 document (as zod 4 emits them through
 * fastify-type-provider-zod) into fast-check arbitraries, for "no 5xx for any input" tests.
 * Values are mostly schema-valid, so requests get past validation into the handlers, mixed with
 * hostile ones so validation and error paths get their share too.
 */
import fc from 'fast-check';
import type { OpenAPIV3 } from 'openapi-types';

/** A JSON Schema node, loosely typed: the converter narrows each keyword as it reads it. */
export type JsonSchema = Record<string, unknown>;
export type OpenAPIDocument = OpenAPIV3.Document;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface FuzzOptions {
  /** Probability that a leaf is replaced by a hostile value (default 0.3); 0 generates valid values only. */
  hostile?: number;
  /** `components.schemas`, for resolving `$ref`s. */
  components?: Record<string, JsonSchema>;
}

export interface Parameter {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

export interface Operation {
  method: HttpMethod;
  path: string;
  operationId?: string;
  pathParams: Record<string, JsonSchema>;
  query: Parameter[];
  headers: Parameter[];
  body?: { contentType: string; schema: JsonSchema; required: boolean };
}

/** What `app.inject()` takes. */
export interface FuzzRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);
const json = (): fc.Arbitrary<unknown> => fc.jsonValue({ maxDepth: 2 });
const ARRAY_CAP = 5; // keeps requests small; hostile mode breaks the cap on purpose

// 100 KB each, built once (the CJK one counted in UTF-8 bytes, three per character).
const LONG = ['a'.repeat(100_000), '信'.repeat(33_334)];

/**
 * Strings that tend to break parsers, databases, renderers and path handling. Text a database
 * cannot store and dates not in the calendar weigh more: with about 20 requests an operation, each
 * string field should meet them.
 */
export function hostileString(): fc.Arbitrary<string> {
  const weighted = (arbitrary: fc.Arbitrary<string>, weight: number) => ({ arbitrary, weight });
  return fc.oneof(
    weighted(fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud800y', '\udfff\ud800'), 6),
    weighted(
      fc.constantFrom('2025-02-30', '2025-13-01', '0000-00-00', '0000-01-01', '2025-02-29T00:00:00Z'),
      2,
    ),
    fc.constantFrom('\u202e', '\u200f', 'abc\u202edef', '\u200b', '\u200d', '\ufeff', 'a\u2060b'),
    fc.constantFrom(...LONG, '', ' ', ' \t\n\r ', '\u3000', '😀', '👨‍👩‍👧‍👦', '🇨🇳'),
    fc.constantFrom("'; drop table x; --", '../../etc/passwd', '%00', '%', '%zz', '__proto__', 'constructor'),
    fc.constantFrom('9'.repeat(400), '0'.repeat(30) + '1', '-' + '9'.repeat(40), '9007199254740993'),
    fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '0x10', '-0', '0.5', '2147483648', '-1'),
    fc.constantFrom('2025-02-30', '2025-13-01', '0000-00-00', '9999-12-31', '2024-02-29', '2025-2-3'),
    fc.constantFrom('2025-01-01T25:61:61Z', '+275760-09-13', '2025-01-01T00:00:00+99:99'),
    // Any UTF-16 units, controls and lone surrogates included (unit: 'binary' costs ~1 s to set up).
    fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      maxLength: 20,
    }),
  );
}

// 2 ** 53 + 1 is not representable; JSON carries it as 2 ** 53. The exact digits are in hostileString.
const hostileNumber = (): fc.Arbitrary<number> =>
  fc.constantFrom(-1, 0, -0, 0.5, -0.5, 2 ** 31, 2 ** 53 + 1, -(2 ** 53) - 2, -1e308, 1e308, Infinity, NaN);

/** `depth` levels deep, built in a loop because fast-check's recursive arbitraries stay shallow. */
function nested(depth: number, wrap: (inner: unknown) => unknown): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) {
    value = wrap(value);
  }
  return value;
}

/** A hostile value of any JSON type: strings, numbers, wrong types, deep nesting, prototype keys. */
export function hostileValue(): fc.Arbitrary<unknown> {
  const wrongType = fc.constantFrom<unknown>(null, true, false, {}, [], [''], { a: 1 }, [1, [2]], 'null');
  const proto = fc.constant(null).map(() => JSON.parse('{"__proto__":{"x":1},"constructor":{}}') as unknown);
  const deep = fc.constantFrom(64, 1000).chain((d) =>
    fc.oneof(
      fc.constant(null).map(() => nested(d, (a) => ({ a }))),
      fc.constant(null).map(() => nested(d, (a) => [a])),
    ),
  );
  return fc.oneof(hostileString(), hostileNumber(), wrongType, proto, deep);
}

/** `hostile` with probability `p`; `valid` comes first so that shrinking heads towards it. */
function mix<T>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>, p: number): fc.Arbitrary<T> {
  if (p <= 0 || p >= 1) {
    return p <= 0 ? valid : hostile;
  }
  const weight = Math.round(p * 1000);
  return fc.oneof({ arbitrary: valid, weight: 1000 - weight }, { arbitrary: hostile, weight });
}

// Names for an unexpected extra property, some of them unencodable or prototype-polluting.
const EXTRA_KEYS = [
  'extra',
  'a\u0000b',
  '\ud800',
  '',
  '__proto__',
  'constructor',
  '\u202ek',
  'x'.repeat(999),
];

interface Ctx {
  p: number;
  components: Record<string, JsonSchema>;
  refDepth: number;
}

/** Values for `schema`, mostly valid, with leaves replaced by hostile values at the `hostile` rate. */
export function arbitraryFor(schema: JsonSchema, options: FuzzOptions = {}): fc.Arbitrary<unknown> {
  return build(schema, { p: options.hostile ?? 0.3, components: options.components ?? {}, refDepth: 0 });
}

function build(s: JsonSchema, ctx: Ctx): fc.Arbitrary<unknown> {
  const arb = core(s, ctx);
  const withNull = s.nullable === true ? fc.option(arb, { nil: null, freq: 8 }) : arb;
  return s.default === undefined
    ? withNull
    : fc.oneof({ arbitrary: withNull, weight: 4 }, fc.constant(s.default));
}

/** The schema a `#/components/schemas/...` reference points at; undefined when it is not one. */
function target(s: JsonSchema, ctx: Ctx): JsonSchema | undefined {
  const prefix = '#/components/schemas/';
  return typeof s.$ref === 'string' && s.$ref.startsWith(prefix)
    ? ctx.components[s.$ref.slice(prefix.length)]
    : undefined;
}

function core(s: JsonSchema, ctx: Ctx): fc.Arbitrary<unknown> {
  if (s.$ref !== undefined) {
    const to = target(s, ctx);
    // A few levels deep is plenty; it also stops a recursive schema from recursing forever here.
    return to === undefined || ctx.refDepth > 4 ? json() : build(to, { ...ctx, refDepth: ctx.refDepth + 1 });
  }
  const variants = [s.anyOf, s.oneOf].find(Array.isArray)?.filter(isRecord);
  if (variants !== undefined && variants.length > 0) {
    return fc.oneof(...variants.map((v) => build(v, ctx)));
  }
  if (Array.isArray(s.allOf)) {
    const { allOf, nullable: _n, default: _d, ...rest } = s;
    const members = allOf.filter(isRecord).map((m) => target(m, ctx) ?? m);
    return core(members.reduce<JsonSchema>(mergeAll, rest), ctx);
  }
  if (Array.isArray(s.type)) {
    const types = s.type.filter((t): t is string => typeof t === 'string');
    return types.length > 0 ? fc.oneof(...types.map((type) => core({ ...s, type }, ctx))) : json();
  }
  if (s.type === 'object' || (s.type === undefined && isRecord(s.properties))) {
    return objectOf(s, ctx);
  }
  if (s.type === 'array' || (s.type === undefined && ('items' in s || 'prefixItems' in s))) {
    return arrayOf(s, ctx);
  }
  // Mostly hostile values of the leaf's own type, which get further into the handlers.
  const numeric = s.type === 'number' || s.type === 'integer';
  const typed = numeric ? hostileNumber() : s.type === 'string' ? hostileString() : undefined;
  const hostile =
    typed === undefined ? hostileValue() : fc.oneof({ arbitrary: typed, weight: 2 }, hostileValue());
  return mix(leaf(s), hostile, ctx.p);
}

/** allOf, good enough: later members win, object properties and required lists are unioned. */
function mergeAll(acc: JsonSchema, next: JsonSchema): JsonSchema {
  const merged = { ...acc, ...next };
  if (isRecord(acc.properties) || isRecord(next.properties)) {
    merged.properties = { ...(acc.properties as object), ...(next.properties as object) };
    merged.required = [...list(acc.required), ...list(next.required)];
  }
  return merged;
}

function leaf(s: JsonSchema): fc.Arbitrary<unknown> {
  if ('const' in s) {
    return fc.constant(s.const);
  }
  if (Array.isArray(s.enum) && s.enum.length > 0) {
    return fc.constantFrom(...(s.enum as unknown[]));
  }
  if (s.type === 'string') {
    return stringOf(s);
  }
  if (s.type === 'integer' || s.type === 'number') {
    return numberOf(s, s.type === 'integer');
  }
  if (s.type === 'boolean' || s.type === 'null') {
    return s.type === 'boolean' ? fc.boolean() : fc.constant(null);
  }
  return json(); // no type, or one we do not know: any JSON value still makes a request
}

const isoDate = (): fc.Arbitrary<string> =>
  fc
    .date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2100-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString());
const FORMATS: Record<string, (() => fc.Arbitrary<string>) | undefined> = {
  date: () => isoDate().map((d) => d.slice(0, 10)),
  'date-time': isoDate,
  email: () => fc.emailAddress(),
  uuid: () => fc.uuid(),
  uri: () => fc.webUrl(),
  url: () => fc.webUrl(),
};

// One UTF-16 unit per character (ASCII, some CJK), so zod's code-unit lengths hold exactly.
const unit = fc
  .oneof(
    { arbitrary: fc.integer({ min: 0x20, max: 0x7e }), weight: 4 },
    fc.integer({ min: 0x4e00, max: 0x9fa5 }),
  )
  .map((c) => String.fromCharCode(c));

function stringOf(s: JsonSchema): fc.Arbitrary<string> {
  const minLength = num(s.minLength) ?? 0;
  const maxLength = num(s.maxLength);
  let arb = typeof s.format === 'string' ? FORMATS[s.format]?.() : undefined;
  if (arb === undefined && typeof s.pattern === 'string') {
    try {
      arb = fc.stringMatching(new RegExp(s.pattern));
    } catch {
      arb = undefined; // an invalid regex, or one fast-check cannot invert (lookbehind, backreferences)
    }
  }
  return arb === undefined
    ? fc.string({ unit, minLength, maxLength })
    : arb.filter((v) => v.length >= minLength && v.length <= (maxLength ?? Infinity));
}

function numberOf(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  // OpenAPI 3.0 (what zod emits for this document) has boolean exclusives; 3.1 has numeric ones.
  const { exclusiveMinimum: exMin, exclusiveMaximum: exMax } = s;
  const min = typeof exMin === 'number' ? exMin : num(s.minimum);
  const max = typeof exMax === 'number' ? exMax : num(s.maximum);
  const minExcluded = exMin === true || typeof exMin === 'number';
  const maxExcluded = exMax === true || typeof exMax === 'number';
  if (!integer) {
    return fc.double({ min, max, minExcluded, maxExcluded, noNaN: true, noDefaultInfinity: true });
  }
  const safe = (n: number): number => Math.min(Math.max(n, Number.MIN_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
  const lo = safe(min === undefined ? -(2 ** 31) : minExcluded ? Math.floor(min) + 1 : Math.ceil(min));
  const hi = safe(max === undefined ? 2 ** 31 - 1 : maxExcluded ? Math.ceil(max) - 1 : Math.floor(max));
  return lo > hi ? fc.constant(lo) : fc.integer({ min: lo, max: hi });
}

function objectOf(s: JsonSchema, ctx: Ctx): fc.Arbitrary<unknown> {
  const props = Object.entries(isRecord(s.properties) ? s.properties : {});
  const model = Object.fromEntries(props.map(([key, sub]) => [key, build(isRecord(sub) ? sub : {}, ctx)]));
  const required = list(s.required).filter(
    (k): k is string => typeof k === 'string' && Object.hasOwn(model, k),
  );
  const more = s.additionalProperties;
  const extras =
    more === false || (more === undefined && props.length > 0)
      ? fc.constant({})
      : fc.dictionary(fc.string({ maxLength: 10 }), isRecord(more) ? build(more, ctx) : json(), {
          maxKeys: 3,
        });
  // An unknown key on 30% of the hostile rate of objects (9% at the default 0.3).
  const odd = fc.tuple(fc.constantFrom(...EXTRA_KEYS), hostileValue());
  const oddKey = mix<[string, unknown] | null>(fc.constant(null), odd, ctx.p * 0.3);
  const valid = fc
    .tuple(fc.record(model, { requiredKeys: required }), extras, oddKey)
    .map(([known, rest, extra]) => {
      const out: Record<string, unknown> = {};
      // defineProperty, not assignment, so that "__proto__" becomes a plain own key.
      for (const [k, v] of [
        ...Object.entries(rest),
        ...Object.entries(known),
        ...(extra === null ? [] : [extra]),
      ]) {
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
      return out;
    });
  return mix(valid, hostileValue(), ctx.p / 5);
}

function arrayOf(s: JsonSchema, ctx: Ctx): fc.Arbitrary<unknown> {
  // Tuples: `prefixItems` + `items` (2020-12), or an `items` array + `additionalItems` (draft 4-7).
  const heads = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : [];
  const restSchema = Array.isArray(s.items) ? s.additionalItems : s.items;
  const prefix = heads.map((h) => build(isRecord(h) ? h : {}, ctx));
  const item = isRecord(restSchema) ? build(restSchema, ctx) : heads.length === 0 ? json() : undefined;
  const minItems = num(s.minItems) ?? 0;
  const maxItems = Math.max(Math.min(num(s.maxItems) ?? ARRAY_CAP, ARRAY_CAP), minItems);
  const minLength = Math.max(minItems - heads.length, 0);
  const rest =
    item === undefined
      ? fc.constant([])
      : fc.array(item, { minLength, maxLength: Math.max(maxItems - heads.length, minLength) });
  const valid = fc.tuple(fc.tuple(...prefix), rest).map(([head, tail]): unknown[] => [...head, ...tail]);
  if (item === undefined) {
    return valid;
  }
  // Past maxItems (1001 when unbounded) with one repeated item, so it stays cheap to build.
  const tooMany = item.map((v) => Array.from({ length: (num(s.maxItems) ?? 1000) + 1 }, () => v));
  return mix(valid, fc.oneof(tooMany, fc.constant([]), hostileValue()), ctx.p / 5);
}

/** Follows a local `$ref` (`#/components/parameters/x` and the like) through the document. */
function deref(doc: unknown, node: unknown): unknown {
  if (!isRecord(node) || typeof node.$ref !== 'string' || !node.$ref.startsWith('#/')) {
    return node;
  }
  const keys = node.$ref.slice(2).split('/');
  return keys.reduce(
    (at, key) => (isRecord(at) ? at[key.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined),
    doc,
  );
}

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** Every operation in `doc`, with its path, query and header parameters and its request body. */
export function operationsOf(doc: OpenAPIDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = deref(doc, rawItem);
    for (const method of METHODS) {
      const op = isRecord(item) ? item[method.toLowerCase()] : undefined;
      if (!isRecord(op) || !isRecord(item)) {
        continue;
      }
      const out: Operation = { method, path, pathParams: {}, query: [], headers: [] };
      if (typeof op.operationId === 'string') {
        out.operationId = op.operationId;
      }
      // Path-item parameters first, so that the operation's own override them by name.
      for (const raw of [...list(item.parameters), ...list(op.parameters)]) {
        const p = deref(doc, raw);
        if (!isRecord(p) || typeof p.name !== 'string') {
          continue;
        }
        const param = {
          name: p.name,
          schema: isRecord(p.schema) ? p.schema : {},
          required: p.required === true,
        };
        const list = p.in === 'query' ? out.query : p.in === 'header' ? out.headers : undefined;
        if (p.in === 'path') {
          out.pathParams[p.name] = param.schema;
        } else if (list !== undefined) {
          list.splice(0, list.length, ...list.filter((q) => q.name !== p.name), param);
        }
      }
      const body = deref(doc, op.requestBody);
      const content = isRecord(body) && isRecord(body.content) ? Object.entries(body.content) : [];
      const [contentType, media] = content.find(([type]) => type.includes('json')) ?? content[0] ?? [];
      if (contentType !== undefined && isRecord(body)) {
        const schema = isRecord(media) ? deref(doc, media.schema) : undefined;
        out.body = { contentType, schema: isRecord(schema) ? schema : {}, required: body.required === true };
      }
      ops.push(out);
    }
  }
  return ops;
}

const LONE_SURROGATE = /([\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])/;

/**
 * `encodeURIComponent`, except that a lone surrogate (on which it throws) becomes the bytes its
 * code point would take in UTF-8, e.g. `%ED%A0%80`: the server then sees a malformed sequence.
 */
export function encodeSegment(s: string): string {
  const parts = s.split(LONE_SURROGATE); // odd indexes hold the captured lone surrogates
  return parts
    .map((part, i) => {
      if (i % 2 === 0) {
        return encodeURIComponent(part);
      }
      const u = part.charCodeAt(0);
      const bytes = [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)];
      return bytes.map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    })
    .join('');
}

const text = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);

const MALFORMED = [
  '{',
  '{"a":',
  'not json',
  '',
  '[1,2',
  '{"a":1}}',
  'nul',
  '\u0000',
  "{'a':1}",
  '['.repeat(9999),
];
const WRONG_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'application/xml'];
type BodyKind = 'ok' | 'malformed' | 'wrong-type' | 'absent';

/** Name/value pairs for `list`; a required one goes missing at the `rare` rate, an optional one half the time. */
function paramsArb(list: Parameter[], options: FuzzOptions, rare: number): fc.Arbitrary<[string, unknown][]> {
  const one = (q: Parameter): fc.Arbitrary<[string, unknown][]> => {
    const present = q.required ? mix(fc.constant(true), fc.constant(false), rare) : fc.boolean();
    return fc
      .tuple(present, arbitraryFor(q.schema, options))
      .map(([here, value]) => (here && value !== undefined ? [[q.name, value]] : []));
  };
  return fc.tuple(...list.map(one)).map((pairs) => pairs.flat());
}

/**
 * Requests for `op`, ready for `app.inject()`. Besides hostile values, at a fifth of the hostile
 * rate: a required query parameter goes missing, or the body is malformed JSON, has a
 * mismatching content-type, or is left out.
 */
export function requestArbitrary(op: Operation, options: FuzzOptions = {}): fc.Arbitrary<FuzzRequest> {
  const rare = (options.hostile ?? 0.3) / 5;
  const pathArbs = Object.entries(op.pathParams).map(([k, schema]) => [k, arbitraryFor(schema, options)]);
  const kinds = fc.constantFrom<BodyKind>('malformed', 'wrong-type', 'absent');
  const body = fc.record({
    value: op.body === undefined ? fc.constant(undefined) : arbitraryFor(op.body.schema, options),
    kind: mix(fc.constant<BodyKind>('ok'), kinds, rare),
    malformed: fc.constantFrom(...MALFORMED),
    wrongType: fc.constantFrom(...WRONG_TYPES),
  });
  const parts = fc.tuple(
    fc.record(Object.fromEntries(pathArbs) as Record<string, fc.Arbitrary<unknown>>),
    paramsArb(op.query, options, rare),
    paramsArb(op.headers, options, rare),
    body,
  );
  return parts.map(([pathValues, query, headerValues, b]) => {
    const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeSegment(text(pathValues[name])));
    // Arrays repeat the name (`a=1&a=2`), the form Fastify's querystring parser turns back into one.
    const search = query
      .flatMap(([name, value]) =>
        Array.isArray(value) ? value.map((v: unknown) => [name, v] as const) : [[name, value] as const],
      )
      .map(([name, value]) => `${encodeSegment(name)}=${encodeSegment(text(value))}`)
      .join('&');
    const headers = Object.fromEntries(
      headerValues.map(([name, value]) => [name.toLowerCase(), text(value)]),
    );
    const request: FuzzRequest = {
      method: op.method,
      url: search === '' ? path : `${path}?${search}`,
      headers,
    };
    if (op.body !== undefined && b.kind !== 'absent') {
      headers['content-type'] = b.kind === 'wrong-type' ? b.wrongType : op.body.contentType;
      // JSON.stringify writes a lone surrogate as the escape \ud800: valid JSON text, as intended.
      const serialised =
        typeof b.value === 'string' && !op.body.contentType.includes('json')
          ? b.value
          : JSON.stringify(b.value);
      request.payload = b.kind === 'malformed' ? b.malformed : (serialised ?? 'null');
    }
    return request;
  });
}
