/**
 * One owner for the embedded database. PGlite is one process's memory: two processes on one data
 * directory would each write their own pages over the other's. The process that opens the directory
 * holds a lock file naming its pid; another process finds the owner there (to refuse, or to hand its
 * command to the owner's command socket). A lock whose pid is no longer alive, or that was copied
 * with the directory from elsewhere, is stale and is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { msg, render, type Locale, type Message } from '../i18n/index.ts';

export const LOCK_FILE = 'xinyong.lock';
/** The running server's command socket (mode 0600), beside the lock. */
export const COMMAND_SOCKET = 'xinyong.sock';

export interface LockHolder {
  pid: number;
  /** What the holder runs: `xinyong serve`, `xinyong ingest …`. */
  command: string;
  startedAt: string;
  /** The directory the lock was taken on: a lock copied along with a directory does not hold it. */
  dataDir: string;
}

export class DataDirLockedError extends Error {
  readonly localized: Message;

  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    const localized = msg('errors.data_dir_locked', {
      dir: dataDir,
      command: holder.command,
      pid: holder.pid,
      since: holder.startedAt,
    });
    super(render('en', localized));
    this.name = 'DataDirLockedError';
    this.localized = localized;
  }

  /** Who holds the directory, said in `locale`. */
  messageIn(locale: Locale): string {
    return render(locale, this.localized);
  }
}

export interface DataDirLock {
  /** A stale lock this one replaced: told once, as a warning. */
  readonly tookOver: LockHolder | undefined;
  release(): void;
}

/** Directories this process holds: a second open in the same process is refused too. */
const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) && parsed.pid > 0
      ? {
          pid: parsed.pid,
          command: String(parsed.command ?? 'an unknown process'),
          startedAt: String(parsed.startedAt ?? 'an unknown time'),
          dataDir: String(parsed.dataDir ?? ''),
        }
      : undefined;
  } catch {
    return undefined; // unreadable, half-written or gone: holds nothing
  }
}

/** The live owner of `dataDir`, if another process (or this one) holds it now. */
export function dataDirOwner(dataDir: string): LockHolder | undefined {
  const dir = path.resolve(dataDir);
  const holder = readHolder(path.join(dir, LOCK_FILE));
  if (holder === undefined || holder.dataDir !== dir) {
    return undefined;
  }
  if (holder.pid === process.pid) {
    return heldHere.has(dir) ? holder : undefined;
  }
  return alive(holder.pid) ? holder : undefined;
}

function describeCommand(): string {
  const args = process.argv.slice(2);
  return args.length === 0 ? `node (pid ${process.pid})` : `xinyong ${args.join(' ')}`.slice(0, 200);
}

/**
 * Takes the lock on `dataDir` (which must exist) or throws DataDirLockedError naming the owner.
 * The lock file is created exclusively, so two processes starting at once cannot both win.
 */
export function lockDataDir(dataDir: string, command: string = describeCommand()): DataDirLock {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, LOCK_FILE);
  const mine: LockHolder = { pid: process.pid, command, startedAt: new Date().toISOString(), dataDir: dir };
  let tookOver: LockHolder | undefined;
  for (let attempt = 0; ; attempt += 1) {
    try {
      fs.writeFileSync(file, `${JSON.stringify(mine)}\n`, { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) {
        throw err;
      }
    }
    const owner = dataDirOwner(dir);
    if (owner !== undefined) {
      throw new DataDirLockedError(dir, owner);
    }
    // Stale: its process is gone, or the file came with a copy of the directory.
    tookOver = readHolder(file) ?? { pid: 0, command: 'an unreadable lock', startedAt: '', dataDir: dir };
    fs.rmSync(file, { force: true });
  }
  heldHere.add(dir);
  let released = false;
  return {
    tookOver,
    release() {
      if (released) {
        return;
      }
      released = true;
      heldHere.delete(dir);
      // Only our own lock is removed: never one another process took over meanwhile.
      if (readHolder(file)?.pid === process.pid) {
        fs.rmSync(file, { force: true });
      }
    },
  };
}
