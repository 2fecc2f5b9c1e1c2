/**
 * Throughput of POST /api/identifiers/validate with batches of 1,000 values, over loopback, the
 * server in this process on the embedded database. Bounded: a fixed number of seconds.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createContainer } from '../src/container.ts';
import { benchConfig } from './config.ts';
import { mixedCorpus } from './corpus.ts';

/** The load generator: bounded by time, loopback only. */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, body, seconds, concurrency } = workerData;
const latencies = [];
const deadline = performance.now() + seconds * 1000;
async function client() {
  while (performance.now() < deadline) {
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error('HTTP ' + res.status);
    latencies.push(performance.now() - t0);
  }
}
const start = performance.now();
Promise.all(Array.from({ length: concurrency }, client)).then(() =>
  parentPort.postMessage({ latencies, elapsed: (performance.now() - start) / 1000 }));
`;

export async function benchHttpIdentifiers(seconds = 5, concurrency = 4): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'xinyong-bench-'));
  const container = await createContainer(benchConfig({ kind: 'pglite', dataDir }, dataDir));
  const app = await container.buildHttpServer();
  try {
    const url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/api/identifiers/validate`;
    const body = JSON.stringify({ values: mixedCorpus(1000, 7) });
    // The load runs in a worker thread, so the server keeps the main thread (one core) to itself.
    const worker = new Worker(CLIENT, { eval: true, workerData: { url, body, seconds, concurrency } });
    const { latencies, elapsed } = await new Promise<{ latencies: number[]; elapsed: number }>(
      (resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      },
    );
    await worker.terminate();
    latencies.sort((a, b) => a - b);
    const p = (q: number) =>
      (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(1);
    console.log(
      `POST /api/identifiers/validate, batches of 1,000, ${concurrency} clients in a worker thread, server on the main thread`,
    );
    console.log(
      `  ${Math.round(latencies.length / elapsed).toLocaleString('en-US')} requests/s, ` +
        `${Math.round((latencies.length * 1000) / elapsed).toLocaleString('en-US')} values/s, ` +
        `latency p50 ${p(0.5)} ms, p99 ${p(0.99)} ms`,
    );
  } finally {
    await app.close();
    await container.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}
