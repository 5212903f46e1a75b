// A replay of stored candles as a live feed: the first feed bots run on (paper trading, forward
// tests, the runtime's tests). Several series are merged in time order (equal times in the order
// the series were given), at a chosen speed: ×1 waits a bar's real duration between bars, ×N a
// N-th of it, 'max' as fast as the listeners go — yielding to the event loop every `batch` bars so
// that stop(), other bots and the server stay responsive.
import { setImmediate as yieldToLoop, setTimeout as wait } from 'node:timers/promises';
import type { Timeframe } from '../domain/timeframe.ts';
import type { Bar } from '../domain/bar.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import type { FeedBar, FeedListener, FeedResult, MarketFeed } from './market-feed.ts';

export interface ReplaySeries {
  symbol: string;
  timeframe: Timeframe;
  candles: CandleColumns;
}

export type ReplaySpeed = number | 'max';

export interface ReplayOptions {
  /** Multiple of real time (1 = real time), or 'max'. Default 'max'. */
  speed?: ReplaySpeed;
  /** Deliver only bars after this time (epoch seconds): a bot resuming after a restart. */
  startAfter?: number | undefined;
  /** At 'max', bars delivered between two yields to the event loop. Default 1024. */
  batch?: number;
  /** Waits `ms` or until `signal` aborts; replaceable so a test never waits on a real clock. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Milliseconds to wait between bars `seconds` apart at `speed`; 0 at 'max'. */
export function delayBetween(seconds: number, speed: ReplaySpeed): number {
  if (speed === 'max' || !(seconds > 0)) return 0;
  return (seconds * 1000) / speed;
}

const realSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  wait(ms, undefined, { signal }).catch(() => undefined);

export class ReplayFeed implements MarketFeed {
  private readonly series: readonly ReplaySeries[];
  private readonly speed: ReplaySpeed;
  private readonly startAfter: number;
  private readonly batch: number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly listeners = new Set<FeedListener>();
  private abort = new AbortController();
  private running = false;

  constructor(series: readonly ReplaySeries[], options: ReplayOptions = {}) {
    const speed = options.speed ?? 'max';
    if (speed !== 'max' && !(Number.isFinite(speed) && speed > 0)) {
      throw new RangeError(`speed must be a positive multiple of real time or 'max', got ${String(speed)}`);
    }
    this.series = series;
    this.speed = speed;
    this.startAfter = options.startAfter ?? Number.NEGATIVE_INFINITY;
    this.batch = Math.max(1, options.batch ?? 1024);
    this.sleep = options.sleep ?? realSleep;
  }

  onBar(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    this.abort.abort();
  }

  async run(): Promise<FeedResult> {
    if (this.running) throw new Error('this replay is already running');
    this.running = true;
    this.abort = new AbortController();
    const signal = this.abort.signal;
    // Next bar index per series, starting after `startAfter`.
    const next = this.series.map(({ candles }) => firstAfter(candles.time, this.startAfter));
    let delivered = 0;
    let lastTime: number | null = null;
    try {
      for (;;) {
        if (signal.aborted) return { delivered, stopped: true, lastTime };
        const s = earliest(this.series, next);
        if (s < 0) return { delivered, stopped: false, lastTime };
        const { symbol, timeframe, candles } = this.series[s]!;
        const i = next[s]!++;
        const time = candles.time[i]!;
        const ms = lastTime === null ? 0 : delayBetween(time - lastTime, this.speed);
        if (ms > 0) await this.sleep(ms, signal);
        else if (delivered > 0 && delivered % this.batch === 0) await yieldToLoop();
        if (signal.aborted) return { delivered, stopped: true, lastTime };
        const update: FeedBar = { symbol, timeframe, bar: barAt(candles, i) };
        for (const listener of this.listeners) {
          const pending = listener(update);
          if (pending !== undefined) await pending;
        }
        delivered++;
        lastTime = time;
      }
    } finally {
      this.running = false;
    }
  }
}

/** Bar `i` of column-stored candles as one object. */
export function barAt(candles: CandleColumns, i: number): Bar {
  return {
    time: candles.time[i]!,
    open: candles.open[i]!,
    high: candles.high[i]!,
    low: candles.low[i]!,
    close: candles.close[i]!,
    volume: candles.volume[i]!,
  };
}

/** First index whose time is after `after` (times ascend). */
export function firstAfter(times: ArrayLike<number>, after: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! > after) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The series whose next bar is earliest (the first such series on a tie), or −1 when all are done. */
function earliest(series: readonly ReplaySeries[], next: number[]): number {
  let best = -1;
  let bestTime = Number.POSITIVE_INFINITY;
  for (let s = 0; s < series.length; s++) {
    const i = next[s]!;
    const times = series[s]!.candles.time;
    if (i < times.length && times[i]! < bestTime) {
      best = s;
      bestTime = times[i]!;
    }
  }
  return best;
}
