/**
 * Where a command writes and whose files it means. In a terminal: this process's stdout, stderr and
 * working directory. Handed to the running server over its command socket: the caller's, relayed
 * over the socket, and the server's own container instead of a second open of the database.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { Container } from '../container.ts';
import type { Locale } from '../platform/i18n/locale.ts';
import { envLocale } from './locale.ts';

export interface CliIo {
  /** Standard output, as written (lines carry their own newline). */
  stdout(text: string): void;
  /** Standard error, as written. */
  stderr(text: string): void;
  /** A stream onto standard error, for progress bars. */
  readonly errStream: Writable & { isTTY?: boolean };
  /** The caller's working directory: relative paths in arguments are the caller's. */
  readonly cwd: string;
}

interface Session {
  io: CliIo;
  /** The running server's platform, when the command was handed to it. */
  host?: Container;
  /** The language the command speaks (`--lang`, XINYONG_LANG, else Chinese). */
  locale?: Locale;
}

const sessions = new AsyncLocalStorage<Session>();

/** This process's own terminal: what a command writes to when nothing else was given. */
export const TERMINAL_IO: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  get errStream() {
    return process.stderr;
  },
  get cwd() {
    return process.cwd();
  },
};

export function cliIo(): CliIo {
  return sessions.getStore()?.io ?? TERMINAL_IO;
}

/** One line of standard output. */
export const out = (line: string): void => cliIo().stdout(`${line}\n`);

/** One line of standard error. */
export const warn = (line: string): void => cliIo().stderr(`${line}\n`);

/** A path argument as the caller meant it. */
export const callerPath = (p: string): string => path.resolve(cliIo().cwd, p);

/** The running server's platform, when this command runs inside it. */
export function hostContainer(): Container | undefined {
  return sessions.getStore()?.host;
}

/** Runs `fn` as a command of the caller whose I/O is `io`, on the server's platform `host`. */
export function runHosted<T>(io: CliIo, host: Container, fn: () => Promise<T>): Promise<T> {
  return sessions.run({ io, host }, fn);
}

/**
 * The language of the command running now; a command's code called outside a command line (a
 * test, a job) speaks XINYONG_LANG, else Chinese.
 */
export function cliLocaleNow(): Locale {
  return sessions.getStore()?.locale ?? envLocale();
}

/** Runs `fn` as a command that speaks `locale`, on the same I/O and platform. */
export function speaking<T>(locale: Locale, fn: () => Promise<T>): Promise<T> {
  const current = sessions.getStore();
  return sessions.run({ io: current?.io ?? TERMINAL_IO, host: current?.host, locale }, fn);
}
