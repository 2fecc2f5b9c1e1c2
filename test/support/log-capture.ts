/** A logger whose lines a test can read: the platform's own (with its redaction), kept in memory. */
import { Writable } from 'node:stream';
import { createLogger, type Logger, type LogLevel } from '../../src/platform/index.ts';

export function capturedLogger(level: LogLevel = 'warn'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger(
    level,
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    }),
  );
  return { logger, lines };
}
