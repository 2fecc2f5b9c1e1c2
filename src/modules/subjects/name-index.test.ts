import { describe, expect, it } from 'vitest';
import { NameIndex } from './name-index.ts';
import { keyGrams, nameKey } from './name-key.ts';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 2 ** 32;
  };
}

const CHARS = [...'福州华信达建安科技贸易食品医药'];

function name(rand: () => number): string {
  const n = 2 + Math.floor(rand() * 6);
  return `${Array.from({ length: n }, () => CHARS[Math.floor(rand() * CHARS.length)]).join('')}有限公司`;
}

/** What the SQL search answers: names holding every bigram, fewest bigrams first, then by id. */
function brute(names: Map<number, string>, grams: string[], take: number, count: number) {
  const matches = [...names]
    .map(([id, n]) => ({ id, grams: keyGrams(nameKey(n)) }))
    .filter((s) => grams.every((g) => s.grams.includes(g)))
    .sort((a, b) => a.grams.length - b.grams.length || a.id - b.id);
  return {
    ids: matches.slice(0, take).map((m) => m.id),
    counted: Math.min(matches.length, Math.max(take, count)),
  };
}

describe('the in-memory name index', () => {
  it('answers as the SQL ranking does, through loads, renames and removals', () => {
    const rand = random(7);
    const names = new Map<number, string>();
    for (let id = 1; id <= 3000; id += 1) {
      names.set(id, name(rand));
    }
    const index = new NameIndex();
    index.load([...names].map(([id, n]) => [id, nameKey(n)] as const));
    const queries = Array.from({ length: 60 }, () =>
      keyGrams(nameKey(name(rand))).slice(0, 1 + Math.floor(rand() * 4)),
    );
    const compare = () => {
      for (const grams of queries) {
        for (const [take, count] of [
          [20, 201],
          [5, 0],
          [230, 201],
        ] as const) {
          expect(index.match(grams, take, count), grams.join(' ')).toEqual(brute(names, grams, take, count));
        }
      }
    };
    compare();
    // Enough changes to fold the posting lists several times over.
    for (let step = 0; step < 4000; step += 1) {
      const id = 1 + Math.floor(rand() * 3500);
      if (rand() < 0.3) {
        names.delete(id);
        index.delete(id);
      } else {
        const n = name(rand);
        names.set(id, n);
        index.put(id, nameKey(n));
      }
    }
    expect(index.size).toBe(names.size);
    compare();
  });

  it('finds nothing for a bigram no name holds, and each of a query’s repeated bigrams once', () => {
    const index = new NameIndex();
    index.load([
      [1, nameKey('福州华信有限公司')],
      [2, nameKey('华信达')],
    ]);
    expect(index.match(['北京'], 20, 201)).toEqual({ ids: [], counted: 0 });
    expect(index.match(['华信', '华信'], 20, 201)).toEqual({ ids: [2, 1], counted: 2 });
    expect(index.match(['华信', '州华'], 20, 201)).toEqual({ ids: [1], counted: 1 });
  });
});
