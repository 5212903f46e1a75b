// The order vocabulary shared by strategies, the risk engine, the execution engine and every venue.
import type { Lots } from './lot-size.ts';

/**
 * Our own id for an order, unique within a run (venues have their own ids). A number: a strategy may
 * place an order on every bar, and a counter costs nothing to make; a venue adapter that needs a
 * string id derives it from this one.
 */
export type ClientOrderId = number & { readonly __brand: 'ClientOrderId' };

export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop';

/** +1 buys / long, −1 sells / short: the sign of a position and of a fill. */
export type Direction = 1 | -1;

export function directionOf(side: OrderSide): Direction {
  return side === 'buy' ? 1 : -1;
}

/**
 * Take-profit and stop-loss attached to an entry: absolute prices, or percentages of the entry's
 * fill price (known only once it fills). When both forms are given the absolute price wins.
 */
export interface Bracket {
  takeProfit?: number | undefined;
  stopLoss?: number | undefined;
  takeProfitPct?: number | undefined;
  stopLossPct?: number | undefined;
}

/** What a strategy asks for. Everything is optional: `{}` is a market order sized by the run's sizing rule. */
export interface OrderRequest extends Bracket {
  type?: OrderType;
  /** The limit price (limit) or trigger price (stop). */
  price?: number;
  /** Units to trade, rounded down to whole lots; omitted = the run's sizing rule. */
  quantity?: number;
}

/** Throws when a request cannot become an order: a limit or stop order needs a positive price. */
export function checkOrderRequest(request: OrderRequest | undefined): void {
  const type = request?.type ?? 'market';
  if (type !== 'market' && !(request!.price! > 0)) {
    throw new RangeError(`a ${type} order needs a positive price, got ${String(request?.price)}`);
  }
}

export interface Order {
  readonly id: ClientOrderId;
  readonly side: OrderSide;
  readonly direction: Direction;
  readonly type: OrderType;
  /** Limit or stop price; NaN for a market order. */
  readonly price: number;
  /** `open` trades in its direction (closing an opposite position first); `close` flattens the position. */
  readonly intent: 'open' | 'close';
  /** Units asked for; NaN = resolved by the sizing rule at the fill price. */
  readonly quantity: number;
  readonly bracket: Bracket | undefined;
  /** Bar whose close the order was placed on. */
  readonly placedBar: number;
}

/**
 * An order whose size is settled, as the risk engine sees it just before it executes. Plain numbers
 * only: the execution engine refills one such view per entry, and a reference to the order itself
 * would cost a write barrier on every refill.
 */
export interface SizedOrder {
  readonly direction: Direction;
  /** Units the order asked for; NaN = sized by the run's sizing rule. */
  readonly requestedQuantity: number;
  readonly lots: Lots;
  /** Expected fill price. */
  readonly price: number;
  /** Resolved stop-loss level, NaN when the order has none. */
  readonly stopLoss: number;
}

/** `price` moved by `pct` percent: offsetPrice(100, -2) = 98. */
export function offsetPrice(price: number, pct: number): number {
  return price * (1 + pct / 100);
}

/** The stop-loss level for an entry of `direction` filled at `entryPrice`, NaN when there is none. */
export function stopLossLevel(
  entryPrice: number,
  direction: Direction,
  bracket: Bracket | undefined,
): number {
  if (bracket === undefined) return NaN;
  if (bracket.stopLoss !== undefined) return bracket.stopLoss;
  if (bracket.stopLossPct !== undefined) return offsetPrice(entryPrice, -direction * bracket.stopLossPct);
  return NaN;
}

/** The take-profit level for an entry of `direction` filled at `entryPrice`, NaN when there is none. */
export function takeProfitLevel(
  entryPrice: number,
  direction: Direction,
  bracket: Bracket | undefined,
): number {
  if (bracket === undefined) return NaN;
  if (bracket.takeProfit !== undefined) return bracket.takeProfit;
  if (bracket.takeProfitPct !== undefined) return offsetPrice(entryPrice, direction * bracket.takeProfitPct);
  return NaN;
}
