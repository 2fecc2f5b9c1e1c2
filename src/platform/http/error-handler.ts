import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, echoValue, type ErrorBody } from '../errors.ts';

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

/** Renders every error in the catalogue's shape `{ error, message, field?, value?, rule? }`. */
export function renderError(
  err: unknown,
  request: FastifyRequest,
): { status: number; body: ErrorBody; internal: boolean } {
  if (err instanceof AppError) {
    return { status: err.status, body: err.toBody(), internal: false };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
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
    const value = echoValue(valueAt(requestPart(request, err.validationContext), first?.instancePath ?? ''));
    if (value !== undefined) {
      body.value = value;
    }
    body.rule = first?.keyword ?? 'schema';
    return { status: 400, body, internal: false };
  }
  if (err instanceof Error && isResponseSerializationError(err)) {
    return { status: 500, body: { error: 'internal', message: 'Internal error' }, internal: true };
  }
  const fastifyError = err as Partial<FastifyError>;
  const status = fastifyError.statusCode ?? 500;
  if (status === 413) {
    return {
      status,
      body: { error: 'payload_too_large', message: 'the request body is too large' },
      internal: false,
    };
  }
  if (status === 429) {
    return {
      status,
      body: { error: 'rate_limited', message: fastifyError.message ?? 'too many requests' },
      internal: false,
    };
  }
  if (status === 404) {
    return { status, body: { error: 'not_found', message: 'Not found or no access' }, internal: false };
  }
  if (status >= 400 && status < 500) {
    // Fastify's own refusals: malformed JSON, an unsupported content type, an empty body.
    return {
      status: 400,
      body: { error: 'invalid_request', message: fastifyError.message ?? 'the request could not be read' },
      internal: false,
    };
  }
  return { status: 500, body: { error: 'internal', message: 'Internal error' }, internal: true };
}

export function errorHandler(
  this: unknown,
  err: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const { status, body, internal } = renderError(err, request);
  if (internal) {
    request.log.error({ err }, 'request failed');
  }
  return reply.status(status).send(body);
}
