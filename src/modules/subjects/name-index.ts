/**
 * Name search from memory: for each bigram, the subjects whose name holds it, as a sorted posting
 * list of rank keys. A rank key orders subjects as the SQL search ranks them — fewest bigrams
 * first, then by id — so the first matches of an intersection are the top hits, and a page needs
 * no sort. Longer queries intersect their bigrams' lists by leapfrogging (each list jumps to the
 * largest key another list is at), so a full-name query whose every bigram is common reads a few
 * hundred entries, not each list whole.
 *
 * Pure and synchronous: what goes in (which subjects, under which key) is decided by its owner.
 */
import { keyGrams } from './name-key.ts';

/** Rank key = bigram count × SHIFT + id: exact in a float64 while ids < 2³⁶ and counts < 2¹⁶. */
const SHIFT = 2 ** 36;
const idOf = (rank: number): number => rank % SHIFT;

/** A posting list: a sorted array, with what was added and removed since it was last rebuilt. */
class Posting {
  base: Float64Array;
  added: number[] = [];
  removed = new Set<number>();

  constructor(base: Float64Array) {
    this.base = base;
  }

  get size(): number {
    return this.base.length + this.added.length - this.removed.size;
  }

  add(rank: number): void {
    if (this.removed.delete(rank)) {
      return;
    }
    this.added.splice(lowerBound(this.added, rank, 0, this.added.length), 0, rank);
    this.compactIfDue();
  }

  remove(rank: number): void {
    const at = lowerBound(this.added, rank, 0, this.added.length);
    if (this.added[at] === rank) {
      this.added.splice(at, 1);
    } else {
      this.removed.add(rank);
      this.compactIfDue();
    }
  }

  /** Folds the changes into the sorted array once they are a fair share of it. */
  private compactIfDue(): void {
    if (this.added.length + this.removed.size <= Math.max(64, this.base.length >> 3)) {
      return;
    }
    const merged = new Float64Array(this.size);
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < this.base.length || j < this.added.length) {
      const a = i < this.base.length ? (this.base[i] as number) : Infinity;
      const b = j < this.added.length ? (this.added[j] as number) : Infinity;
      if (a <= b) {
        i += 1;
        if (!this.removed.has(a)) {
          merged[n++] = a;
        }
      } else {
        j += 1;
        merged[n++] = b;
      }
    }
    this.base = merged;
    this.added = [];
    this.removed = new Set();
  }
}

/** First index in [from, to) whose value is ≥ target (values sorted). */
function lowerBound(values: ArrayLike<number>, target: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < target) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** Galloping search: from `from`, the first index whose value is ≥ target. */
function gallop(values: ArrayLike<number>, target: number, from: number): number {
  const n = values.length;
  if (from >= n || (values[from] as number) >= target) {
    return from;
  }
  let step = 1;
  let lo = from;
  while (lo + step < n && (values[lo + step] as number) < target) {
    lo += step;
    step *= 2;
  }
  return lowerBound(values, target, lo + 1, Math.min(n, lo + step + 1));
}

/** Reads a posting list in order, skipping what was removed, jumping forward on demand. */
class Cursor {
  private i = 0;
  private j = 0;
  key = -1;
  done = false;

  constructor(private readonly posting: Posting) {
    this.settle();
  }

  /** Moves to the first key ≥ target. */
  seek(target: number): void {
    if (this.done || this.key >= target) {
      return;
    }
    this.i = gallop(this.posting.base, target, this.i);
    this.j = gallop(this.posting.added, target, this.j);
    this.settle();
  }

  next(): void {
    this.seek(this.key + 1);
  }

  private settle(): void {
    const { base, added, removed } = this.posting;
    while (this.i < base.length && removed.has(base[this.i] as number)) {
      this.i += 1;
    }
    const a = this.i < base.length ? (base[this.i] as number) : Infinity;
    const b = this.j < added.length ? (added[this.j] as number) : Infinity;
    this.key = Math.min(a, b);
    this.done = this.key === Infinity;
  }
}

export interface IndexMatches {
  /** Ids of the first matches, in rank order. */
  ids: number[];
  /** Matches counted, up to the count asked for. */
  counted: number;
}

