import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/index.ts';
import type { z } from 'zod';
import {
  AppError,
  echoValue,
  fieldReason,
  InternalError,
  UnavailableError,
  type ErrorBody,
  type ErrorCode,
} from '../errors.ts';
import { msg, t, type Locale, type MessageKey } from '../i18n/index.ts';
import { issueReason, reasonIn } from '../reasons.ts';
import { requestLocale } from './locale.ts';

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
  /** The message's key in the i18n catalogue: the answer is in the caller's language. */
  message: MessageKey;
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
    message: 'http.json.invalid',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    error: 'invalid_request',
    rule: 'http.json',
    message: 'http.json.empty',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    error: 'invalid_request',
    rule: 'http.content_length',
    message: 'http.content_length',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    error: 'payload_too_large',
    rule: 'http.body_size',
    message: 'http.body_size',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    error: 'unsupported_media_type',
    rule: 'http.media_type',
    message: 'http.media_type',
  },
  FST_ERR_BAD_URL: {
    status: 400,
    error: 'invalid_request',
    rule: 'http.url',
    message: 'http.url',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    error: 'uri_too_long',
    rule: 'http.url_length',
    message: 'http.url_length',
  },
  FST_PARTS_LIMIT: {
    status: 413,
    error: 'payload_too_large',
    rule: 'multipart.parts',
    message: 'multipart.parts',
  },
  FST_FILES_LIMIT: {
    status: 413,
    error: 'payload_too_large',
    rule: 'multipart.files',
    message: 'multipart.files',
  },
  FST_FIELDS_LIMIT: {
    status: 413,
    error: 'payload_too_large',
    rule: 'multipart.fields',
    message: 'multipart.fields',
  },
  FST_REQ_FILE_TOO_LARGE: {
    status: 413,
    error: 'payload_too_large',
    rule: 'multipart.file_size',
    message: 'multipart.file_size',
  },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    status: 415,
    error: 'unsupported_media_type',
    rule: 'multipart.required',
    message: 'multipart.required',
  },
  FST_PROTO_VIOLATION: {
    status: 400,
    error: 'invalid_request',
    rule: 'multipart.field_name',
    message: 'multipart.field_name',
  },
  FST_MP_PREMATURE_CLOSE: {
    status: 400,
    error: 'invalid_request',
    rule: 'multipart.malformed',
    message: 'multipart.malformed',
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
    validation: ReadonlyArray<{
      instancePath?: string;
      message?: string;
      keyword?: string;
      params?: Record<string, unknown>;
    }>;
    validationContext?: string;
  },
  request: FastifyRequest,
  locale: Locale,
): Rendered {
  const first = err.validation[0];
  const path = (first?.instancePath ?? '').split('/').filter((k) => k !== '');
  const field = path.join('.');
  const offending = valueAt(requestPart(request, err.validationContext), first?.instancePath ?? '');
  // The zod issue again (the type provider keeps its fields in `params`), with the value it is
  // about: its reason is said in the caller's language.
  const reason =
    first?.message === undefined
      ? msg('errors.invalid_input')
      : issueReason({
          ...first.params,
          code: first.keyword,
          path,
          message: first.message,
          input: offending,
        } as z.core.$ZodIssue);
  const body: ErrorBody = {
    error: 'validation_failed',
    message: reasonIn(locale, fieldReason(field, reason)),
  };
  if (field !== '') {
    body.field = field;
  }
  const value = echoValue(offending, field);
  if (value !== undefined) {
    body.value = value;
  }
  body.rule = first?.keyword ?? 'schema';
  return { status: 400, body, internal: false };
}

function internal(locale: Locale): Rendered {
  return {
    status: 500,
    body: { error: 'internal', message: t(locale, 'errors.internal'), id: randomUUID() },
    internal: true,
  };
}

/**
 * Renders every error in the catalogue's shape `{ error, message, field?, value?, rule? }`, its
 * message in the request's language (Accept-Language, else the configured default) when the
 * message is in the i18n catalogue. The codes, rules, fields and values are the same in every one.
 */
export function renderError(err: unknown, request: FastifyRequest): Rendered {
  const locale = requestLocale(request);
  if (err instanceof UnavailableError) {
    return { status: err.status, body: err.toBody(locale), internal: false, retryAfter: err.retryAfter };
  }
  if (err instanceof InternalError) {
    return { status: err.status, body: err.toBody(locale), internal: true };
  }
  if (err instanceof AppError) {
    return { status: err.status, body: err.toBody(locale), internal: false };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    return fromSchemaValidation(err, request, locale);
  }
  if (isDatabaseUnavailable(err)) {
    const unavailable = new UnavailableError();
    return {
      status: unavailable.status,
      body: { ...unavailable.toBody(locale), id: randomUUID() },
      internal: false,
      retryAfter: unavailable.retryAfter,
    };
  }
  if (err instanceof Error && isResponseSerializationError(err)) {
    return internal(locale);
  }
  const fastifyError = err as Partial<FastifyError>;
  const refusal = FRAMEWORK_REFUSALS[fastifyError.code ?? ''];
  if (refusal !== undefined) {
    const { status, error, message, rule } = refusal;
    return { status, body: { error, message: t(locale, message), rule }, internal: false };
  }
  const status = fastifyError.statusCode ?? 500;
  if (status === 429) {
    return {
      status,
      body: {
        error: 'rate_limited',
        message: t(locale, 'errors.rate_limited'),
        rule: 'http.rate_limit',
      },
      internal: false,
    };
  }
  if (status === 404) {
    return { status, body: { error: 'not_found', message: t(locale, 'errors.not_found') }, internal: false };
  }
  if (status >= 400 && status < 500) {
    // Any other refusal of the framework's: said in general words (its own may name internals).
    return {
      status: 400,
      body: { error: 'invalid_request', message: t(locale, 'http.request'), rule: 'http.request' },
      internal: false,
    };
  }
  return internal(locale);
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
