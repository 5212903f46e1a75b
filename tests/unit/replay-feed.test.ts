// The replay feed: stored candles delivered as a live feed, merged in time order, stoppable,
// resumable after a restart, at a chosen speed.
import { describe, expect, it } from 'vitest';
import { delayBetween, ReplayFeed } from '../../core/feeds/replay-feed.ts';
import type { FeedBar } from '../../core/feeds/market-feed.ts';
import { allocateCandleColumns, type CandleColumns } from '../../core/storage/candle-columns.ts';

function candles(times: number[], base: number): CandleColumns {
  const columns = allocateCandleColumns(times.length);
  times.forEach((time, i) => {
    columns.time[i] = time;
    columns.open[i] = base + i;
    columns.high[i] = base + i + 1;
    columns.low[i] = base + i - 1;
    columns.close[i] = base + i + 0.5;
    columns.volume[i] = 10;
  });
  return columns;
}

const hourly = { symbol: 'GOOG', timeframe: '1h' as const, candles: candles([0, 3600, 7200, 10_800], 100) };
const twoHourly = { symbol: 'EURUSD', timeframe: '1h' as const, candles: candles([3600, 10_800], 1) };

async function collect(
  feed: ReplayFeed,
): Promise<{ seen: FeedBar[]; result: Awaited<ReturnType<ReplayFeed['run']>> }> {
  const seen: FeedBar[] = [];
  feed.onBar((update) => {
    seen.push(update);
  });
  const result = await feed.run();
  return { seen, result };
}

describe('ReplayFeed', () => {
  it('delivers every bar of every series once, merged in time order', async () => {
    const { seen, result } = await collect(new ReplayFeed([hourly, twoHourly]));
    expect(seen.map((u) => `${u.symbol}@${u.bar.time}`)).toEqual([
      'GOOG@0',
      'GOOG@3600',
      'EURUSD@3600',
      'GOOG@7200',
      'GOOG@10800',
      'EURUSD@10800',
    ]);
    expect(seen[0]!.bar).toEqual({ time: 0, open: 100, high: 101, low: 99, close: 100.5, volume: 10 });
    expect(result).toEqual({ delivered: 6, stopped: false, lastTime: 10_800 });
  });

  it('stops after the bar being delivered when stop() is called, and resumes after the last bar it delivered', async () => {
    const feed = new ReplayFeed([hourly]);
    const seen: number[] = [];
    feed.onBar(({ bar }) => {
      seen.push(bar.time);
      if (bar.time === 3600) feed.stop();
    });
    const first = await feed.run();
    expect(first).toEqual({ delivered: 2, stopped: true, lastTime: 3600 });
    const resumed = await collect(new ReplayFeed([hourly], { startAfter: first.lastTime! }));
    expect([...seen, ...resumed.seen.map((u) => u.bar.time)]).toEqual([0, 3600, 7200, 10_800]);
  });

  it('waits for a listener that is still busy before the next bar', async () => {
    const feed = new ReplayFeed([hourly]);
    const log: string[] = [];
    feed.onBar(async ({ bar }) => {
      log.push(`start ${bar.time}`);
      await Promise.resolve();
      log.push(`end ${bar.time}`);
    });
    await feed.run();
    expect(log.slice(0, 4)).toEqual(['start 0', 'end 0', 'start 3600', 'end 3600']);
  });

  it('paces bars at a multiple of real time through its sleep, and stops a sleep at once', async () => {
    const asked: number[] = [];
    const feed = new ReplayFeed([hourly], {
      speed: 60,
      sleep: async (ms) => {
        asked.push(ms);
        if (asked.length === 2) feed.stop();
      },
    });
    const result = await feed.run();
    // At ×60 an hour between bars is a minute; the stop during the second pause ends the run there.
    expect(asked).toEqual([60_000, 60_000]);
    expect(result).toEqual({ delivered: 2, stopped: true, lastTime: 3600 });
  });

  it('turns bar spacing and speed into a pause', () => {
    expect(delayBetween(3600, 1)).toBe(3_600_000);
    expect(delayBetween(86_400, 1440)).toBe(60_000);
    expect(delayBetween(60, 'max')).toBe(0);
    expect(() => new ReplayFeed([hourly], { speed: 0 })).toThrow(/speed must be a positive multiple/);
  });
});
