/**
 * The draw alone: the same seed and pool give the same sample whatever the order of the pool and
 * of the inspectors; another seed another sample; ceil(rate × group size) per level, computed
 * exactly; the subjects drawn are the ones of lowest HMAC and the inspectors a partial Fisher–Yates
 * shuffle of the sorted pool driven by an HMAC stream, which anyone can recompute from the module's
 * comment (reimplemented here); each inspector is about as likely as any other; a plan at the
 * largest size allowed is drawn in seconds, not minutes.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  drawSample,
  poolDigest,
  sampleSize,
  UNRATED,
  type DrawInput,
  type PoolSubject,
} from './inspections.draw.ts';

const SEED = 'a'.repeat(64);
const OTHER_SEED = '0123456789abcdef'.repeat(4);

const subjects = (level: string | null, n: number, prefix: string): PoolSubject[] =>
  Array.from({ length: n }, (_, i) => ({
    code: `${prefix}${String(i).padStart(3, '0')}`,
    name: `${prefix} 公司 ${i}`,
    level,
  }));

const POOL: PoolSubject[] = [
  ...subjects('A', 10, 'A'),
  ...subjects('B', 7, 'B'),
  ...subjects('C', 3, 'C'),
  ...subjects(null, 4, 'U'),
];

const input = (overrides: Partial<DrawInput> = {}): DrawInput => ({
  seed: SEED,
  subjects: POOL,
  levels: ['A', 'B', 'C', 'D', UNRATED],
  rates: { A: 0.3, B: 0.15, C: 1, D: 1, [UNRATED]: 0.5 },
  inspectors: ['张三', '李四', '王五', '赵六'],
  perSubject: 2,
  ...overrides,
});

const hmac = (seed: string, message: string) =>
  createHmac('sha256', Buffer.from(seed, 'hex')).update(message).digest('hex');
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The inspectors of a subject as the module's comment says, written plainly: a whole copy of the pool. */
function reference(seed: string, code: string, pool: readonly string[], perSubject: number): string[] {
  const a = [...pool].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  let stream = Buffer.alloc(0);
  let used = 0;
  const word = () => {
    if (used + 4 > stream.length) {
      const block = createHmac('sha256', Buffer.from(seed, 'hex'))
        .update(`inspector:${code}:${stream.length / 32}`)
        .digest();
      stream = Buffer.concat([stream, block]);
    }
    used += 4;
    return stream.readUInt32BE(used - 4);
  };
  for (let i = 0; i < perSubject; i += 1) {
    const m = a.length - i;
    let w = word();
    while (w >= 2 ** 32 - (2 ** 32 % m)) {
      w = word();
    }
    const j = i + (w % m);
    [a[i], a[j]] = [a[j] as string, a[i] as string];
  }
  return a.slice(0, perSubject);
}

/** A deterministic shuffle (by HMAC under another seed), so that the tests never depend on luck. */
const shuffle = <T>(items: readonly T[], label: (item: T) => string): T[] =>
  [...items].sort((a, b) => cmp(hmac(OTHER_SEED, label(a)), hmac(OTHER_SEED, label(b))));

describe('the sample size', () => {
  it('is ceil(rate × size), exactly where floating point is not', () => {
    expect(0.07 * 100).toBeGreaterThan(7); // 7.000000000000001
    expect(sampleSize(0.3, 10)).toBe(3);
    expect(sampleSize(0.15, 7)).toBe(2);
    expect(sampleSize(0.07, 100)).toBe(7);
    expect(sampleSize(0.0001, 1)).toBe(1);
    expect(sampleSize(0, 50)).toBe(0);
    expect(sampleSize(1, 50)).toBe(50);
    expect(sampleSize(0.5, 0)).toBe(0);
  });
});

