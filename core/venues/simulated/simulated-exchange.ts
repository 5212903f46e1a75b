// The simulated venue behind the async Venue interface: paper trading and the runtime's tests. It
// fills with the backtest's rules by calling the very functions the backtest's venue calls
// (simulated-venue.ts: slippedPrice, stopFillPrice, limitFillPrice; fees.ts: feeFor;
// portfolio.ts: cashAfterFill), so a fill here is the fill a backtest makes on the same bar:
//  - a market order fills at the open of the first bar pushed after it was submitted, slipped;
//  - stop and limit orders rest from that bar on and fill when its range reaches them (at the open
//    when the bar gaps through), stops slipped, limits at their price;
//  - in a bar: market orders at the open first, then resting orders in the order they were placed
//    (docs/backtesting.md, rule 5), then the bar goes to market-data subscribers.
// Fill prices are not rounded to the tick: slippage is a model, not a quote, and the backtest does
// not round them either. Orders fill completely; the simulator has no order book depth.
// Driven by pushBar() — a replay feed, or a test — never by a timer.
import type { Timeframe } from '../../contract/calls.ts';
import type { Bar } from '../../domain/bar.ts';
import type { ClientOrderId } from '../../domain/client-order-id.ts';
import type { Instrument } from '../../domain/instrument.ts';
import { sideSign } from '../../domain/order-terms.ts';
import { belowMinimum, roundPrice, roundQuantity } from '../../domain/rounding.ts';
import { feeFor, type FeeSchedule } from '../../execution/fees.ts';
import { cashAfterFill } from '../../portfolio/portfolio.ts';
import { VenueError, type VenueErrorKind } from '../venue-error.ts';
import type {
  BalanceReport,
  ConnectionState,
  FillReport,
  OrderReport,
  PositionReport,
  Unsubscribe,
  Venue,
  VenueEvent,
  VenueOrder,
  VenueOrderEvent,
} from '../venue.ts';
import { limitFillPrice, slippedPrice, stopFillPrice } from './simulated-venue.ts';

export interface SimulatedExchangeOptions {
  /** The venue id orders are journaled under. Default "simulated". */
  id?: string;
  instruments: readonly Instrument[];
  fees: FeeSchedule;
  /** Fraction of price lost on market and stop fills, as in a backtest. */
  slippage: number;
  cash: number;
  /** The asset cash is counted in. Default "USD". */
  currency?: string;
}

interface SimOrder {
  order: VenueOrder;
  venueOrderId: string;
  status: OrderReport['status'];
  filledQuantity: number;
  /** UTC day (epoch days) of the last bar before the order was placed: a DAY order expires after it. */
  placedDay: number;
}

const msPerSecond = 1000;
const secondsPerDay = 86_400;

export class SimulatedExchange implements Venue {
  readonly id: string;
  connectionState: ConnectionState = 'disconnected';
  private readonly options: SimulatedExchangeOptions;
  private readonly instrumentsBySymbol: Map<string, Instrument>;
  private readonly listeners = new Set<(event: VenueEvent) => void>();
  private readonly barListeners = new Map<string, Set<(bar: Bar) => void>>();
  private readonly orders = new Map<ClientOrderId, SimOrder>();
  /** Working orders per symbol, in the order they were placed. */
  private readonly book = new Map<string, SimOrder[]>();
  private readonly fills: FillReport[] = [];
  private readonly held = new Map<string, PositionReport>();
  private readonly lastBar = new Map<string, Bar>();
  private cash: number;
  private sequence = 0;
  /** The venue's clock: the time of the bar being filled (ms). */
  private now = 0;
  private fault: VenueErrorKind | undefined;

  constructor(options: SimulatedExchangeOptions) {
    this.options = options;
    this.id = options.id ?? 'simulated';
    this.cash = options.cash;
    this.instrumentsBySymbol = new Map(
      options.instruments.map((instrument) => [instrument.symbol, instrument]),
    );
  }

