/**
 * Throughput of the full validate() — normalise, classify, every check, the parts — on one core
 * (this loop runs on the main thread only). Target: ≥ 1,000,000 validations per second per core.
 */
import { validate } from '../src/modules/identifiers/index.ts';
import { corpus, mixedCorpus } from './corpus.ts';

/** One timed round: validations per second. */
function round(
  values: readonly string[],
  seconds: number,
): { perSecond: number; invalid: number; sink: number } {
  let done = 0;
  let invalid = 0;
  let sink = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < values.length; i += 1) {
      const result = validate(values[i] as string);
      sink += result.checks.length;
      if (!result.valid) {
        invalid += 1;
      }
    }
    done += values.length;
    now = process.hrtime.bigint();
  }
  return { perSecond: done / (Number(now - start) / 1e9), invalid: invalid / done, sink };
}

/** The median of several rounds after a warm-up: single runs on a shared machine vary by ±20%. */
function measure(
  values: readonly string[],
  rounds: number,
  seconds: number,
): { median: number; invalid: number } {
  round(values, 0.5); // warm-up, so that the measured rounds run optimised code
  const results = Array.from({ length: rounds }, () => round(values, seconds));
  if (results.some((r) => r.sink === 0)) {
    throw new Error('nothing validated');
  }
  const sorted = results.map((r) => r.perSecond).sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] ?? 0, invalid: results[0]?.invalid ?? 0 };
}

export function benchIdentifiers(rounds = 5, seconds = 1): void {
  const cases: Array<[string, string[]]> = [
    ['unified codes, clean', corpus('uscc', 10_000)],
    ['citizen IDs, clean', corpus('citizen_id', 10_000)],
    ['department mix (legacy, full-width, hyphens, 5% wrong)', mixedCorpus(10_000)],
  ];
  console.log(`validate() on one core, median of ${rounds} rounds of ${seconds} s`);
  for (const [label, values] of cases) {
    const { median, invalid } = measure(values, rounds, seconds);
    console.log(
      `  ${label.padEnd(56)} ${Math.round(median).toLocaleString('en-US').padStart(11)} validations/s` +
        `  (${(invalid * 100).toFixed(1)}% invalid)`,
    );
  }
}
