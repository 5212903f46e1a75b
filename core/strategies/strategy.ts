// The strategy-object API users write their own strategies in (docs/backtesting.md, with
// sma-cross.ts as the worked example). A strategy computes its indicators over the whole series
// once in init(), then sees the bars one at a time in onBar() and places orders through the
// context. Orders placed on bar i's close fill from bar i + 1's open.
import type { z } from 'zod';
import { AutobotError } from '../contract/errors.ts';
import type { Bar } from '../domain/bar.ts';
import type { ClientOrderId, OrderRequest } from '../execution/order.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import type { LiveSeries } from './live-series.ts';

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

/**
 * What stream() gets on the live path (bots): the bars and extra series so far, as views that throw
 * a LookAheadError past the current bar (live-series.ts), and a way to make indicator outputs that
 * grow one value per bar.
 */
export interface LiveStrategyData<P> {
  params: P;
  candles: CandleColumns;
  series: SeriesSet;
  /** A series the strategy appends one value to per bar: an indicator's output, guarded like the bars. */
  newSeries(name: string): LiveSeries;
}

/** A strategy's indicators on the live path, and how they take in each closed bar. */
export interface LiveIndicators<I> {
  /** Shaped like what init() returns, so onBar reads them the same way. */
  indicators: I;
  /** Bar `i` has closed (it is in `candles` already): append each indicator's value for it. */
  update(bar: Bar, i: number): void;
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
  /**
   * The live path's init (optional): streaming indicators fed one bar at a time, so a bot costs O(1)
   * per bar and never computes over bars that have not closed. Its values must equal init()'s bar
   * for bar (the indicators' stream forms do: tests/unit/indicators-stream.property.test.ts).
   * Without it the live path runs init() again over the bars so far on every bar — correct, slower.
   */
  stream?(data: LiveStrategyData<P>): LiveIndicators<I>;
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