  async connect(): Promise<void> {
    this.setConnection('connecting');
    this.setConnection('connected');
  }

  async disconnect(): Promise<void> {
    this.setConnection('disconnected');
  }

  onEvent(listener: (event: VenueEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async instruments(): Promise<Instrument[]> {
    return [...this.instrumentsBySymbol.values()];
  }

  subscribeBars(symbol: string, _timeframe: Timeframe, listener: (bar: Bar) => void): Unsubscribe {
    let set = this.barListeners.get(symbol);
    if (set === undefined) this.barListeners.set(symbol, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Makes the next submit fail the way real venues do, for tests of the runtime: `outcome_unknown`
   * takes the order but loses the answer (the call throws and no `accepted` is sent — only asking
   * order() finds it); `retry_later` takes nothing; `rejected` refuses it.
   */
  injectFault(kind: VenueErrorKind): void {
    this.fault = kind;
  }

  async submit(order: VenueOrder): Promise<void> {
    this.requireConnected();
    const fault = this.fault;
    this.fault = undefined;
    if (fault === 'retry_later')
      throw new VenueError('retry_later', 'rate_limited', 'too many requests', 1000);
    if (fault === 'rejected') throw new VenueError('rejected', 'rejected', 'the venue refused the order');
    if (this.orders.has(order.clientOrderId)) {
      throw new VenueError(
        'rejected',
        'duplicate_client_order_id',
        `order ${order.clientOrderId} was already sent`,
      );
    }
    const sim: SimOrder = {
      order: { ...order },
      venueOrderId: `S${++this.sequence}`,
      status: 'open',
      filledQuantity: 0,
      placedDay: this.dayOf(order.symbol),
    };
    this.orders.set(order.clientOrderId, sim);
    const problem = this.problemWith(order);
    if (problem !== null) {
      sim.status = 'rejected';
      this.emitOrder(sim, { kind: 'rejected', reason: problem });
      return;
    }
    let working = this.book.get(order.symbol);
    if (working === undefined) this.book.set(order.symbol, (working = []));
    working.push(sim);
    if (fault === 'outcome_unknown') {
      throw new VenueError(
        'outcome_unknown',
        'timeout',
        'no answer from the venue; the order may be working',
      );
    }
    this.emitOrder(sim, { kind: 'accepted', venueOrderId: sim.venueOrderId });
  }

  async cancel(clientOrderId: ClientOrderId): Promise<void> {
    this.requireConnected();
    const sim = this.known(clientOrderId);
    if (sim.status !== 'open') {
      this.emitOrder(sim, { kind: 'cancel_rejected', reason: `the order is ${sim.status}` });
      return;
    }
    this.unbook(sim);
    sim.status = 'canceled';
    this.emitOrder(sim, { kind: 'canceled' });
  }

  async amend(clientOrderId: ClientOrderId, changes: { quantity?: number; price?: number }): Promise<void> {
    this.requireConnected();
    const sim = this.known(clientOrderId);
    if (sim.status !== 'open') {
      this.emitOrder(sim, { kind: 'update_rejected', reason: `the order is ${sim.status}` });
      return;
    }
    const amended = { ...sim.order, ...changes };
    const problem =
      sim.order.type === 'market' ? 'a market order cannot be amended' : this.problemWith(amended);
    if (problem !== null) {
      this.emitOrder(sim, { kind: 'update_rejected', reason: problem });
      return;
    }
    sim.order = amended;
    this.emitOrder(sim, { kind: 'updated', quantity: amended.quantity, price: amended.price });
  }

  /**
   * The next closed bar of `symbol`: fills what it reaches, expires what it should, then shows the
   * bar to subscribers. Bars must come in time order per symbol.
   */
  pushBar(symbol: string, bar: Bar): void {
    const previous = this.lastBar.get(symbol);
    if (previous !== undefined && !(bar.time > previous.time)) {
      throw new RangeError(`${symbol}: bar at ${bar.time} is not after the previous one at ${previous.time}`);
    }
    this.now = bar.time * msPerSecond;
    const working = this.book.get(symbol);
    if (working !== undefined && working.length > 0) this.fillOn(working, bar);
    this.lastBar.set(symbol, bar);
    const listeners = this.barListeners.get(symbol);
    if (listeners !== undefined) for (const listener of listeners) listener(bar);
  }

  /**
   * Fills the symbol's working market orders at the last bar's close, slipped: the backtest's rule
   * for a position closed when a replay ends (`closeAtEnd`) or an account is ruined. Resting orders
   * are left alone. Returns how many filled.
   */
  fillAtClose(symbol: string): number {
    const bar = this.lastBar.get(symbol);
    const working = this.book.get(symbol);
    if (bar === undefined || working === undefined) return 0;
    let filled = 0;
    for (const sim of [...working]) {
      if (sim.status !== 'open' || sim.order.type !== 'market') continue;
      this.fill(sim, slippedPrice(bar.close, sideSign(sim.order.side), this.options.slippage));
      filled++;
    }
    return filled;
  }

  async openOrders(symbol?: string): Promise<OrderReport[]> {
    return [...this.orders.values()]
      .filter((sim) => sim.status === 'open' && (symbol === undefined || sim.order.symbol === symbol))
      .map(report);
  }

  async order(clientOrderId: ClientOrderId): Promise<OrderReport | null> {
    const sim = this.orders.get(clientOrderId);
    return sim === undefined ? null : report(sim);
  }

  async orderFills(clientOrderId: ClientOrderId): Promise<FillReport[]> {
    return this.fills.filter((fill) => fill.clientOrderId === clientOrderId).map((fill) => ({ ...fill }));
  }

  async fillsSince(since: number): Promise<FillReport[]> {
    return this.fills.filter((fill) => fill.time >= since).map((fill) => ({ ...fill }));
  }

  async positions(): Promise<PositionReport[]> {
    return [...this.held.values()].filter((p) => p.quantity !== 0).map((p) => ({ ...p }));
  }

  async balances(): Promise<BalanceReport[]> {
    return [{ asset: this.options.currency ?? 'USD', free: this.cash, locked: 0 }];
  }

  async clockOffsetMs(): Promise<number> {
    return 0;
  }

  /** Market orders at the open first, then resting orders in the order they were placed. */
  private fillOn(working: SimOrder[], bar: Bar): void {
    const slippage = this.options.slippage;
    const day = Math.floor(bar.time / secondsPerDay);
    for (const pass of ['market', 'resting'] as const) {
      for (const sim of [...working]) {
        if (sim.status !== 'open' || (sim.order.type === 'market') !== (pass === 'market')) continue;
        const { order } = sim;
        const direction = sideSign(order.side);
        const price =
          order.type === 'market'
            ? slippedPrice(bar.open, direction, slippage)
            : order.type === 'stop'
              ? stopFillPrice(direction, order.price!, bar.open, bar.high, bar.low, slippage)
              : limitFillPrice(direction, order.price!, bar.open, bar.high, bar.low);
        if (!Number.isNaN(price)) {
          this.fill(sim, price);
        } else if (order.timeInForce === 'IOC' || order.timeInForce === 'FOK') {
          this.unbook(sim);
          sim.status = 'canceled';
          this.emitOrder(sim, { kind: 'canceled' });
        } else if (order.timeInForce === 'DAY' && day > sim.placedDay) {
          this.unbook(sim);
          sim.status = 'expired';
          this.emitOrder(sim, { kind: 'expired' });
        }
      }
    }
  }

  private fill(sim: SimOrder, price: number): void {
    const { order } = sim;
    const quantity = order.quantity - sim.filledQuantity;
    const fee = feeFor(quantity * price, this.options.fees);
    const direction = sideSign(order.side);
    this.cash = cashAfterFill(this.cash, direction, quantity, price, fee);
    this.hold(order.symbol, direction * quantity, price);
    sim.filledQuantity = order.quantity;
    sim.status = 'filled';
    this.unbook(sim);
    const tradeId = `T${++this.sequence}`;
    const fill: FillReport = {
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
      side: order.side,
      tradeId,
      quantity,
      price,
      fee,
      time: this.now,
    };
    this.fills.push(fill);
    this.emitOrder(sim, { kind: 'fill', tradeId, quantity, price, fee, time: this.now });
  }

  /** Nets `signed` units at `price` into the symbol's position (average price of what is held). */
  private hold(symbol: string, signed: number, price: number): void {
    const position = this.held.get(symbol) ?? { symbol, quantity: 0, averagePrice: Number.NaN };
    const before = position.quantity;
    const after = before + signed;
    if (before === 0 || Math.sign(after) !== Math.sign(before)) {
      position.averagePrice = after === 0 ? Number.NaN : price;
    } else if (Math.abs(after) > Math.abs(before)) {
      position.averagePrice =
        (position.averagePrice * Math.abs(before) + price * Math.abs(signed)) / Math.abs(after);
    }
    position.quantity = after;
    this.held.set(symbol, position);
  }

  /** Why the venue refuses `order`, or null: unknown symbol, off-grid or too small, missing price. */
  private problemWith(order: VenueOrder): string | null {
    const instrument = this.instrumentsBySymbol.get(order.symbol);
    if (instrument === undefined) return `unknown symbol ${order.symbol}`;
    if (!(order.quantity > 0) || roundQuantity(instrument, order.quantity) !== order.quantity) {
      return `quantity ${order.quantity} is not a positive multiple of ${instrument.quantityStep}`;
    }
    if (order.type === 'market') {
      if (order.price !== undefined) return 'a market order takes no price';
    } else if (!(order.price! > 0) || roundPrice(instrument, order.price!) !== order.price) {
      return `price ${String(order.price)} is not on the ${instrument.tickSize} tick`;
    }
    const reference = order.price ?? this.lastBar.get(order.symbol)?.close ?? Number.NaN;
    const small = belowMinimum(instrument, order.quantity, Number.isNaN(reference) ? Infinity : reference);
    return small === null ? null : small.message;
  }

  private dayOf(symbol: string): number {
    const bar = this.lastBar.get(symbol);
    return bar === undefined ? Number.NEGATIVE_INFINITY : Math.floor(bar.time / secondsPerDay);
  }

  private known(clientOrderId: ClientOrderId): SimOrder {
    const sim = this.orders.get(clientOrderId);
    if (sim === undefined)
      throw new VenueError('rejected', 'unknown_order', `no order ${clientOrderId} at ${this.id}`);
    return sim;
  }

  private unbook(sim: SimOrder): void {
    const working = this.book.get(sim.order.symbol);
    const at = working?.indexOf(sim) ?? -1;
    if (at >= 0) working!.splice(at, 1);
  }

  private requireConnected(): void {
    if (this.connectionState !== 'connected') {
      throw new VenueError(
        'retry_later',
        'not_connected',
        `${this.id} is ${this.connectionState}: nothing was sent`,
      );
    }
  }

  private setConnection(state: ConnectionState): void {
    this.connectionState = state;
    this.emit({ type: 'connection', state, at: Date.now() });
  }

  private emitOrder(sim: SimOrder, event: VenueOrderEvent): void {
    this.emit({
      type: 'order',
      clientOrderId: sim.order.clientOrderId,
      event,
      eventId: `E${++this.sequence}`,
      at: this.now,
    });
  }

  private emit(event: VenueEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function report(sim: SimOrder): OrderReport {
  return {
    clientOrderId: sim.order.clientOrderId,
    venueOrderId: sim.venueOrderId,
    symbol: sim.order.symbol,
    side: sim.order.side,
    type: sim.order.type,
    quantity: sim.order.quantity,
    price: sim.order.price,
    status: sim.status,
    filledQuantity: sim.filledQuantity,
  };
}
