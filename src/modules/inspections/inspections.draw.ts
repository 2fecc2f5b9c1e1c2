/**
 * The draw of graded inspection sampling, pure and reproducible: given the announced seed, the
 * subjects of the pool with their levels, the rate of each level and the inspectors, anyone can
 * draw the same sample again. Exactly:
 *
 * - K, the key, is the seed's 32 bytes (its 64 hex characters decoded). HMAC(m) below is
 *   HMAC-SHA256 under K of the UTF-8 bytes of the text m; codes are the normalised codes.
 * - Subjects. Per level group (the levels of the model in force, then `unrated` for subjects
 *   without a result) of size s, with its rate taken as u = round(rate × 10000) units of 1/10000,
 *   ceil(u × s / 10000) subjects are drawn (`sampleSize`): the ones with the lowest
 *   HMAC("subject:" + code), digests compared as big-endian unsigned numbers, i.e. as lowercase hex
 *   (ties, never seen in practice, by the code). A group drawn whole or not at all needs no HMAC.
 * - Inspectors. The pool of inspectors is sorted by the UTF-8 bytes of the names (Unicode code
 *   point order) into P = P[0] … P[n−1]. For a drawn subject, the stream of its random words is
 *   HMAC("inspector:" + code + ":0") ‖ HMAC("inspector:" + code + ":1") ‖ … (the counter in
 *   decimal), read as 32-bit big-endian unsigned words w, as many blocks as needed. Its
 *   `perSubject` inspectors are a partial Fisher–Yates shuffle of a copy A of P: for
 *   i = 0, 1, …, perSubject − 1, with m = n − i, the next word w of the stream below
 *   2^32 − (2^32 mod m) is taken (a word at or above that is skipped, so that every r is equally
 *   likely), r = w mod m, A[i] and A[i + r] are swapped, and A[i] is the i-th inspector.
 *   The inspectors are listed in that order.
 * - The sample is listed sorted by code (JavaScript string order; the codes are ASCII).
 *
 * The result depends only on the seed and the pool, never on the order the pool or the inspectors
 * are given in. It costs at most one HMAC per subject of the pool and one (all but never two) per
 * subject drawn, whatever the number of inspectors; sorting is O(n log n).
 */
import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/** The group of subjects the model in force has no result for. */
export const UNRATED = 'unrated';

/** Rates are read in units of 1/10000 (0.01 %), so that a sample size is computed exactly. */
export const RATE_UNITS = 10_000;

export interface PoolSubject {
  /** The normalised code the subject is drawn by. */
  code: string;
  name: string;
  /** Its level under the model in force; null: unrated. */
  level: string | null;
}

export interface DrawInput {
  /** 64 hex characters. */
  seed: string;
  subjects: readonly PoolSubject[];
  /** The groups in the order they are reported: the model's levels, then `unrated`. */
  levels: readonly string[];
  /** By level code, and `unrated`: a number from 0 to 1. */
  rates: Readonly<Record<string, number>>;
  /** Distinct, in any order; at least `perSubject`. */
  inspectors: readonly string[];
  perSubject: number;
}

export interface DrawGroup {
  level: string;
  poolSize: number;
  rate: number;
  drawn: number;
}

export interface DrawnSubject {
  code: string;
  name: string;
  level: string | null;
  inspectors: string[];
}

export interface DrawOutcome {
  groups: DrawGroup[];
  /** Sorted by code. */
  sample: DrawnSubject[];
}

/** ceil(rate × size), exactly: the rate taken in units of 1/10000. */
export function sampleSize(rate: number, size: number): number {
  const units = Math.round(rate * RATE_UNITS);
  return Math.min(size, Math.floor((units * size + RATE_UNITS - 1) / RATE_UNITS));
}

/** HMAC-SHA256 under the seed, hex: its order is the order of the bytes. */
export function rank(seed: string, message: string): string {
  return createHmac('sha256', Buffer.from(seed, 'hex')).update(message, 'utf8').digest('hex');
}

/** SHA-256 of the pool's codes, sorted and joined by line feeds: what the public can check a pool by. */
export function poolDigest(codes: readonly string[]): string {
  return createHash('sha256')
    .update([...codes].sort(byCode).join('\n'), 'utf8')
    .digest('hex');
}

