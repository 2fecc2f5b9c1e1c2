/**
 * What a process keeps of the database between requests: rows that every request reads and that
 * rarely change (API tokens, departments, the measure list and memoranda). PostgreSQL stays the
 * source of truth. An entry lives at most `maxAgeMs` (so a change made by another process, a
 * token revoked on another server, is seen within that time) and is forgotten at once when this
 * process makes the change. Concurrent misses of one key share one read.
 */
import { LRUCache } from 'lru-cache';

/**
 * How long a kept row may be served. Half a second: a revoked token stops working within a second
 * even when the read that filled the entry began just before the revocation committed.
 */
export const CACHE_MAX_AGE_MS = 500;

export interface ProcessCache<K, V> {
  get(key: K): Promise<V>;
  /** Forgets one key (this process changed it), or every key. */
  forget(key?: K): void;
}

export function processCache<K extends NonNullable<unknown>, V extends NonNullable<unknown>>(
  load: (key: K) => Promise<V>,
  options: { max: number; maxAgeMs?: number },
): ProcessCache<K, V> {
  const cache = new LRUCache<K, V>({
    max: options.max,
    ttl: options.maxAgeMs ?? CACHE_MAX_AGE_MS,
    fetchMethod: (key) => load(key),
  });
  return {
    async get(key) {
      const value = await cache.fetch(key);
      if (value === undefined) {
        // Only when the read was abandoned because the key was forgotten meanwhile: read again.
        return load(key);
      }
      return value;
    },
    forget(key) {
      if (key === undefined) {
        cache.clear();
      } else {
        cache.delete(key);
      }
    },
  };
}
