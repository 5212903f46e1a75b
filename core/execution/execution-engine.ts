// Routes orders from a strategy to a venue: holds them until the venue can act, sizes entries at
// their fill price, asks the risk engine, books fills in the portfolio, and keeps the position's
// take-profit / stop-loss bracket working. The same engine serves backtests and live trading; only
// the Venue behind it changes.
import type { Sizing } from '../backtest/spec.ts';
import type { Portfolio } from '../portfolio/portfolio.ts';
import type { AccountView, RejectCode, RiskEngine } from '../risk/risk-engine.ts';
import { feeFor, type FeeSchedule } from './fees.ts';
import { quantityOf } from './lot-size.ts';
import {
  checkOrderRequest,
  directionOf,
  stopLossLevel,
  takeProfitLevel,
  type ClientOrderId,
  type Direction,
  type Order,
  type OrderRequest,
  type OrderSide,
  type SizedOrder,
} from './order.ts';
import { sizeLots } from './sizing.ts';
import type { ReinvestmentPolicy } from '../reinvestment/reinvestment-policy.ts';
import { ReinvestmentSizer } from '../reinvestment/reinvestment-sizer.ts';

/** What the execution engine needs from a market: where an order would fill right now. */
export interface Venue {
  readonly name: string;
  /** Fill price of a market order of `direction` now. */
  marketPrice(direction: Direction): number;
  /** Fill price of a resting stop now, NaN if it has not triggered. */
  stopPrice(direction: Direction, stop: number): number;
  /** Fill price of a resting limit now, NaN if it has not been reached. */
  limitPrice(direction: Direction, limit: number): number;
}

export interface ExecutionConfig {
  sizing: Sizing;
  fees: FeeSchedule;
  lotSize: number;
  /** Entries spend the policy's budget in place of `sizing` (core/reinvestment). */
  reinvestment?: ReinvestmentPolicy | undefined;
}

export type RejectionCounts = Record<RejectCode, number>;

export function noRejections(): RejectionCounts {
  return { 'trading-halted': 0, 'needs-stop-loss': 0, 'zero-quantity': 0, 'insufficient-equity': 0 };
}

export class ExecutionEngine {
  readonly rejections: RejectionCounts = noRejections();
  /** Active bracket of the open position; NaN = none. */
  stopLoss = NaN;
  takeProfit = NaN;
  private readonly venue: Venue;
  private readonly risk: RiskEngine;
  private readonly portfolio: Portfolio;
  private readonly config: ExecutionConfig;
  private readonly sizer: ReinvestmentSizer | null;
  /**
   * Placed, not yet released to the venue (a backtest releases them at the next bar's open): the
   * first `pendingCount` slots. A slot is a record refilled by each order placed into it, never
   * handed out: a strategy that orders on every bar (a ruined account's refused entries, say) costs
   * no allocation here. A limit or stop order gets an object of its own when it starts resting.
   */
  private readonly pending: PendingOrder[] = [];
  private pendingCount = 0;
  /** The account view and sized order shown to the risk checks, refilled for each entry (checks must not keep them). */
  private readonly account: AccountView = { equity: 0, available: 0 };
  private readonly sized: { -readonly [K in keyof SizedOrder]: SizedOrder[K] } = {
    direction: 1,
    requestedQuantity: NaN,
    lots: 0,
    price: 0,
    stopLoss: 0,
  };
  /** Resting limit and stop orders. */
  private working: Order[] = [];
  private nextId = 1;
  private bar = 0;

  constructor(venue: Venue, risk: RiskEngine, portfolio: Portfolio, config: ExecutionConfig) {
    this.venue = venue;
    this.risk = risk;
    this.portfolio = portfolio;
    this.config = config;
    this.sizer = config.reinvestment ? new ReinvestmentSizer(config.reinvestment, portfolio.cash) : null;
  }

  /**
   * True when nothing waits for a price (no pending or resting order, no bracket on a position): the
   * backtest skips the bar. A field kept current by every change, as it is read once per bar.
   */
  idle = true;

  /** True while a placed or resting order waits: the next bar must reach the venue whatever its range. */
  waiting = false;

  /**
   * When only a bracket waits: a bar whose low stays above quietLow and whose high stays below
   * quietHigh cannot trigger it, so a backtest skips such bars like idle ones (most bars of a
   * held position). Otherwise quietLow = +∞, and no bar is quiet.
   */
  quietLow = Infinity;
  quietHigh = -Infinity;

  get workingOrders(): readonly Order[] {
    return this.working;
  }