export class NameIndex {
  /** The search key of each subject in the index. */
  private readonly keys = new Map<number, string>();
  private readonly postings = new Map<string, Posting>();

  get size(): number {
    return this.keys.size;
  }

  has(id: number): boolean {
    return this.keys.has(id);
  }

  /** Fills an empty index at once: much faster than one put per subject. */
  load(entries: Iterable<readonly [id: number, key: string]>): void {
    if (this.keys.size > 0) {
      throw new Error('load fills an empty index');
    }
    const lists = new Map<string, number[]>();
    for (const [id, key] of entries) {
      checkId(id);
      this.keys.set(id, key);
      const grams = keyGrams(key);
      const rank = grams.length * SHIFT + id;
      for (const gram of grams) {
        let list = lists.get(gram);
        if (list === undefined) {
          list = [];
          lists.set(gram, list);
        }
        list.push(rank);
      }
    }
    for (const [gram, list] of lists) {
      this.postings.set(gram, new Posting(Float64Array.from(list).sort()));
    }
  }

  /** Puts a subject in the index under its name's key, or moves it to a new one. */
  put(id: number, key: string): void {
    checkId(id);
    const old = this.keys.get(id);
    if (old === key) {
      return;
    }
    if (old !== undefined) {
      this.unlink(id, old);
    }
    this.keys.set(id, key);
    const grams = keyGrams(key);
    const rank = grams.length * SHIFT + id;
    for (const gram of grams) {
      let posting = this.postings.get(gram);
      if (posting === undefined) {
        posting = new Posting(new Float64Array(0));
        this.postings.set(gram, posting);
      }
      posting.add(rank);
    }
  }

  /** Takes a subject out of the index (it can no longer be found by name). */
  delete(id: number): void {
    const old = this.keys.get(id);
    if (old !== undefined) {
      this.unlink(id, old);
      this.keys.delete(id);
    }
  }

  /**
   * Subjects whose name holds every one of `grams`, in rank order: the ids of the first `take`,
   * and the matches counted up to `count` (or `take`, if larger).
   */
  match(grams: readonly string[], take: number, count: number): IndexMatches {
    const ids: number[] = [];
    const enough = Math.max(take, count);
    const postings: Posting[] = [];
    for (const gram of new Set(grams)) {
      const posting = this.postings.get(gram);
      if (posting === undefined || posting.size === 0) {
        return { ids, counted: 0 };
      }
      postings.push(posting);
    }
    if (postings.length === 0) {
      return { ids, counted: 0 };
    }
    // The shortest list leads: it sets the pace at which the others jump.
    const cursors = postings.sort((a, b) => a.size - b.size).map((p) => new Cursor(p));
    const k = cursors.length;
    let counted = 0;
    let x = cursors[0]?.key ?? Infinity;
    let agreed = 1;
    let p = k === 1 ? 0 : 1;
    if (cursors[0]?.done !== false) {
      return { ids, counted };
    }
    for (;;) {
      const cursor = cursors[p] as Cursor;
      cursor.seek(x);
      if (cursor.done) {
        break;
      }
      if (cursor.key === x && (k === 1 || agreed + 1 >= k)) {
        // Every list holds x.
        counted += 1;
        if (ids.length < take) {
          ids.push(idOf(x));
        }
        if (counted >= enough) {
          break;
        }
        cursor.next();
        if (cursor.done) {
          break;
        }
        x = cursor.key;
        agreed = 1;
      } else if (cursor.key === x) {
        agreed += 1;
      } else {
        x = cursor.key;
        agreed = 1;
      }
      p = (p + 1) % k;
    }
    return { ids, counted };
  }

  private unlink(id: number, key: string): void {
    const grams = keyGrams(key);
    const rank = grams.length * SHIFT + id;
    for (const gram of grams) {
      this.postings.get(gram)?.remove(rank);
    }
  }
}

function checkId(id: number): void {
  if (!Number.isSafeInteger(id) || id < 0 || id >= SHIFT) {
    throw new RangeError(`subject id ${id} is outside the index's range`);
  }
}
