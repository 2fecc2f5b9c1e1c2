import { createRequire } from 'node:module';

/** The platform's version, from package.json (the same file from src/ and from dist/). */
export const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
