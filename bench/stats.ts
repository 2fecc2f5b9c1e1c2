/** Figures as the benches print them, and the percentiles they report. */

/** A whole number with thousands separators: 1,234,567. */
export const fmt = (n: number): string => Math.round(n).toLocaleString('en');

/** The `p`th percentile (0–100) of `values`, nearest rank; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Bytes in MiB, or GiB from one GiB up. */
export function bytes(n: number): string {
  const MiB = 1024 ** 2;
  return n >= 1024 * MiB ? `${(n / (1024 * MiB)).toFixed(2)} GiB` : `${(n / MiB).toFixed(1)} MiB`;
}

/** Milliseconds to a tenth. */
export const ms = (n: number): string => `${n.toFixed(1)} ms`;

/** A latency's median and 99th percentile, in milliseconds. */
export interface Timing {
  p50Ms: number;
  p99Ms: number;
}

export const timing = (values: readonly number[]): Timing => ({
  p50Ms: percentile(values, 50),
  p99Ms: percentile(values, 99),
});
