import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/index.ts';
import {
  AppError,
  echoValue,
  InternalError,
  UnavailableError,
  type ErrorBody,
  type ErrorCode,
} from '../errors.ts';

function valueAt(input: unknown, pointer: string): unknown {
  let current = input;
  for (const key of pointer.split('/').filter((k) => k !== '')) {
    if (current === null || typeof current !== 'object') {
      return undefined;
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function requestPart(request: FastifyRequest, context: string | undefined): unknown {
  switch (context) {
    case 'querystring':
      return request.query;
    case 'params':
      return request.params;
    case 'headers':
      return request.headers;
    case 'body':
    case undefined:
      return request.body;
  }
}

interface Refusal {
  status: number;
  error: ErrorCode;
  rule: string;
  message: string;
}

/**
 * What Fastify and its plugins refuse before a route runs, by their error codes: each gets the
 * catalogue's shape and a rule name a client can act on.
 */
const FRAMEWORK_REFUSALS: Readonly<Record<string, Refusal>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    error: 'invalid_request',
    rule: 'http.json',
    message: 'the body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    error: 'invalid_request',
    rule: 'http.json',
    message: 'the body is empty, but its content-type says JSON',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    error: 'invalid_request',
    rule: 'http.content_length',
    message: 'the body is not as long as its content-length says',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    error: 'payload_too_large',
    rule: 'http.body_size',
    message: 'the request body is too large',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    error: 'unsupported_media_type',
    rule: 'http.media_type',
    message: 'this route does not read a body of that content-type: send application/json',
  },
  FST_ERR_BAD_URL: {
    status: 400,
    error: 'invalid_request',
    rule: 'http.url',
    message: 'the URL has a malformed percent-encoding',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    error: 'uri_too_long',
    rule: 'http.url_length',
    message: 'a path segment of the URL is too long',
  },
  FST_PARTS_LIMIT: {
    status: 413,
    error: 'payload_too_large',
    rule: 'multipart.parts',
    message: 'the upload has more parts than the route reads',
  },
  FST_FILES_LIMIT: {
    status: 413,
    error: 'payload_too_large',
    rule: 'multipart.files',
    message: 'the upload has more than one file: send one file per batch',
  },
  FST_FIELDS_LIMIT: {
    status: 413,
    error: 'payload_too_large',
    rule: 'multipart.fields',
    message: 'the upload has more fields than the route reads',
  },
  FST_REQ_FILE_TOO_LARGE: {
    status: 413,
    error: 'payload_too_large',
    rule: 'multipart.file_size',
    message: 'the uploaded file is too large',
  },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    status: 415,
    error: 'unsupported_media_type',
    rule: 'multipart.required',
    message: 'this route reads a file upload: send multipart/form-data',
  },
  FST_PROTO_VIOLATION: {
    status: 400,
    error: 'invalid_request',
    rule: 'multipart.field_name',
    message: 'a field of the upload has a name that is not allowed',
  },
  FST_MP_PREMATURE_CLOSE: {
    status: 400,
    error: 'invalid_request',
    rule: 'multipart.malformed',
    message: 'the upload ended before its last part was complete',
  },
};

export interface Rendered {
  status: number;
  body: ErrorBody;
  /** An unexpected failure: logged with its id, the client told only the id. */
  internal: boolean;
  /** Seconds to wait before retrying (a Retry-After header), for 503 and 429. */
  retryAfter?: number;
}

function fromSchemaValidation(
  err: {
    validation: ReadonlyArray<{ instancePath?: string; message?: string; keyword?: string }>;
    validationContext?: string;
  },
  request: FastifyRequest,
): Rendered {
  const first = err.validation[0];
  const field = (first?.instancePath ?? '')
    .split('/')
    .filter((k) => k !== '')
    .join('.');
  const message = first?.message ?? 'invalid input';
  const body: ErrorBody = {
    error: 'validation_failed',
    message: field === '' ? message : `${field}: ${message}`,
  };
  if (field !== '') {
    body.field = field;
  }
  const value = echoValue(
    valueAt(requestPart(request, err.validationContext), first?.instancePath ?? ''),
    field,
  );
  if (value !== undefined) {
    body.value = value;
  }
  body.rule = first?.keyword ?? 'schema';
  return { status: 400, body, internal: false };
}

function internal(): Rendered {
  return {
    status: 500,
    body: { error: 'internal', message: 'Internal error', id: randomUUID() },
    internal: true,
  };
}

/** Renders every error in the catalogue's shape `{ error, message, field?, value?, rule? }`. */
export function renderError(err: unknown, request: FastifyRequest): Rendered {
  if (err instanceof UnavailableError) {
    return { status: err.status, body: err.toBody(), internal: false, retryAfter: err.retryAfter };
  }
  if (err instanceof InternalError) {
    return { status: err.status, body: err.toBody(), internal: true };
  }
  if (err instanceof AppError) {
    return { status: err.status, body: err.toBody(), internal: false };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    return fromSchemaValidation(err, request);
  }
  if (isDatabaseUnavailable(err)) {
    const unavailable = new UnavailableError();
    return {
      status: unavailable.status,
      body: { ...unavailable.toBody(), id: randomUUID() },
      internal: false,
      retryAfter: unavailable.retryAfter,
    };
  }
  if (err instanceof Error && isResponseSerializationError(err)) {
    return internal();
  }
  const fastifyError = err as Partial<FastifyError>;
  const refusal = FRAMEWORK_REFUSALS[fastifyError.code ?? ''];
  if (refusal !== undefined) {
    const { status, error, message, rule } = refusal;
    return { status, body: { error, message, rule }, internal: false };
  }
  const status = fastifyError.statusCode ?? 500;
  if (status === 429) {
    return {
      status,
      body: {
        error: 'rate_limited',
        message: fastifyError.message ?? 'too many requests',
        rule: 'http.rate_limit',
      },
      internal: false,
    };
  }
  if (status === 404) {
    return { status, body: { error: 'not_found', message: 'Not found or no access' }, internal: false };
  }
  if (status >= 400 && status < 500) {
    // Any other refusal of the framework's: said in general words (its own may name internals).
    return {
      status: 400,
      body: { error: 'invalid_request', message: 'the request could not be read', rule: 'http.request' },
      internal: false,
    };
  }
  return internal();
}

export function errorHandler(
  this: unknown,
  err: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const { status, body, internal: isInternal, retryAfter } = renderError(err, request);
  if (isInternal || status === 503) {
    // The id ties the client's answer to this line; the error's own words stay in the log.
    const cause = err instanceof InternalError && err.cause !== undefined ? err.cause : err;
    request.log.error(
      { err: cause, errorId: body.id },
      status === 503 ? 'database unavailable' : 'request failed',
    );
  }
  if (retryAfter !== undefined) {
    void reply.header('retry-after', String(retryAfter));
  }
  return reply.status(status).send(body);
}