describe('the draw', () => {
  it('honours each level’s rate and reports every group, empty ones too', () => {
    const { groups, sample } = drawSample(input());
    expect(groups).toEqual([
      { level: 'A', poolSize: 10, rate: 0.3, drawn: 3 },
      { level: 'B', poolSize: 7, rate: 0.15, drawn: 2 },
      { level: 'C', poolSize: 3, rate: 1, drawn: 3 },
      { level: 'D', poolSize: 0, rate: 1, drawn: 0 },
      { level: UNRATED, poolSize: 4, rate: 0.5, drawn: 2 },
    ]);
    expect(sample).toHaveLength(10);
    expect(sample.map((s) => s.code)).toEqual([...sample.map((s) => s.code)].sort());
    expect(sample.filter((s) => s.level === null)).toHaveLength(2);
    for (const s of sample) {
      expect(s.inspectors).toHaveLength(2);
      expect(new Set(s.inspectors).size).toBe(2);
    }
  });

  it('gives the same sample and inspectors for the same seed and pool, whatever their order', () => {
    const once = drawSample(input());
    const reversed = drawSample(
      input({ subjects: [...POOL].reverse(), inspectors: ['赵六', '王五', '李四', '张三'] }),
    );
    const shuffled = drawSample(
      input({
        subjects: shuffle(POOL, (s) => s.code),
        inspectors: shuffle(['张三', '李四', '王五', '赵六'], (who) => who),
      }),
    );
    expect(reversed).toEqual(once);
    expect(shuffled).toEqual(once);
    const inspectors = Array.from({ length: 50 }, (_, i) => `督查员${i}`);
    const big = subjects(null, 200, 'S');
    const wide = (subjectsGiven: PoolSubject[], inspectorsGiven: string[]) =>
      drawSample(
        input({
          subjects: subjectsGiven,
          inspectors: inspectorsGiven,
          rates: { ...input().rates, [UNRATED]: 0.5 },
          perSubject: 5,
        }),
      );
    expect(
      wide(
        shuffle(big, (s) => `x${s.code}`),
        shuffle(inspectors, (who) => `y${who}`),
      ),
    ).toEqual(wide(big, inspectors));
  });

  it('gives another sample, and other inspectors, for another seed', () => {
    const once = drawSample(input());
    const other = drawSample(input({ seed: OTHER_SEED }));
    expect(other.groups).toEqual(once.groups);
    expect(other.sample.map((s) => s.code)).not.toEqual(once.sample.map((s) => s.code));
    const all = input({ rates: { A: 1, B: 1, C: 1, D: 1, [UNRATED]: 1 } });
    const inspectorsOf = (seed: string) => drawSample({ ...all, seed }).sample.map((s) => s.inspectors);
    expect(inspectorsOf(OTHER_SEED)).not.toEqual(inspectorsOf(SEED));
  });

  it('draws the subjects of lowest HMAC-SHA256 under the seed’s bytes', () => {
    const { sample } = drawSample(input());
    const lowestA = subjects('A', 10, 'A')
      .map((s) => s.code)
      .sort((a, b) => cmp(hmac(SEED, `subject:${a}`), hmac(SEED, `subject:${b}`)))
      .slice(0, 3)
      .sort();
    expect(sample.filter((s) => s.level === 'A').map((s) => s.code)).toEqual(lowestA);
  });

  it('draws the inspectors as the module’s comment says, perSubject distinct ones a subject', () => {
    const pool = [...Array.from({ length: 37 }, (_, i) => `inspector ${i}`), '张三', '𠀀 Ext-B', '\uffee'];
    for (const perSubject of [1, 3, 5, pool.length]) {
      const { sample } = drawSample(
        input({
          rates: { A: 1, B: 1, C: 1, D: 1, [UNRATED]: 1 },
          inspectors: shuffle(pool, (who) => who),
          perSubject,
        }),
      );
      expect(sample).toHaveLength(POOL.length);
      for (const s of sample) {
        expect(s.inspectors).toEqual(reference(SEED, s.code, pool, perSubject));
        expect(new Set(s.inspectors).size).toBe(perSubject);
        expect(s.inspectors.every((who) => pool.includes(who))).toBe(true);
      }
    }
  });

  it('chooses every inspector about as often as any other', () => {
    // 3000 subjects, 2 of 10 inspectors each: 600 choices expected of each, σ ≈ 22; ±15 % is > 4σ.
    const inspectors = Array.from({ length: 10 }, (_, i) => `检查员${i}`);
    const counts = new Map(inspectors.map((who) => [who, 0]));
    const firsts = new Map(inspectors.map((who) => [who, 0]));
    const { sample } = drawSample(
      input({
        subjects: subjects(null, 3000, 'U'),
        rates: { A: 1, B: 1, C: 1, D: 1, [UNRATED]: 1 },
        inspectors,
        perSubject: 2,
      }),
    );
    for (const s of sample) {
      for (const who of s.inspectors) {
        counts.set(who, (counts.get(who) ?? 0) + 1);
      }
      const first = s.inspectors[0] as string;
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    for (const who of inspectors) {
      expect(counts.get(who)).toBeGreaterThan(600 * 0.85);
      expect(counts.get(who)).toBeLessThan(600 * 1.15);
      // listed first: 300 expected, σ ≈ 16; ±25 % is > 4σ.
      expect(firsts.get(who)).toBeGreaterThan(300 * 0.75);
      expect(firsts.get(who)).toBeLessThan(300 * 1.25);
    }
  });

  it('draws a plan of the largest size allowed (100,000 codes, 1,000 inspectors, 5 each) in one pass', () => {
    const codes = subjects(null, 100_000, 'M');
    const inspectors = Array.from({ length: 1000 }, (_, i) => `inspector-${String(i).padStart(4, '0')}`);
    const started = performance.now();
    const { groups, sample } = drawSample(
      input({
        subjects: codes,
        levels: [UNRATED],
        rates: { [UNRATED]: 1 },
        inspectors,
        perSubject: 5,
      }),
    );
    const ms = performance.now() - started;
    console.log(`the largest plan (100,000 subjects drawn, 1,000 inspectors, 5 each): ${Math.round(ms)} ms`);
    expect(groups).toEqual([{ level: UNRATED, poolSize: 100_000, rate: 1, drawn: 100_000 }]);
    expect(sample).toHaveLength(100_000);
    expect(sample.every((s) => s.inspectors.length === 5 && new Set(s.inspectors).size === 5)).toBe(true);
    const last = sample[sample.length - 1];
    expect(last?.inspectors).toEqual(reference(SEED, last?.code ?? '', inspectors, 5));
  });

  it('refuses a level without a rate, a rate out of range and a malformed seed', () => {
    expect(() => drawSample(input({ rates: { A: 0.3, B: 0.1, C: 1, [UNRATED]: 1 } }))).toThrow(/level D/);
    expect(() => drawSample(input({ rates: { A: 1.5, B: 0.1, C: 1, D: 1, [UNRATED]: 1 } }))).toThrow(
      /level A/,
    );
    expect(() => drawSample(input({ seed: 'XYZ' }))).toThrow(/seed/);
  });

  it('refuses an inspector listed twice and more inspectors a subject than the pool has', () => {
    expect(() => drawSample(input({ inspectors: ['张三', '李四', '张三'] }))).toThrow(/more than once/);
    expect(() => drawSample(input({ inspectors: ['张三'], perSubject: 2 }))).toThrow(/2 inspectors/);
    expect(() => drawSample(input({ perSubject: 1.5 }))).toThrow(/inspectors a subject/);
  });
});

describe('the pool digest', () => {
  it('is the SHA-256 of the sorted codes, whatever their order', () => {
    expect(poolDigest(['B', 'A', 'C'])).toBe(poolDigest(['C', 'B', 'A']));
    expect(poolDigest(['A', 'B'])).not.toBe(poolDigest(['A', 'C']));
    expect(poolDigest(['A', 'B'])).toMatch(/^[0-9a-f]{64}$/);
  });
});
