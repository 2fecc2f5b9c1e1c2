import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger };

/** JSON logs on stderr, so that `--json` output on stdout stays machine-readable. */
export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: 'xinyong' } }, pino.destination(2));
}
