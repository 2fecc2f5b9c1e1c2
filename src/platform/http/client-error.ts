/**
 * Requests Node's HTTP parser refuses before Fastify sees them: an over-long URL or header block,
 * a malformed request line or header. Fastify's default answers with its own body; the platform
 * answers in the catalogue's shape, so a client reads one kind of error whatever failed.
 */
import type { Socket } from 'node:net';
import type { ErrorBody } from '../errors.ts';

interface ClientError extends Error {
  code?: string;
}

function answer(err: ClientError): { status: number; reason: string; body: ErrorBody } {
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    return {
      status: 431,
      reason: 'Request Header Fields Too Large',
      body: {
        error: 'headers_too_large',
        message: 'the URL and headers are larger than the server reads (16 KiB)',
        rule: 'http.header_size',
      },
    };
  }
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT') {
    return {
      status: 408,
      reason: 'Request Timeout',
      body: { error: 'invalid_request', message: 'the request did not arrive in time', rule: 'http.timeout' },
    };
  }
  return {
    status: 400,
    reason: 'Bad Request',
    body: {
      error: 'invalid_request',
      message: 'the request is not well-formed HTTP',
      rule: 'http.malformed',
    },
  };
}

/** Fastify's `clientErrorHandler`: one JSON answer, then the connection is closed. */
export function clientErrorHandler(err: ClientError, socket: Socket): void {
  // A reset connection has nobody to answer; a socket already written to must not be written twice.
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, reason, body } = answer(err);
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