  /**
   * Places an order; it acts at the next {@link release}. `id` is one from {@link reserveId} when the
   * caller had to answer with the id before placing (a strategy's commands are placed after onBar).
   */
  place(
    side: OrderSide,
    request: OrderRequest | undefined,
    bar: number,
    id: ClientOrderId = this.reserveId(),
  ): ClientOrderId {
    checkOrderRequest(request);
    const type = request?.type ?? 'market';
    const slot = this.nextSlot();
    slot.id = id;
    slot.side = side;
    slot.direction = directionOf(side);
    slot.type = type;
    slot.price = type === 'market' ? NaN : request!.price!;
    slot.intent = 'open';
    slot.quantity = request?.quantity ?? NaN;
    slot.bracket = request;
    slot.placedBar = bar;
    return this.enqueued(id);
  }

  /** Flattens the position at the next release, whatever it is by then. */
  placeClose(bar: number, id: ClientOrderId = this.reserveId()): ClientOrderId {
    const slot = this.nextSlot();
    slot.id = id;
    slot.side = 'sell';
    slot.direction = -1;
    slot.type = 'market';
    slot.price = NaN;
    slot.intent = 'close';
    slot.quantity = NaN;
    slot.bracket = undefined;
    slot.placedBar = bar;
    return this.enqueued(id);
  }

  cancel(id: ClientOrderId): boolean {
    const before = this.pendingCount + this.working.length;
    const pending = this.pending;
    let kept = 0;
    for (let k = 0; k < this.pendingCount; k++) {
      if (pending[k]!.id === id) continue;
      if (kept !== k) swapSlots(pending, kept, k);
      kept++;
    }
    this.clearPendingFrom(kept);
    this.working = this.working.filter((order) => order.id !== id);
    this.settle();
    return this.pendingCount + this.working.length < before;
  }

  cancelAll(): void {
    this.clearPendingFrom(0);
    this.working = [];
    this.settle();
  }

  /** Keeps the first `count` pending orders; the slots after them let go of their requests. */
  private clearPendingFrom(count: number): void {
    const pending = this.pending;
    for (let k = count; k < this.pendingCount; k++) pending[k]!.bracket = undefined;
    this.pendingCount = count;
  }

  /** One bar of a backtest: release what was placed on the previous close, then act on the bar's range. */
  onBar(bar: number): void {
    this.release(bar);
    // Flat with nothing resting (an entry just refused, say): the range has nothing to act on.
    if (this.portfolio.lots !== 0 || this.working.length > 0) this.checkRange(bar);
  }

  /** Sends the pending orders to the venue in the order they were placed: market orders fill now. */
  release(bar: number): void {
    this.bar = bar;
    const count = this.pendingCount;
    if (count === 0) return;
    const pending = this.pending;
    for (let k = 0; k < count; k++) {
      const order = pending[k]!;
      if (order.type !== 'market') this.working.push({ ...order });
      else if (order.intent === 'close') this.flatten('signal');
      else this.enter(order, this.venue.marketPrice(order.direction));
    }
    // Orders placed while these filled (none in a backtest: strategies order in onBar) wait their turn.
    const placedMeanwhile = this.pendingCount - count;
    for (let k = 0; k < placedMeanwhile; k++) swapSlots(pending, k, count + k);
    this.clearPendingFrom(placedMeanwhile);
    this.settle();
  }

  /** Lets the venue act on the rest of the bar: the bracket first (stop-loss before take-profit), then resting orders. */
  checkRange(bar: number): void {
    this.bar = bar;
    const portfolio = this.portfolio;
    if (portfolio.lots !== 0) {
      const exit: Direction = portfolio.lots > 0 ? -1 : 1;
      if (!Number.isNaN(this.stopLoss)) {
        const price = this.venue.stopPrice(exit, this.stopLoss);
        if (!Number.isNaN(price)) this.closePosition(price, 'stop-loss');
      }
      if (portfolio.lots !== 0 && !Number.isNaN(this.takeProfit)) {
        const price = this.venue.limitPrice(exit, this.takeProfit);
        if (!Number.isNaN(price)) this.closePosition(price, 'take-profit');
      }
    }
    if (this.working.length > 0) this.fillResting();
    this.settle();
  }

  /** Closes the position at `price` (e.g. the last close when a backtest ends with `closeAtEnd`). */
  closeAt(price: number, bar: number, reason: 'signal' | 'end'): void {
    this.bar = bar;
    if (this.portfolio.lots !== 0) this.closePosition(price, reason);
    this.settle();
  }

  /** Resting orders in the order they were placed; one that fills leaves the list. */
  private fillResting(): void {
    const working = this.working;
    for (let k = 0; k < working.length;) {
      const order = working[k]!;
      const price =
        order.type === 'stop'
          ? this.venue.stopPrice(order.direction, order.price)
          : this.venue.limitPrice(order.direction, order.price);
      if (Number.isNaN(price)) {
        k++;
        continue;
      }
      working.splice(k, 1);
      this.enter(order, price);
    }
  }

