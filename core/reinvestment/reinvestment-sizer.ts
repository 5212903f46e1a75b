// Sizes entries by a reinvestment policy (reinvestment-policy.ts): the one sizing both the backtest's
// execution engine and a bot's strategy runner call, so a paper bot with reinvestment makes its
// backtest's fills.
//
// With a policy, each entry spends the position budget (or what the account has available, if
// less) in place of the spec's sizing rule; an order that names its quantity gets at most what the
// budget buys. The policy's state is read from closed-trade equity, the cash when the account is
// flat: realisedProfit = that cash − starting cash, and its peak the drawdown is measured from.
// Why closed-trade equity and not the equity marked at every close: it is what both hosts know
// exactly at the moment of an entry (the backtest skips bars nothing happens on), and an open
// position's swings should not resize the next entry. Every exit flattens the whole position, so
// the cash seen at flat entries is the closed-trade equity after each trade, and its peak is exact.
import type { FeeSchedule } from '../execution/fees.ts';
import { affordableLots, lotsIn, type Lots } from '../execution/lot-size.ts';
import { positionBudget, type ReinvestmentPolicy, type ReinvestmentState } from './reinvestment-policy.ts';

export class ReinvestmentSizer {
  readonly policy: ReinvestmentPolicy;
  private readonly startCash: number;
  /** Refilled for each entry: positionBudget keeps nothing of it. */
  private readonly state: ReinvestmentState;

  constructor(policy: ReinvestmentPolicy, startCash: number) {
    this.policy = policy;
    this.startCash = startCash;
    this.state = { realisedProfit: 0, equity: startCash, peakEquity: startCash };
  }

  /**
   * The budget of an entry. `cash` is the account's just before it (after a reversal's close);
   * `flat`: no position is held then. Adding to a held position keeps the state of the last flat
   * entry: nothing has closed since.
   */
  budget(cash: number, flat: boolean): number {
    const state = this.state;
    if (flat) {
      state.realisedProfit = cash - this.startCash;
      state.equity = cash;
      if (cash > state.peakEquity) state.peakEquity = cash;
    }
    return positionBudget(this.policy, state);
  }

  /**
   * Lots for an entry at `price`: what min(budget, available) buys, fees included, in whole lots;
   * `quantity` (units, NaN for none) is the most an order that names its size gets.
   */
  lots(
    quantity: number,
    price: number,
    cash: number,
    flat: boolean,
    available: number,
    lotSize: number,
    fees: FeeSchedule,
  ): Lots {
    const spend = Math.min(available, this.budget(cash, flat));
    const lots = affordableLots(spend, price, lotSize, fees);
    return Number.isNaN(quantity) ? lots : Math.min(lotsIn(quantity, lotSize), lots);
  }

  /** The state the last budget was computed from (for reports and tests). */
  get lastState(): Readonly<ReinvestmentState> {
    return this.state;
  }
}
