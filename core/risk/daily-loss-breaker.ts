// Daily loss: when the account has lost `limitPct` (default 5 %) of its start-of-day equity, no new
// positions until the next trading day. Start-of-day equity is the first equity the governor hears
// in the trading day (the day begins at `dayStart`, default 00:00 UTC).
import { accountKey, type Breaker, type BreakerHost } from './breaker.ts';
import { nextTradingDay, tradingDay } from './trading-day.ts';

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

  constructor(settings: DailyLossSettings) {
    this.settings = settings;
  }

  onEquity(equity: number, host: BreakerHost): void {
    const now = host.now();
    const day = tradingDay(now, this.settings.dayStartMinutes);
    if (day !== this.day) {
      this.day = day;
      this.dayStartEquity = equity;
      host.remember(this.name, 'day', day);
      host.remember(this.name, 'dayStartEquity', equity);
    }
    const lossPct = ((this.dayStartEquity - equity) / this.dayStartEquity) * 100;
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
  }
}
