/**
 * What the command groups of `xinyong` share: the loaders that keep `--help` fast (each command
 * loads its own code when it runs), the configuration read when a command needs it, and the
 * argument parsers.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { isCivilDate } from '../../platform/calendar/civil-date.ts';
import type { MessageKey, MessageParams } from '../../platform/i18n/index.ts';
import { tr } from '../say.ts';

/** What every group of commands is registered with: the program, its help's words, the exit code. */
export interface ProgramContext {
  program: Command;
  h: (key: MessageKey, params?: MessageParams) => string;
  setExitCode: (code: number) => void;
  /** The whole command line again: a command the server runs for a caller on its own platform. */
  runCli: (argv: readonly string[]) => Promise<number>;
}

/**
 * Each command loads its own code when it runs: `xinyong --help` and `xinyong id` load neither
 * the database nor the HTTP server.
 */
export const load = {
  calendar: () => import('../calendar.ts'),
  audit: () => import('../audit.ts'),
  catalog: () => import('../catalog.ts'),
  access: () => import('../access.ts'),
  id: () => import('../id.ts'),
  ingest: () => import('../ingest.ts'),
  review: () => import('../review.ts'),
  objection: () => import('../objection.ts'),
  report: () => import('../report.ts'),
  file: () => import('../file.ts'),
  check: () => import('../check.ts'),
  evaluate: () => import('../evaluate.ts'),
  inspect: () => import('../inspect.ts'),
  federation: () => import('../federation.ts'),
  quality: () => import('../quality.ts'),
  serve: () => import('../serve.ts'),
};

/** The configuration, read from the environment when a command needs it. */
export const loadConfig = async () => (await import('../../platform/index.ts')).loadConfig();

export function civilDate(value: string): string {
  if (!isCivilDate(value)) {
    throw new InvalidArgumentError(tr('cli.argument.not_a_date', { value: JSON.stringify(value) }));
  }
  return value;
}

export function wholeNumber(value: string): number {
  if (!/^-?\d+$/.test(value)) {
    throw new InvalidArgumentError(tr('cli.argument.not_a_whole_number', { value: JSON.stringify(value) }));
  }
  return Number(value);
}

/** How many events `audit list` prints: the listing is read in one go, so it has a ceiling. */
export function eventCount(value: string): number {
  const n = wholeNumber(value);
  if (n < 1 || n > 100_000) {
    throw new InvalidArgumentError(tr('cli.argument.not_an_event_count', { value }));
  }
  return n;
}

export function port(value: string): number {
  const n = wholeNumber(value);
  if (n < 0 || n > 65535) {
    throw new InvalidArgumentError(tr('cli.argument.not_a_port', { value }));
  }
  return n;
}
