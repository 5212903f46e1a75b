// The backtest's venue: fills orders against historical bars under the default fill rules
// (docs/backtesting.md). Market orders fill at the current bar's open; resting stop and limit orders
// fill at their price when the bar's range reaches it, or at the open when the bar gaps through.
// Slippage moves market and stop fills against the trader; limit fills get their price.
import type { Direction } from '../../execution/order.ts';
import type { Venue } from '../../execution/execution-engine.ts';
import type { CandleColumns } from '../../storage/candle-columns.ts';

/** `price` moved against an order of `direction`: buys pay more, sells receive less. */
export function slippedPrice(price: number, direction: Direction, slippage: number): number {
  return price * (1 + direction * slippage);
}

/**
 * Where a stop order of `direction` triggered at `stop` fills on a bar, or NaN if the bar never
 * reaches it. A buy stop triggers when the high reaches the stop, a sell stop when the low does.
 */
export function stopFillPrice(
  direction: Direction,
  stop: number,
  open: number,
  high: number,
  low: number,
  slippage: number,
): number {
  if (direction > 0) {
    if (high < stop) return NaN;
    return slippedPrice(open >= stop ? open : stop, direction, slippage);
  }
  if (low > stop) return NaN;
  return slippedPrice(open <= stop ? open : stop, direction, slippage);
}

/** Where a limit order fills on a bar, or NaN. A buy limit fills when the low reaches it. */
export function limitFillPrice(
  direction: Direction,
  limit: number,
  open: number,
  high: number,
  low: number,
): number {
  if (direction > 0) {
    if (low > limit) return NaN;
    return open <= limit ? open : limit;
  }
  if (high < limit) return NaN;
  return open >= limit ? open : limit;
}

export class SimulatedVenue implements Venue {
  readonly name = 'simulated';
  readonly slippage: number;
  /** The bar being filled; the backtest engine moves it. */
  bar = 0;
  private readonly open: Float64Array;
  private readonly high: Float64Array;
  private readonly low: Float64Array;
  private readonly close: Float64Array;

  constructor(candles: CandleColumns, slippage: number) {
    this.open = candles.open;
    this.high = candles.high;
    this.low = candles.low;
    this.close = candles.close;
    this.slippage = slippage;
  }

  marketPrice(direction: Direction): number {
    return slippedPrice(this.open[this.bar]!, direction, this.slippage);
  }

  stopPrice(direction: Direction, stop: number): number {
    const bar = this.bar;
    return stopFillPrice(direction, stop, this.open[bar]!, this.high[bar]!, this.low[bar]!, this.slippage);
  }

  limitPrice(direction: Direction, limit: number): number {
    const bar = this.bar;
    return limitFillPrice(direction, limit, this.open[bar]!, this.high[bar]!, this.low[bar]!);
  }

  /** At the bar's close: where `closeAtEnd` settles the last position. */
  closingPrice(direction: Direction): number {
    return slippedPrice(this.close[this.bar]!, direction, this.slippage);
  }
}
