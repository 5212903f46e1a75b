// A market the test moves by hand, for one symbol and interval of the loopback Binance: closed bars
// plus the one forming, served by GET /api/v3/klines and streamed as `<symbol>@kline_<interval>`.
// The synthetic klines of fake-binance.ts follow the wall clock, which a test cannot step; a tape
// only moves when `push()` closes its forming bar — what a live-feed test needs to say "these three
// bars, in this order, and nothing else".

export interface TapeBar {
  /** Epoch ms the bar opens. */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export type TapePrices = Partial<Omit<TapeBar, 'time'>>;

export class KlineTape {
  readonly symbol: string;
  readonly interval: string;
  readonly step: number;
  readonly closed: TapeBar[] = [];
  forming: TapeBar;

  /** `bars` closed bars from `from` (a deterministic wave), then the forming one. */
  constructor(symbol: string, interval: string, step: number, from: number, bars: number) {
    this.symbol = symbol;
    this.interval = interval;
    this.step = step;
    for (let i = 0; i < bars; i++) this.closed.push(waveBar(from + i * step, i));
    this.forming = openingBar(from + bars * step, this.closed.at(-1)?.close ?? 100);
  }

  /** Closes the forming bar (with these prices, or the wave's) and opens the next at its close. */
  push(prices: TapePrices = {}): { closed: TapeBar; forming: TapeBar } {
    const wave = waveBar(this.forming.time, this.closed.length);
    const bar: TapeBar = { ...wave, ...prices, time: this.forming.time };
    bar.high = Math.max(bar.high, bar.open, bar.close);
    bar.low = Math.min(bar.low, bar.open, bar.close);
    this.closed.push(bar);
    this.forming = openingBar(bar.time + this.step, bar.close);
    return { closed: bar, forming: this.forming };
  }

  /** Binance's klines paging: from `startTime` (else the latest `limit`), up to `endTime`. */
  rows(startTime: number | null, endTime: number | null, limit: number): TapeBar[] {
    const all = [...this.closed, this.forming].filter(
      (bar) => (startTime === null || bar.time >= startTime) && (endTime === null || bar.time <= endTime),
    );
    return startTime === null ? all.slice(-limit) : all.slice(0, limit);
  }
}

/** A smooth walk with room for crossings: bar i of a tape, whatever the time. */
function waveBar(time: number, i: number): TapeBar {
  const mid = 100 + 10 * Math.sin(i / 3) + 0.1 * i;
  const open = round(mid - 0.5 * Math.cos(i));
  const close = round(mid + 0.5 * Math.cos(i));
  return {
    time,
    open,
    high: round(Math.max(open, close) + 0.4),
    low: round(Math.min(open, close) - 0.4),
    close,
    volume: 1 + (i % 5),
  };
}

function openingBar(time: number, price: number): TapeBar {
  return { time, open: price, high: price, low: price, close: price, volume: 0 };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
