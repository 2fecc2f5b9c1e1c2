/**
 * Throughput of the full validate() — normalise, classify, every check, the parts — on one core
 * (this loop runs on the main thread only). Target: ≥ 1,000,000 validations per second per core.
 */
import { validate } from '../src/modules/identifiers/index.ts';
import { corpus, mixedCorpus } from './corpus.ts';

function measure(values: readonly string[], seconds: number): { perSecond: number; invalid: number } {
  let sink = 0;
  // Warm up, so that the measured loop runs optimised code.
  for (let i = 0; i < 200_000; i += 1) {
    sink += validate(values[i % values.length] ?? '').checks.length;
  }
  let done = 0;
  let invalid = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 10_000; i += 1) {
      const result = validate(values[(done + i) % values.length] ?? '');
      sink += result.checks.length;
      if (!result.valid) {
        invalid += 1;
      }
    }
    done += 10_000;
    now = process.hrtime.bigint();
  }
  const elapsed = Number(now - start) / 1e9;
  if (sink === 0) {
    throw new Error('nothing validated');
  }
  return { perSecond: done / elapsed, invalid: invalid / done };
}

export function benchIdentifiers(seconds = 3): void {
  const cases: Array<[string, string[]]> = [
    ['unified codes, clean', corpus('uscc', 10_000)],
    ['citizen IDs, clean', corpus('citizen_id', 10_000)],
    ['department mix (legacy, full-width, hyphens, 5% wrong)', mixedCorpus(10_000)],
  ];
  console.log('validate() on one core');
  for (const [label, values] of cases) {
    const { perSecond, invalid } = measure(values, seconds);
    console.log(
      `  ${label.padEnd(56)} ${Math.round(perSecond).toLocaleString('en-US').padStart(11)} validations/s` +
        `  (${(invalid * 100).toFixed(1)}% invalid)`,
    );
  }
}
