/**
 * Refuses, before any hook or handler can pass it to SQL, text PostgreSQL cannot store: a NUL or
 * a lone surrogate anywhere a client can put one. Header values are checked as the request arrives
 * (a session cookie reaches SQL while the actor is resolved); the path parameters, the query and
 * the parsed body, keys included, once the route has authorised the caller, just before the
 * schema (authorise → validate). Multipart parts are checked as they are read (`readUpload`).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnstorableTextError } from '../errors.ts';
import { msg, type Text } from '../i18n/index.ts';
import { findBadText, type BadText } from '../text.ts';

/**
 * The catalogue's refusal for bad text found in `where` (a field path, or `header x`), which the
 * message names as `label` (`header x` is said in the reader's language).
 */
export function badTextError(found: BadText, where: string, label: Text = where): UnstorableTextError {
  const what = msg(found.inKey ? 'errors.text.key' : 'errors.text.value', { problem: found.reason });
  const message = where === '' ? what : msg('errors.field_reason', { field: label, reason: what });
  return new UnstorableTextError(message, {
    field: where === '' ? undefined : where,
    value: found.value,
    rule: found.rule,
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route reads its body without storing it and reports bad text itself, value by value
     * (the identifier validator: a bad value is a result with a failed check, never an error).
     */
    bodyTextReported?: boolean;
  }
}

function joined(prefix: string, field: string): string {
  return prefix === '' ? field : field === '' ? prefix : `${prefix}.${field}`;
}

function check(input: unknown, prefix: string): void {
  const found = findBadText(input);
  if (found !== undefined) {
    throw badTextError(found, joined(prefix, found.field));
  }
}

function checkHeaders(request: FastifyRequest): void {
  for (const [name, value] of Object.entries(request.headers)) {
    const found = findBadText(value);
    if (found !== undefined) {
      throw badTextError(found, `header ${name}`, msg('errors.text.header', { name }));
    }
  }
}

/** Registers the guard on the root instance; call it before any other hook is added. */
export function registerTextGuard(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    try {
      checkHeaders(request);
      done();
    } catch (err) {
      done(err as Error);
    }
  });
  app.addHook('preValidation', (request, _reply, done) => {
    try {
      check(request.params, '');
      check(request.query, '');
      if (request.routeOptions.config.bodyTextReported !== true) {
        check(request.body, '');
      }
      done();
    } catch (err) {
      done(err as Error);
    }
  });
}
