/** HTTP load for the benchmarks: autocannon in a child process, so the server keeps this process's main thread. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fmt } from './stats.ts';

const LOAD = `
const autocannon = require('autocannon');
const { url, requests, seconds, connections, headers } = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
let next = 0;
autocannon({
  url, connections, duration: seconds, headers,
  requests: [{ setupRequest: (req) => {
    const r = requests[next++ % requests.length];
    return r.body === undefined ? { ...req, path: r.path } : { ...req, path: r.path, method: 'POST', body: r.body };
  } }],
}, (err, result) => {
  if (err) throw err;
  process.stdout.write(JSON.stringify({
    p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average,
    total: result.requests.total, non2xx: result.non2xx, errors: result.errors,
  }));
});
`;

export interface Load {
  p50: number;
  p99: number;
  rps: number;
  total: number;
  non2xx: number;
  errors: number;
}

/** A request of the mix: a GET of `path`, or a POST of `body` (JSON) to it. */
export interface LoadRequest {
  path: string;
  body?: string;
}

export async function load(
  url: string,
  requests: LoadRequest[],
  options: { seconds: number; connections: number; headers?: Record<string, string> },
): Promise<Load> {
  const child = spawn(process.execPath, ['-e', LOAD], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(JSON.stringify({ url, requests, ...options, headers: options.headers ?? {} }));
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) {
    throw new Error(`the load generator exited with ${String(code)}`);
  }
  return JSON.parse(out) as Load;
}

export function printLoad(label: string, r: Load): void {
  console.log(
    `${label}: ${fmt(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms (${fmt(r.total)} requests, ${r.non2xx} not 2xx, ${r.errors} errors)`,
  );
}

/** What a scenario must reach against the floor: a share of its req/s, at most a multiple of its p99. */
export interface LoadTargets {
  rps: number;
  p99?: number;
}

/** A scenario's req/s and p99 as ratios to the floor's, measured in the same run. */
export function ratios(r: Load, floor: Load): { rps: number; p99: number } {
  return { rps: r.rps / Math.max(1, floor.rps), p99: r.p99 / Math.max(1, floor.p99) };
}

/** A scenario's figures as ratios to the floor measured in the same run, against its targets. */
export function printRatios(label: string, r: Load, floor: Load, targets: LoadTargets): void {
  const { rps, p99 } = ratios(r, floor);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(
    `  ${label} / floor: ${(rps * 100).toFixed(0)}% of its req/s (target ≥ ${targets.rps * 100}%: ${verdict(rps >= targets.rps)})` +
      (targets.p99 === undefined
        ? ''
        : `; p99 ${p99.toFixed(1)}× its p99 (target ≤ ${targets.p99}×: ${verdict(p99 <= targets.p99)})`),
  );
}
