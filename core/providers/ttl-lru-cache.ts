// The provider answer cache: entries live `ttlMs` (5 minutes for sentiment), at most `maxEntries`
// are kept (the least recently used goes first), hits and misses are counted for the Sentiment
// page, and concurrent requests for one key share one upstream call. Written here rather than
// taken from lru-cache (only a transitive dependency, not ours to rely on) because single-flight
// loading and an injected clock are the parts that matter, and they are a few lines over a Map,
// whose insertion order is the recency order.

export interface CacheStats {
  hits: number;
  misses: number;
  size: number;
  maxEntries: number;
  ttlMs: number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class TtlLruCache<V> {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry<V>>();
  readonly #loading = new Map<string, Promise<V>>();
  #hits = 0;
  #misses = 0;

  constructor(options: { ttlMs: number; maxEntries: number; now?: () => number }) {
    if (!(options.ttlMs > 0)) throw new RangeError('ttlMs must be positive');
    if (!(Number.isInteger(options.maxEntries) && options.maxEntries >= 1))
      throw new RangeError('maxEntries must be a whole number of at least 1');
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries;
    this.#now = options.now ?? Date.now;
  }

  /** The fresh value for `key`, or undefined (an expired entry is dropped). Counts a hit or a miss. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > this.#now()) {
      // Re-insert: the Map's order is recency, oldest first.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      this.#hits += 1;
      return entry.value;
    }
    if (entry) this.#entries.delete(key);
    this.#misses += 1;
    return undefined;
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.#now() + this.#ttlMs });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  /**
   * The cached value, or `load()`'s — one load per key at a time: callers arriving while it runs
   * wait for the same promise (counted as hits: they cost no upstream call). A failed load is not
   * cached.
   */
  async getOrLoad(key: string, load: () => Promise<V>): Promise<V> {
    const inFlight = this.#loading.get(key);
    if (inFlight) {
      this.#hits += 1;
      return inFlight;
    }
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    const loading = (async () => {
      try {
        const value = await load();
        this.set(key, value);
        return value;
      } finally {
        this.#loading.delete(key);
      }
    })();
    this.#loading.set(key, loading);
    return loading;
  }

  has(key: string): boolean {
    const entry = this.#entries.get(key);
    return entry !== undefined && entry.expiresAt > this.#now();
  }

  clear(): void {
    this.#entries.clear();
  }

  stats(): CacheStats {
    return {
      hits: this.#hits,
      misses: this.#misses,
      size: this.#entries.size,
      maxEntries: this.#maxEntries,
      ttlMs: this.#ttlMs,
    };
  }
}
