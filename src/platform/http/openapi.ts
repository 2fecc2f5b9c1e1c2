/**
 * The OpenAPI document, shaped in one place: each route contributes its zod schemas, and this
 * file adds what every operation shares — an operationId, its security (none unless a module
 * declared one), the catalogue's error body on every 4xx and 5xx it may answer, no content on a
 * 204, and the multipart body of an upload that its handler reads itself.
 */
import type { FastifyDynamicSwaggerOptions, SwaggerTransform } from '@fastify/swagger';
import type { RouteOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { OpenAPIV3 } from 'openapi-types';
import { z } from 'zod';
import { ErrorBodySchema } from '../errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The multipart/form-data fields of a route that reads its upload itself (`readUpload`): the
     * document describes them, and Fastify validates nothing (the handler checks each field as it
     * reads it, a file streamed to disk).
     */
    upload?: z.ZodObject;
  }
}

/**
 * A response of bytes of one or more media types. The handler sends a string or a Buffer, which
 * Fastify does not serialise, so the schema only documents.
 */
export function fileResponse(description: string, mediaTypes: readonly string[]) {
  return {
    description,
    content: Object.fromEntries(
      mediaTypes.map((type) => [type, { schema: z.unknown().meta({ type: 'string', format: 'binary' }) }]),
    ),
  };
}

/** The answers every operation may give in the catalogue's shape, by status, with when. */
const ERRORS = {
  400: [
    'BadRequest',
    'A field breaks its schema or a rule of input (`validation_failed`), or the request cannot be read (`invalid_request`)',
  ],
  401: [
    'Unauthorized',
    'Sign in, or present an API token; a token that is unknown, revoked or expired is refused on any operation (`unauthorized`)',
  ],
  403: [
    'Forbidden',
    'The caller can see the thing, and a rule forbids the action: the rule is named (`forbidden`)',
  ],
  404: ['NotFound', 'Missing, or not visible to the caller: the same body (`not_found`)'],
  409: ['Conflict', 'A step out of order, a duplicate (`conflict`)'],
  413: [
    'PayloadTooLarge',
    'A body over 2 MiB, an upload over its limit, too many parts or fields (`payload_too_large`)',
  ],
  415: ['UnsupportedMediaType', 'A body of a type the operation does not read (`unsupported_media_type`)'],
  422: [
    'RuleViolation',
    'Well-formed input that a business rule refuses, with the rule and its legal basis (`rule_violation`)',
  ],
  429: ['RateLimited', 'Too many requests from one client (`rate_limited`)'],
  500: [
    'Internal',
    "An unexpected failure: the body carries only an `id`, which the server's log line carries too (`internal`)",
  ],
  503: [
    'Unavailable',
    'The database cannot be reached now: try again after `Retry-After` seconds (`unavailable`)',
  ],
} as const satisfies Record<number, readonly [string, string]>;
type ErrorStatus = keyof typeof ERRORS;

/** Only an operation that reads a body can refuse one for its size or its media type. */
const BODY_ERRORS: readonly ErrorStatus[] = [413, 415];

const SUCCESS_DESCRIPTIONS: Readonly<Record<string, string>> = {
  200: 'OK',
  201: 'Created',
  204: 'No content',
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** A zod schema as an OpenAPI 3.0 schema object (`format: binary` says a file; 3.0 has no `contentEncoding`). */
function toSchema(schema: z.ZodType, io: 'input' | 'output'): OpenAPIV3.SchemaObject {
  const { $schema: _, ...json } = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    override: (ctx) => {
      delete ctx.jsonSchema.contentEncoding;
    },
  });
  return json as OpenAPIV3.SchemaObject;
}

