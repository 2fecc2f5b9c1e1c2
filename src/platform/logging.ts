import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger };

/** Where a secret could sit in something logged: never written to a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  'token',
  'secret',
  '*.password',
  '*.token',
  '*.secret',
  '*.*.password',
  '*.*.token',
];

/** JSON logs on stderr, so that `--json` output on stdout stays machine-readable. */
export function createLogger(level: LogLevel, destination: DestinationStream = pino.destination(2)): Logger {
  return pino(
    { level, base: { service: 'xinyong' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    destination,
  );
}
