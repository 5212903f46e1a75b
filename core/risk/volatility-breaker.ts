// Volatility spike: a bar that moves more than `movePct` (default 3 %) pauses new entries on its
// symbol until `calmBars` bars in a row (default 5) stay within it. The move is close-to-close
// (the first bar: open-to-close) or the bar's range, high − low over the open, by `measure`.
import type { Bar } from '../domain/bar.ts';
import type { Breaker, BreakerHost } from './breaker.ts';

export interface VolatilitySettings {
  movePct: number;
  calmBars: number;
  measure: 'close-to-close' | 'range';
}

export class VolatilityBreaker implements Breaker {
  readonly name = 'volatility';
  readonly scope = 'symbol';
  private readonly settings: VolatilitySettings;
  private readonly lastClose = new Map<string, number>();
  private readonly calm = new Map<string, number>();

  constructor(settings: VolatilitySettings) {
    this.settings = settings;
  }

  onBar(symbol: string, bar: Bar, host: BreakerHost): void {
    const movePct = this.move(symbol, bar);
    this.lastClose.set(symbol, bar.close);
    const { movePct: limit, calmBars } = this.settings;
    if (movePct > limit) {
      this.calm.set(symbol, 0);
      if (host.isTripped(this.name, symbol)) return;
      host.trip({
        breaker: this.name,
        scope: this.scope,
        key: symbol,
        state: 'reducing',
        until: null,
        recovery: `after ${calmBars} calm bars (each within ${limit} %)`,
        values: { movePct, limitPct: limit, barTime: bar.time },
        message: `${symbol} moved ${movePct.toFixed(2)} % in one bar (limit ${limit} %): entries paused until ${calmBars} calm bars`,
      });
      return;
    }
    if (!host.isTripped(this.name, symbol)) return;
    const calm = (this.calm.get(symbol) ?? 0) + 1;
    this.calm.set(symbol, calm);
    if (calm >= calmBars) {
      this.calm.set(symbol, 0);
      host.recover(this.name, symbol, `${symbol} recovered after ${calm} calm bars`);
    }
  }

  private move(symbol: string, bar: Bar): number {
    if (this.settings.measure === 'range') return ((bar.high - bar.low) / bar.open) * 100;
    const previous = this.lastClose.get(symbol) ?? bar.open;
    return Math.abs(bar.close / previous - 1) * 100;
  }
}
