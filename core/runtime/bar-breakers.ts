// Circuit breakers for a paper bot (issue #12), on the BARS' clock: what core/backtest/breaker-run.ts
// does for a backtest, for StrategyRunner, so a replay with breakers trips at the same bars and
// trades the same as the backtest on the same candles (tests/integration/paper-breakers-parity.test.ts).
// Wall-clock time would make a fast replay see a 60-minute cooldown outlast the whole run.
//
// The same governor (governorFromSettings) is told the same things at the same points of a bar:
//   open(time)   before the bar's orders are released: the clock moves to the bar's time, and
//                `check` (first in the runner's risk engine) refuses entries while a trip holds;
//   trades(list) after the venue's turn: each newly closed trade, to the loss-streak breaker;
//   close(bar, i, equity)  at the mark: the bar to the volatility breaker, the equity to the
//                daily-loss and drawdown breakers (when it changed, or on a new trading day, as the
//                backtest does), then the bar's trips are stamped with it.
import type { BreakerTrip } from '../backtest/spec.ts';
import { backtestOwner, backtestSymbol, GovernorCheck } from '../backtest/breaker-run.ts';
import type { ClosedTrade } from '../portfolio/portfolio.ts';
import type { Bar } from '../domain/bar.ts';
import type { RiskEvent } from '../risk/breaker.ts';
import type { BreakerSettings } from '../risk/breaker-settings-schema.ts';
import { governorFromSettings } from '../risk/breaker-settings.ts';
import type { RiskGovernor } from '../risk/risk-governor.ts';
import { nextTradingDay, parseDayStart } from '../risk/trading-day.ts';

export class BarBreakers {
  /** The pre-trade check: put first in the bot's risk engine (as the backtest does). */
  readonly check: GovernorCheck;
  /** Every trip so far, in order, stamped with its bar. */
  readonly trips: BreakerTrip[] = [];
  private readonly governor: RiskGovernor;
  /** Epoch ms of the bar being processed: the governor's clock. */
  private now = 0;
  private readonly fresh: RiskEvent[] = [];
  private seenTrades = 0;
  private readonly dayStart: number;
  private shownEquity = Number.NaN;
  private nextDay = Number.NEGATIVE_INFINITY;

  constructor(settings: BreakerSettings, lotSize: number) {
    // Per bot, not a module clock as in breaker-run.ts: runners step asynchronously and interleave.
    this.governor = governorFromSettings(settings, () => this.now);
    this.governor.onEvent((event) => {
      if (event.kind === 'trip') this.fresh.push(event);
    });
    this.check = new GovernorCheck(this.governor, lotSize);
    this.dayStart = parseDayStart(settings.dailyLoss.dayStart);
  }

  /** A bar opens (epoch seconds): the governor's clock is now its time. */
  open(time: number): void {
    this.now = time * 1000;
  }

  /** The bot's closed trades so far: the ones not yet shown go to the loss-streak breaker. */
  trades(closed: readonly Pick<ClosedTrade, 'pnl'>[]): void {
    for (; this.seenTrades < closed.length; this.seenTrades++)
      this.governor.onTrade({
        owner: backtestOwner,
        symbol: backtestSymbol,
        pnl: closed[this.seenTrades]!.pnl,
      });
  }

  /** The bar's close, its index and the equity marked there. */
  close(bar: Bar, index: number, equity: number): void {
    const now = this.now;
    this.governor.onBar(backtestSymbol, bar);
    if (equity !== this.shownEquity || now >= this.nextDay) {
      this.shownEquity = equity;
      if (now >= this.nextDay) this.nextDay = nextTradingDay(now, this.dayStart);
      this.governor.onEquity(equity);
    }
    for (const event of this.fresh) {
      this.trips.push({
        breaker: event.breaker,
        time: bar.time,
        bar: index,
        scope: event.scope,
        state: event.state,
        until: event.until === null ? null : event.until / 1000,
        values: event.values,
        message: event.message,
      });
    }
    this.fresh.length = 0;
  }
}
