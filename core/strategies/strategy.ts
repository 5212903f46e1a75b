// The strategy-object API users write their own strategies in (docs/backtesting.md, with
// sma-cross.ts as the worked example). A strategy computes its indicators over the whole series
// once in init(), then sees the bars one at a time in onBar() and places orders through the
// context. Orders placed on bar i's close fill from bar i + 1's open.
import type { z } from 'zod';
import { AutobotError } from '../domain/autobot-error.ts';
import type { ClientOrderId, OrderRequest } from '../execution/order.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';

/** Extra per-bar inputs aligned to the candles (e.g. a sentiment score), by name. */
export type SeriesSet = Readonly<Record<string, Float64Array>>;

/** Numeric parameters by name, as validated by the strategy's schema. */
export type StrategyParams = Record<string, number | undefined>;

export interface StrategyData<P> {
  candles: CandleColumns;
  params: P;
  series: SeriesSet;
  /**
   * An array of one number per bar, lent for this run: pass it as an indicator's `out`
   * (`rsi(close, period, data.barArray())`). Its previous contents are undefined, and it goes back
   * to a pool when the run ends, so keep no reference to it beyond the run. Cheaper than a fresh
   * array on long series; optional (tests and other callers of init may not provide it).
   */
  barArray?: () => Float64Array;
}

/**
 * What onBar sees. The order calls (buy, sell, close, cancelAll) answer at once, but the orders
 * reach the execution engine when onBar returns, in the order they were given: nothing a strategy
 * can read changes before the next bar's fills, so it cannot tell (core/backtest/bar-context.ts).
 */
export interface StrategyContext<P, I> {
  readonly candles: CandleColumns;
  readonly params: P;
  /** What init() returned. */
  readonly indicators: I;
  /** Signed units held after this bar's fills: > 0 long, < 0 short, 0 flat. */
  readonly position: number;
  /** Money not in the position (a long's cost has left it; a short's proceeds are in it). */
  readonly cash: number;
  /** Cash plus the position marked at this bar's close. */
  readonly equity: number;
  /** Goes long: closes a short first, then buys (sized by the run's sizing rule unless `quantity` is given). */
  buy(order?: OrderRequest): ClientOrderId;
  /** Goes short: closes a long first, then sells. */
  sell(order?: OrderRequest): ClientOrderId;
  /** Flattens the position at the next bar's open. */
  close(): ClientOrderId;
  /** Withdraws every order not yet filled. */
  cancelAll(): void;
}

export interface Strategy<P extends StrategyParams, I> {
  /** The name users type: `--strategy sma-cross`. */
  readonly name: string;
  /** One sentence for the strategy picker. */
  readonly summary: string;
  /** Validates and fills in the params; messages name the parameter. */
  readonly paramsSchema: z.ZodType<P>;
  /** Once per run, before the first bar: compute whole-series indicators here, not in onBar. */
  init(data: StrategyData<P>): I;
  /** After bar i closed. Keep it allocation-free: it runs once per bar. */
  onBar(i: number, ctx: StrategyContext<P, I>): void;
}

/** Identity, for type inference: `export const myStrategy = defineStrategy({...})`. */
export function defineStrategy<P extends StrategyParams, I>(strategy: Strategy<P, I>): Strategy<P, I> {
  return strategy;
}

/** A named extra series a strategy needs, checked for presence and length. */
export function requireSeries(data: StrategyData<unknown>, name: string, neededBy: string): Float64Array {
  const series = data.series[name];
  if (series === undefined) {
    const message = `${neededBy} needs a "${name}" series aligned to the candles`;
    throw new AutobotError('invalid_input', message, { issues: [{ path: neededBy, message }] });
  }
  if (series.length !== data.candles.close.length) {
    const message = `the "${name}" series has ${series.length} values for ${data.candles.close.length} candles`;
    throw new AutobotError('invalid_input', message, { issues: [{ path: `series.${name}`, message }] });
  }
  return series;
}
