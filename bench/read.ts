/**
 * Public reads on PostgreSQL at scale: name search over a fixed query mix (two-character brands,
 * three- and four-character fragments, full names with their legal form, codes) and the public
 * file by code, each under autocannon at 32 connections against the running server. Prints p50,
 * p99 and requests per second. The data (default 1,000,000 subjects and 10,000,000 records) is
 * built on the first run and kept (see read-data.ts); it is never part of CI.
 *
 *   BENCH_DATABASE_URL=postgres://… npm run bench:read [-- --subjects N --records N --seconds S]
 *
 * The first scenario is the floor the others are measured against, in the same run: the health
 * route, one `select 1` a request. Targets (issue 14), printed as ratios: search ≥ 50% of the
 * floor's req/s with p99 ≤ 2× the floor's; file by code ≥ 50% of the floor's req/s. The name and
 * code queries of the mix are also run apart (names answer from the in-memory index, codes from SQL).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { BRANDS } from '../src/demo/index.ts';
import { machineLine } from './config.ts';
import { load, printLoad, printRatios, type Load, type LoadTargets } from './load.ts';
import { commandLine, isMain } from './options.ts';
import { openReadBench, readBenchOptions, type ReadBenchOptions } from './read-data.ts';
import { fmt } from './stats.ts';

/** Targets against the floor (issue 14); the name and code queries apart are held to search's. */
export const READ_TARGETS = {
  search: { rps: 0.5, p99: 2 },
  fileByCode: { rps: 0.5 },
} as const satisfies Record<string, LoadTargets>;

export interface ReadFigures {
  subjects: number;
  records: number;
  /** The name index as a server builds it: its build time and the memory it keeps. */
  nameIndex: { subjects: number; buildMs: number; keptMiB: number };
  /** GET /api/health: the HTTP stack and one `select 1`. */
  floor: Load;
  nameQueries: Load;
  codeQueries: Load;
  search: Load;
  fileByCode: Load;
}

/** The query mix: brands (2 characters), fragments (3–4), full names with their legal form, codes. */
export function queryMix(sample: ReadonlyArray<{ code: string; name: string }>): string[] {
  return sample.map((s, k) => {
    const brand = BRANDS.find((b) => s.name.includes(b)) ?? [...s.name].slice(2, 4).join('');
    const at = s.name.indexOf(brand);
    return k % 4 === 0
      ? brand
      : k % 4 === 1
        ? s.name.slice(Math.max(0, at), Math.max(0, at) + 3 + (k % 2))
        : k % 4 === 2
          ? s.name
          : s.code;
  });
}

const searchPaths = (sample: ReadonlyArray<{ code: string; name: string }>): string[] =>
  queryMix(sample).map((q) => `/api/public/subjects?q=${encodeURIComponent(q)}`);

/** Live heap and array buffers after a full collection. */
function liveMemory(): number {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

export async function benchRead(options: ReadBenchOptions): Promise<ReadFigures | undefined> {
  const bench = await openReadBench('bench:read', options);
  if (bench === undefined) {
    return undefined;
  }
  const { data, container } = bench;
  const { seconds, connections } = options;
  // The name index, as a server builds it once it listens: its build time and the memory it
  // keeps (live heap and typed arrays, after a collection, before and after).
  const before = liveMemory();
  await container.nameIndex.start();
  const index = container.nameIndex.status();
  const kept = (liveMemory() - before) / 1048576;
  console.log(
    `name index: ${fmt(index.subjects)} subjects built from the database in ${((index.buildMs ?? 0) / 1000).toFixed(1)} s; it keeps ${fmt(kept)} MiB (${fmt((kept / Math.max(1, index.subjects)) * 1_000_000)} MiB per million subjects)`,
  );
  const app = await container.buildHttpServer();
  try {
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    console.log(
      `${fmt(data.subjects)} subjects, ${fmt(data.records)} records; autocannon in a child process, ${connections} connections, ${seconds} s each`,
    );
    const run = async (label: string, paths: string[]) => {
      const requests = paths.map((path) => ({ path }));
      await load(url, requests.slice(0, 50), { seconds: 3, connections: 4 }); // warm-up
      const r = await load(url, requests, { seconds, connections });
      printLoad(label, r);
      return r;
    };
    // The floor on this machine: the same server, the same load, one `select 1` per request.
    const floor = await run('floor: GET /api/health (HTTP and one select 1)', ['/api/health']);
    const mix = queryMix(data.sample);
    const names = mix.filter((_, k) => k % 4 !== 3);
    const byName = await run(
      'name queries of the mix alone (brands, fragments, full names)',
      names.map((q) => `/api/public/subjects?q=${encodeURIComponent(q)}`),
    );
    printRatios('name search', byName, floor, READ_TARGETS.search);
    const byCode = await run(
      'code queries of the mix alone',
      mix.filter((_, k) => k % 4 === 3).map((q) => `/api/public/subjects?q=${encodeURIComponent(q)}`),
    );
    printRatios('code search', byCode, floor, READ_TARGETS.search);
    const search = await run(
      'public name search (brands, fragments, full names, codes)',
      searchPaths(data.sample),
    );
    printRatios('search', search, floor, READ_TARGETS.search);
    const file = await run(
      'public file by code',
      data.sample.map((s) => `/api/public/subjects/${s.code}`),
    );
    printRatios('file by code', file, floor, READ_TARGETS.fileByCode);
    return {
      subjects: data.subjects,
      records: data.records,
      nameIndex: { subjects: index.subjects, buildMs: index.buildMs ?? 0, keptMiB: kept },
      floor,
      nameQueries: byName,
      codeQueries: byCode,
      search,
      fileByCode: file,
    };
  } finally {
    await app.close();
    await container.close();
  }
}

if (isMain(import.meta.url)) {
  console.log(machineLine());
  await benchRead(readBenchOptions(commandLine()));
}
