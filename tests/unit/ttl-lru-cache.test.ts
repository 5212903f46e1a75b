// The provider cache as the Sentiment page relies on it: 5-minute freshness, 100 entries with the
// least recently used evicted, hit and miss counts, and one upstream call for concurrent asks.
import { describe, expect, it } from 'vitest';
import { TtlLruCache } from '../../core/providers/ttl-lru-cache.ts';

const fiveMinutes = 5 * 60_000;

function cache() {
  let now = 1_000_000;
  const instance = new TtlLruCache<string>({ ttlMs: fiveMinutes, maxEntries: 100, now: () => now });
  return { instance, advance: (ms: number) => (now += ms) };
}

describe('TtlLruCache', () => {
  it('serves an entry until its five minutes are up, then misses', () => {
    const { instance, advance } = cache();
    instance.set('GOOG', 'fresh');
    advance(fiveMinutes - 1);
    expect(instance.get('GOOG')).toBe('fresh');
    advance(1);
    expect(instance.get('GOOG')).toBeUndefined();
    expect(instance.stats()).toMatchObject({ hits: 1, misses: 1, size: 0 });
  });

  it('evicts the least recently used entry when the 101st arrives', () => {
    const { instance } = cache();
    for (let i = 0; i < 100; i += 1) instance.set(`key${i}`, `value${i}`);
    // Touching key0 makes key1 the least recently used.
    expect(instance.get('key0')).toBe('value0');
    instance.set('key100', 'value100');
    expect(instance.stats().size).toBe(100);
    expect(instance.has('key1')).toBe(false);
    expect(instance.has('key0')).toBe(true);
    expect(instance.has('key100')).toBe(true);
  });

  it('makes one upstream call for concurrent requests of one key', async () => {
    const { instance } = cache();
    let calls = 0;
    let release!: (value: string) => void;
    const upstream = () => {
      calls += 1;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const asks = [
      instance.getOrLoad('q', upstream),
      instance.getOrLoad('q', upstream),
      instance.getOrLoad('q', upstream),
    ];
    release('answer');
    expect(await Promise.all(asks)).toEqual(['answer', 'answer', 'answer']);
    expect(calls).toBe(1);
    expect(await instance.getOrLoad('q', upstream)).toBe('answer');
    expect(calls).toBe(1);
    expect(instance.stats()).toMatchObject({ misses: 1, hits: 3 });
  });

  it('does not cache a failed load: the next ask calls upstream again', async () => {
    const { instance } = cache();
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw new Error('NewsAPI: down');
    };
    await expect(instance.getOrLoad('q', failing)).rejects.toThrow('NewsAPI: down');
    await expect(instance.getOrLoad('q', failing)).rejects.toThrow('NewsAPI: down');
    expect(calls).toBe(2);
  });

  it('refuses settings that cannot work', () => {
    expect(() => new TtlLruCache({ ttlMs: 0, maxEntries: 1 })).toThrow('ttlMs must be positive');
    expect(() => new TtlLruCache({ ttlMs: 1, maxEntries: 0 })).toThrow('maxEntries must be a whole number');
  });
});
