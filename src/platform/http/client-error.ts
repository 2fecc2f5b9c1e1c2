/**
 * Requests Node's HTTP parser refuses before Fastify sees them: an over-long URL or header block,
 * a malformed request line or header. Fastify's default answers with its own body; the platform
 * answers in the catalogue's shape, so a client reads one kind of error whatever failed.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { ErrorBody } from '../errors.ts';
import { t, type Locale } from '../i18n/index.ts';
import { defaultLocaleOf } from './locale.ts';

interface ClientError extends Error {
  code?: string;
}

/** `locale`: the configured default, since a request the parser refused has no headers to read. */
function answer(err: ClientError, locale: Locale): { status: number; reason: string; body: ErrorBody } {
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    return {
      status: 431,
      reason: 'Request Header Fields Too Large',
      body: {
        error: 'headers_too_large',
        message: t(locale, 'http.header_size'),
        rule: 'http.header_size',
      },
    };
  }
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT') {
    return {
      status: 408,
      reason: 'Request Timeout',
      body: { error: 'invalid_request', message: t(locale, 'http.timeout'), rule: 'http.timeout' },
    };
  }
  return {
    status: 400,
    reason: 'Bad Request',
    body: {
      error: 'invalid_request',
      message: t(locale, 'http.malformed'),
      rule: 'http.malformed',
    },
  };
}

/**
 * Fastify's `clientErrorHandler` (Fastify binds it to its instance): one JSON answer, then the
 * connection is closed.
 */
export function clientErrorHandler(
  this: FastifyInstance | undefined,
  err: ClientError,
  socket: Socket,
): void {
  // A reset connection has nobody to answer; a socket already written to must not be written twice.
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, reason, body } = answer(err, defaultLocaleOf(this));
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      'X-Content-Type-Options: nosniff\r\n' +
      'Cache-Control: no-store\r\n' +
      `Content-Length: ${Buffer.byteLength(json)}\r\n` +
      'Connection: close\r\n\r\n' +
      json,
  );
}
