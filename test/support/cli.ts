import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** tsx's loader by its own path, so that a command started from any directory finds it. */
const tsx = pathToFileURL(
  path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs'),
).href;

/**
 * How a test starts the command line as a process: the sources through tsx, never a build that
 * may be older than them. `spawn(process.execPath, [...CLI, 'serve'])`.
 */
export const CLI: readonly string[] = ['--import', tsx, path.resolve('src/cli.ts')];