function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares texts by their UTF-8 bytes, i.e. by Unicode code points (not UTF-16 code units). */
function byCodePoint(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The `count` items with the lowest rank (ties, which HMAC makes vanishingly rare, by the item itself). */
function lowest<T>(
  items: readonly T[],
  count: number,
  key: (item: T) => string,
  tie: (item: T) => string,
): T[] {
  if (count <= 0) {
    return [];
  }
  if (count >= items.length) {
    return [...items];
  }
  return items
    .map((item) => ({ item, key: key(item), tie: tie(item) }))
    .sort((a, b) => byCode(a.key, b.key) || byCode(a.tie, b.tie))
    .slice(0, count)
    .map((r) => r.item);
}

const WORD_LIMIT = 2 ** 32;

/**
 * `count` distinct inspectors of the sorted pool for the subject `code`: a partial Fisher–Yates
 * shuffle driven by the subject's stream, with rejection of the words that would bias r (see the
 * module's comment). The swaps are kept in a map, as if on a copy of the pool, which is not copied.
 */
function chooseInspectors(key: KeyObject, code: string, sorted: readonly string[], count: number): string[] {
  const n = sorted.length;
  const swapped = new Map<number, number>();
  const chosen: string[] = [];
  let block = Buffer.alloc(0);
  let counter = 0;
  let offset = 0;
  const next = (): number => {
    if (offset === block.length) {
      block = createHmac('sha256', key).update(`inspector:${code}:${counter}`, 'utf8').digest();
      counter += 1;
      offset = 0;
    }
    const word = block.readUInt32BE(offset);
    offset += 4;
    return word;
  };
  for (let i = 0; i < count; i += 1) {
    const m = n - i;
    const limit = WORD_LIMIT - (WORD_LIMIT % m);
    let word = next();
    while (word >= limit) {
      word = next();
    }
    const j = i + (word % m);
    const atI = swapped.get(i) ?? i;
    const atJ = swapped.get(j) ?? j;
    swapped.set(j, atI);
    chosen.push(sorted[atJ] as string);
  }
  return chosen;
}

export function drawSample(input: DrawInput): DrawOutcome {
  if (!/^[0-9a-f]{64}$/.test(input.seed)) {
    throw new RangeError('the seed is 64 lowercase hex characters');
  }
  const inspectors = [...input.inspectors].sort(byCodePoint);
  if (inspectors.some((who, i) => i > 0 && who === inspectors[i - 1])) {
    throw new RangeError('an inspector is listed more than once');
  }
  if (!Number.isInteger(input.perSubject) || input.perSubject < 0 || input.perSubject > inspectors.length) {
    throw new RangeError(`${input.perSubject} inspectors a subject, but the pool has ${inspectors.length}`);
  }
  const key = createSecretKey(Buffer.from(input.seed, 'hex'));
  const byLevel = new Map<string, PoolSubject[]>(input.levels.map((level) => [level, []]));
  for (const subject of input.subjects) {
    const group = byLevel.get(subject.level ?? UNRATED);
    if (group === undefined) {
      throw new RangeError(`level ${subject.level ?? UNRATED} is not one of the groups`);
    }
    group.push(subject);
  }
  const groups: DrawGroup[] = [];
  const sample: DrawnSubject[] = [];
  for (const [level, members] of byLevel) {
    const rate = input.rates[level];
    if (rate === undefined || !(rate >= 0 && rate <= 1)) {
      throw new RangeError(`no rate from 0 to 1 for level ${level}`);
    }
    const drawn = lowest(
      members,
      sampleSize(rate, members.length),
      (s) => createHmac('sha256', key).update(`subject:${s.code}`, 'utf8').digest('hex'),
      (s) => s.code,
    );
    groups.push({ level, poolSize: members.length, rate, drawn: drawn.length });
    for (const s of drawn) {
      sample.push({
        code: s.code,
        name: s.name,
        level: s.level,
        inspectors: chooseInspectors(key, s.code, inspectors, input.perSubject),
      });
    }
  }
  sample.sort((a, b) => byCode(a.code, b.code));
  return { groups, sample };
}
