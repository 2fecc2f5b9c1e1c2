/**
 * The running server's command socket. While a server owns the embedded database, a command typed
 * at the terminal is handed to the server over a Unix socket in the data directory (mode 0600:
 * only an operator who can read the data can use it). The server runs the same command code in its
 * own process, on its own platform, and relays the output and the exit code.
 *
 * The protocol is one JSON line each way to start, then JSON lines back:
 *   → { argv, cwd, errIsTTY, columns }
 *   ← { o: text } standard output · { e: text } standard error · { exit: code } the end
 */
import fs from 'node:fs';
import net from 'node:net';
import { Writable } from 'node:stream';
import path from 'node:path';
import { t, type Locale } from '../platform/i18n/index.ts';
import { hostContainer, type CliIo } from './io.ts';
import { cliLocale, withoutLang } from './locale.ts';

interface Request {
  argv: string[];
  cwd: string;
  errIsTTY: boolean;
  columns?: number;
}

type Message = { o: string } | { e: string } | { exit: number };

/** Unix socket paths are limited to about 107 bytes. */
const MAX_SOCKET_PATH = 100;

function parseRequest(line: string): Request | undefined {
  try {
    const r = JSON.parse(line) as Partial<Request>;
    return Array.isArray(r.argv) && r.argv.every((a) => typeof a === 'string') && typeof r.cwd === 'string'
      ? {
          argv: r.argv,
          cwd: r.cwd,
          errIsTTY: r.errIsTTY === true,
          ...(typeof r.columns === 'number' ? { columns: r.columns } : {}),
        }
      : undefined;
  } catch {
    return undefined;
  }
}

function socketIo(socket: net.Socket, request: Request): CliIo {
  const send = (m: Message) => {
    if (!socket.destroyed) {
      socket.write(`${JSON.stringify(m)}\n`);
    }
  };
  const errStream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        send({ e: chunk.toString() });
        done();
      },
    }),
    { isTTY: request.errIsTTY, columns: request.columns ?? 80 },
  );
  return {
    stdout: (text) => send({ o: text }),
    stderr: (text) => send({ e: text }),
    errStream,
    cwd: request.cwd,
  };
}

export interface CommandSocket {
  readonly path: string;
  close(): Promise<void>;
}

export type RunCommand = (argv: string[], io: CliIo) => Promise<number>;

/**
 * Listens on `socketPath` for commands; `run` runs one with the caller's I/O and resolves with its
 * exit code. A socket file left by a server that is gone is replaced (the caller holds the lock).
 * Undefined when the path is too long for a Unix socket: commands then wait for the server to stop.
 */
export async function listenForCommands(
  socketPath: string,
  run: RunCommand,
  onError: (err: unknown) => void,
): Promise<CommandSocket | undefined> {
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    return undefined;
  }
  fs.rmSync(socketPath, { force: true });
  const server = net.createServer((socket) => {
    socket.setEncoding('utf8');
    socket.on('error', () => undefined); // the caller went away; the command still finishes
    let buffered = '';
    const onData = (chunk: string) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end < 0) {
        if (buffered.length > 1_000_000) {
          socket.destroy();
        }
        return;
      }
      socket.off('data', onData);
      const request = parseRequest(buffered.slice(0, end));
      if (request === undefined) {
        const refusal = `${t(cliLocale([]), 'cli.socket.not_a_request')}\n`;
        socket.end(`${JSON.stringify({ e: refusal })}\n${JSON.stringify({ exit: 2 })}\n`);
        return;
      }
      const io = socketIo(socket, request);
      run(request.argv, io)
        .catch((err: unknown) => {
          onError(err);
          // The caller's language: the command line hands it over as --lang.
          io.stderr(`${t(cliLocale(['node', 'xinyong', ...request.argv]), 'cli.socket.could_not_run')}\n`);
          return 1;
        })
        .then((exit) => socket.end(`${JSON.stringify({ exit })}\n`))
        .catch(onError);
    };
    socket.on('data', onData);
  });
  // Created with no permission for group or others from the first instant, then made sure of.
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(umask);
  }
  fs.chmodSync(socketPath, 0o600);
  return {
    path: socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        fs.rmSync(socketPath, { force: true });
      }),
  };
}

export class NoServerError extends Error {
  constructor() {
    super('no server answers on the command socket');
    this.name = 'NoServerError';
  }
}

/**
 * Hands a command to the server on `socketPath`, relays its output to this process, and resolves
 * with its exit code. Rejects with NoServerError when nobody listens (a server that is gone).
 * `locale`: the language of this side's own message.
 */
export function forwardCommand(socketPath: string, argv: string[], locale: Locale): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const socket = net.connect(socketPath);
    socket.setEncoding('utf8');
    let started = false;
    let buffered = '';
    let exit: number | undefined;
    socket.on('connect', () => {
      started = true;
      const request: Request = {
        argv,
        cwd: process.cwd(),
        errIsTTY: process.stderr.isTTY === true,
        ...(process.stderr.columns === undefined ? {} : { columns: process.stderr.columns }),
      };
      socket.write(`${JSON.stringify(request)}\n`);
    });
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        const m = JSON.parse(line) as Partial<{ o: string; e: string; exit: number }>;
        if (typeof m.o === 'string') {
          process.stdout.write(m.o);
        } else if (typeof m.e === 'string') {
          process.stderr.write(m.e);
        } else if (typeof m.exit === 'number') {
          exit = m.exit;
        }
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (!started) {
        reject(err.code === 'ENOENT' || err.code === 'ECONNREFUSED' ? new NoServerError() : err);
      }
      // After the start, 'close' follows and says what happened.
    });
    socket.on('close', () => {
      if (exit !== undefined) {
        resolve(exit);
      } else if (started) {
        process.stderr.write(`${t(locale, 'cli.socket.server_stopped')}\n`);
        resolve(1);
      }
    });
  });
}

/** Commands that never open the database, and the server itself (refused when one runs). */
const LOCAL_COMMANDS = new Set(['id', 'serve', 'help']);

/**
 * The command socket of a server that owns the embedded database now, when this command needs the
 * database: the command is handed to it rather than refused.
 */
export async function runningServerSocket(argv: readonly string[]): Promise<string | undefined> {
  const name = withoutLang(argv.slice(2))[0];
  if (
    name === undefined ||
    name.startsWith('-') ||
    LOCAL_COMMANDS.has(name) ||
    hostContainer() !== undefined
  ) {
    return undefined;
  }
  const { COMMAND_SOCKET, dataDirOwner } = await import('../platform/index.ts');
  let dataDir: string;
  try {
    const config = (await import('../platform/index.ts')).loadConfig();
    if (config.database.kind !== 'pglite') {
      return undefined; // PostgreSQL: every process connects directly
    }
    dataDir = config.database.dataDir;
  } catch {
    return undefined; // the command reports the configuration error itself
  }
  const owner = dataDirOwner(dataDir);
  return owner === undefined || owner.pid === process.pid ? undefined : path.join(dataDir, COMMAND_SOCKET);
}
