// Daily loss: when the account has lost `limitPct` (default 5 %) of its start-of-day equity, no new
// positions until the next trading day. Start-of-day equity is the first equity the governor hears
// in the trading day (the day begins at `dayStart`, default 00:00 UTC).
import { accountKey, type Breaker, type BreakerHost } from './breaker.ts';
import { lossFromPct, quietFloor } from './quiet-floor.ts';
import { nextTradingDay, tradingDay, tradingDayWindow } from './trading-day.ts';

export interface DailyLossSettings {
  /** Percent of start-of-day equity, > 0. */
  limitPct: number;
  /** Minutes after 00:00 UTC when a trading day starts. */
  dayStartMinutes: number;
}

export class DailyLossBreaker implements Breaker {
  readonly name = 'daily-loss';
  readonly scope = 'account';
  private readonly settings: DailyLossSettings;
  private day = Number.NaN;
  private dayStartEquity = Number.NaN;
  /** quietFloor of dayStartEquity, kept until the day starts again (NaN: not worked out yet). */
  private floor = Number.NaN;

  constructor(settings: DailyLossSettings) {
    this.settings = settings;
  }

  onEquity(equity: number, host: BreakerHost): void {
    const now = host.now();
    const day = tradingDay(now, this.settings.dayStartMinutes);
    if (day !== this.day) {
      this.day = day;
      this.dayStartEquity = equity;
      this.floor = Number.NaN;
      host.remember(this.name, 'day', day);
      host.remember(this.name, 'dayStartEquity', equity);
    }
    const lossPct = lossFromPct(this.dayStartEquity, equity);
    if (!(lossPct >= this.settings.limitPct) || host.isTripped(this.name, accountKey)) return;
    const until = nextTradingDay(now, this.settings.dayStartMinutes);
    host.trip({
      breaker: this.name,
      scope: this.scope,
      key: accountKey,
      state: 'halted',
      until,
      recovery: `at the next trading day (${new Date(until).toISOString()})`,
      values: { lossPct, limitPct: this.settings.limitPct, dayStartEquity: this.dayStartEquity, equity },
      message: `daily loss ${lossPct.toFixed(2)} % of start-of-day equity reached the ${this.settings.limitPct} % limit: no new positions until ${new Date(until).toISOString()}`,
    });
  }

  /**
   * Re-armed by hand: the day's count restarts from the next equity heard, as if the trading day
   * began then. Without it the loss still on the books would trip it again at the next mark.
   * Remembered as day -1 (no trading day is), so a restart before that mark restarts it too.
   */
  onRearm(_key: string, host: BreakerHost): void {
    this.day = -1;
    host.remember(this.name, 'day', -1);
  }

  recall(name: string, value: number): void {
    if (name === 'day') this.day = value;
    if (name === 'dayStartEquity') this.dayStartEquity = value;
    this.floor = Number.NaN;
  }

  /**
   * Where onEquity changes nothing (for a backtest that skips such calls): an equity at or above
   * the returned floor, at a time inside the trading day it last saw (quietDay).
   * `tripped`: the governor holds this breaker's trip, so no equity can trip it again today.
   */
  quietFloor(tripped: boolean): number {
    if (Number.isNaN(this.day)) return Number.POSITIVE_INFINITY;
    if (tripped) return Number.NEGATIVE_INFINITY;
    if (Number.isNaN(this.floor)) this.floor = quietFloor(this.dayStartEquity, this.settings.limitPct);
    return this.floor;
  }

  /** The times of the trading day it last saw, into out[0] (from) and out[1] (to, excluded). */
  quietDay(out: Float64Array): void {
    tradingDayWindow(this.day, this.settings.dayStartMinutes, out);
  }
}
