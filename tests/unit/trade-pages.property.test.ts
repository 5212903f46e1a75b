// Reading every trade of a span, page by page, from an exchange that answers either the oldest
// trades of the span (most) or the newest (OKX): all of them come back, each once, in time order,
// whatever the page size and however many trades share a millisecond within one page's size.
import type { Trade as CcxtTrade } from 'ccxt';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allTradesByTime } from '../../core/venues/ccxt/trade-pages.ts';

function exchange(times: number[], pageSize: number, newestFirst: boolean) {
  const trades = times
    .map((timestamp, i) => ({ id: `t${i}`, timestamp }) as unknown as CcxtTrade)
    .sort((a, b) => a.timestamp! - b.timestamp!);
  let requests = 0;
  const page = async (since: number, until: number | undefined) => {
    requests++;
    const inSpan = trades.filter(
      (t) => t.timestamp! >= since && (until === undefined || t.timestamp! <= until),
    );
    return newestFirst ? inSpan.slice(-pageSize) : inSpan.slice(0, pageSize);
  };
  return { trades, page, requests: () => requests };
}

describe('allTradesByTime', () => {
  it('returns every trade once in time order, forward or backward exchanges alike', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 20 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 200 }),
        async (pageSize, newestFirst, raw) => {
          // At most pageSize trades per millisecond: beyond that, time cannot separate them.
          const perMs = new Map<number, number>();
          const times = raw.filter((t) => {
            const n = (perMs.get(t) ?? 0) + 1;
            perMs.set(t, n);
            return n <= pageSize;
          });
          const venue = exchange(times, pageSize, newestFirst);
          const read = await allTradesByTime(venue.page, 0, pageSize);
          expect(read.map((t) => t.id).sort()).toEqual(venue.trades.map((t) => t.id).sort());
          expect(read.map((t) => t.timestamp)).toEqual(venue.trades.map((t) => t.timestamp));
        },
      ),
    );
  });

  it('one request when everything fits one page; a few per page beyond', async () => {
    const small = exchange([1, 2, 3], 100, true);
    expect(await allTradesByTime(small.page, 0, 100)).toHaveLength(3);
    expect(small.requests()).toBe(1);
    // 250 trades, 100 a page, newest first (OKX): 3 pages read, each end asked again once.
    const okx = exchange(
      Array.from({ length: 250 }, (_, i) => 1_000 + i),
      100,
      true,
    );
    expect(await allTradesByTime(okx.page, 0, 100)).toHaveLength(250);
    expect(okx.requests()).toBeLessThanOrEqual(7);
  });
});