  /** The slot the next placed order fills (a new one only when every slot is taken). */
  private nextSlot(): PendingOrder {
    const pending = this.pending;
    if (this.pendingCount === pending.length) pending.push(emptySlot());
    return pending[this.pendingCount]!;
  }

  /** Counts the order just written into the next slot as pending. */
  private enqueued(id: ClientOrderId): ClientOrderId {
    this.pendingCount++;
    this.settle(); // not idle now, and no bar is quiet while an order waits
    return id;
  }

  private settle(): void {
    const waiting = this.pendingCount !== 0 || this.working.length !== 0;
    const lots = this.portfolio.lots;
    const bracketed = lots !== 0 && (!Number.isNaN(this.stopLoss) || !Number.isNaN(this.takeProfit));
    this.waiting = waiting;
    this.idle = !waiting && !bracketed;
    if (waiting || !bracketed) {
      this.quietLow = Infinity;
      this.quietHigh = -Infinity;
      return;
    }
    // The trigger rules of stopFillPrice / limitFillPrice: a long's stop-loss (a sell stop) needs
    // low ≤ level and its take-profit (a sell limit) high ≥ level; a short's the other way round.
    const lowLevel = lots > 0 ? this.stopLoss : this.takeProfit;
    const highLevel = lots > 0 ? this.takeProfit : this.stopLoss;
    this.quietLow = Number.isNaN(lowLevel) ? -Infinity : lowLevel;
    this.quietHigh = Number.isNaN(highLevel) ? Infinity : highLevel;
  }

  /** The id the next order will carry; ids are unique within the engine. */
  reserveId(): ClientOrderId {
    return this.nextId++ as ClientOrderId;
  }

  private flatten(reason: 'signal'): void {
    const lots = this.portfolio.lots;
    if (lots !== 0) this.closePosition(this.venue.marketPrice(lots > 0 ? -1 : 1), reason);
  }

  /** An entry at `price`: a reversal closes the opposite position first, then sizes from what is left. */
  private enter(order: Order, price: number): void {
    const portfolio = this.portfolio;
    const { sizing, fees, lotSize } = this.config;
    if (portfolio.lots * order.direction < 0) this.closePosition(price, 'signal');
    const stopLoss = stopLossLevel(price, order.direction, order.bracket);
    const equity = portfolio.equity(price);
    const available = portfolio.available(price);
    const lots =
      this.sizer === null
        ? sizeLots(sizing, order.quantity, price, stopLoss, equity, available, lotSize, fees)
        : this.sizer.lots(
            order.quantity,
            price,
            portfolio.cash,
            portfolio.lots === 0,
            available,
            lotSize,
            fees,
          );
    const sized = this.sized;
    sized.direction = order.direction;
    sized.requestedQuantity = order.quantity;
    sized.lots = lots;
    sized.price = price;
    sized.stopLoss = stopLoss;
    const account = this.account;
    account.equity = equity;
    account.available = available;
    const decision = this.risk.check(sized, account);
    if (!decision.accepted) {
      this.rejections[decision.code]++;
      return;
    }
    const fee = feeFor(quantityOf(lots, lotSize) * price, fees);
    portfolio.applyFill(order.direction, lots, price, fee, this.bar, 'signal');
    const takeProfit = takeProfitLevel(price, order.direction, order.bracket);
    if (!Number.isNaN(stopLoss) || !Number.isNaN(takeProfit)) {
      this.stopLoss = stopLoss;
      this.takeProfit = takeProfit;
    }
  }

  private closePosition(price: number, reason: 'signal' | 'stop-loss' | 'take-profit' | 'end'): void {
    const portfolio = this.portfolio;
    const lots = Math.abs(portfolio.lots);
    const fee = feeFor(quantityOf(lots, this.config.lotSize) * price, this.config.fees);
    portfolio.applyFill(portfolio.lots > 0 ? -1 : 1, lots, price, fee, this.bar, reason);
    this.stopLoss = NaN;
    this.takeProfit = NaN;
  }
}

/** A pending slot: an Order's fields, refilled by each order placed into it. */
type PendingOrder = { -readonly [K in keyof Order]: Order[K] };

function emptySlot(): PendingOrder {
  return {
    id: 0 as ClientOrderId,
    side: 'buy',
    direction: 1,
    type: 'market',
    price: NaN,
    intent: 'open',
    quantity: NaN,
    bracket: undefined,
    placedBar: -1,
  };
}

function swapSlots(slots: PendingOrder[], a: number, b: number): void {
  const slot = slots[a]!;
  slots[a] = slots[b]!;
  slots[b] = slot;
}