function components(
  securitySchemes: Record<string, OpenAPIV3.SecuritySchemeObject>,
): OpenAPIV3.ComponentsObject {
  const errorBody = { $ref: '#/components/schemas/ErrorBody' };
  return {
    securitySchemes,
    schemas: { ErrorBody: toSchema(ErrorBodySchema, 'output') },
    responses: Object.fromEntries(
      Object.values(ERRORS).map(([name, description]) => [
        name,
        {
          description,
          ...(name === 'Unavailable'
            ? { headers: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } } } }
            : {}),
          content: { 'application/json': { schema: errorBody } },
        },
      ]),
    ),
  };
}

/**
 * `getSubjectsByCodeFile` for `GET /api/subjects/:code/file`: the method, then each segment after
 * `/api` in PascalCase, a parameter as `By<Name>`. Stable as long as the route is, and unique
 * because method and path are.
 */
function operationIdOf(method: string, url: string): string {
  const pascal = (word: string) =>
    word
      .split(/[^A-Za-z0-9]+/)
      .filter((w) => w !== '')
      .map((w) => w[0]?.toUpperCase() + w.slice(1))
      .join('');
  const segments = url
    .replace(/^\/api(?=\/|$)/, '')
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (s.startsWith(':') ? `By${pascal(s.slice(1))}` : pascal(s)));
  return method.toLowerCase() + segments.join('');
}

/** Per route: the zod schemas as JSON Schema, plus the operationId, the security and an upload's body. */
const transform: SwaggerTransform = (document) => {
  const { schema, url } = jsonSchemaTransform(document);
  const route: RouteOptions = document.route;
  const method = Array.isArray(route.method) ? String(route.method[0]) : String(route.method);
  const upload = route.config?.upload;
  return {
    url,
    schema: {
      ...schema,
      operationId: schema.operationId ?? operationIdOf(method, route.url),
      // Explicitly none: an operation that needs a caller says so (the auth module derives it).
      security: schema.security ?? [],
      ...(upload === undefined
        ? {}
        : { body: { content: { 'multipart/form-data': { schema: toSchema(upload, 'input') } } } }),
    },
  };
};

/** Over the whole document: the error answers on each operation, and no content on a 204. */
function completeOperations(document: OpenAPIV3.Document): OpenAPIV3.Document {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item?.[method];
      if (operation === undefined) {
        continue;
      }
      const responses = operation.responses;
      for (const [status, response] of Object.entries(responses)) {
        if ('$ref' in response || !status.startsWith('2')) {
          continue;
        }
        if (response.description === 'Default Response') {
          response.description = SUCCESS_DESCRIPTIONS[status] ?? response.description;
        }
        if (status === '204') {
          delete response.content;
        }
      }
      const withBody = operation.requestBody !== undefined;
      for (const [status, [name]] of Object.entries(ERRORS)) {
        if (!withBody && BODY_ERRORS.includes(Number(status) as ErrorStatus)) {
          continue;
        }
        // A route's own answer for the status (the health check's 503) stands.
        responses[status] ??= { $ref: `#/components/responses/${name}` };
      }
    }
  }
  return document;
}

export interface OpenApiOptions {
  version: string;
  /** The ways a caller authenticates, by name; operations refer to them in `schema.security`. */
  securitySchemes: Record<string, OpenAPIV3.SecuritySchemeObject>;
}

/** The options of @fastify/swagger for the platform's document. */
export function openApiOptions(options: OpenApiOptions): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      info: {
        title: 'Xinyong 信用 — public credit information platform',
        description:
          'Errors share one shape: `{ error, message, field?, value?, rule? }` (`ErrorBody`). A thing the caller ' +
          'may not see answers 404 exactly like a missing one. A person signs in (`POST /api/auth/login`, a ' +
          'session cookie); a system presents an API token (`Authorization: Bearer …`).',
        version: options.version,
        license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
      },
      servers: [{ url: '/', description: 'this server' }],
      components: components(options.securitySchemes),
    },
    transform,
    transformObject: (document) =>
      'openapiObject' in document
        ? completeOperations(document.openapiObject as OpenAPIV3.Document)
        : document.swaggerObject,
  };
}
