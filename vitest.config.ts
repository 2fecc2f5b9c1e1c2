import { defineConfig } from 'vitest/config';
import LongestFirst from './test/support/sequencer.ts';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup.ts'],
    pool: 'forks',
    // Vitest's default leaves one core idle; test files here wait on their embedded database, so
    // both cores of a 2-core machine keep busy (here: 313 s on one worker, 215 s on two).
    maxWorkers: 2,
    // A worker keeps its modules from one test file to the next: each file importing the platform
    // afresh (Fastify, Kysely, ExcelJS, PGlite, every module) cost 1-4 s, 118 s of a run in all.
    // The files share nothing but those modules and their caches of fixed data: each opens its own
    // database and closes what it opened, and one that changes process.env puts it back.
    isolate: false,
    // The longest files start first, also in a clean clone with no durations cached.
    sequence: { sequencer: LongestFirst },
    testTimeout: 30_000,
    // The tests assert English wording; the platform speaks Chinese unless told otherwise.
    env: { XINYONG_LANG: 'en' },
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
