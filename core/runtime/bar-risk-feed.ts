// What a StrategyRunner tells the account's risk about its bot, bar by bar, on the bars' clock
// (core/app/bot-risk.ts implements it). The same three points of a bar as bar-breakers.ts:
//   open(time)        before the bar's orders are released: the clock is the bar's time;
//   trades(closed)    after the venue's turn: the bot's closed trades so far (the new ones count);
//   close(bar, eq)    at the mark: the bar and the bot's equity at its close.
import type { Bar } from '../domain/bar.ts';

export interface BarRiskFeed {
  /** Epoch seconds of the bar that opens. */
  open(time: number): void;
  trades(closed: readonly { pnl: number }[]): void;
  close(bar: Bar, equity: number): void;
}
