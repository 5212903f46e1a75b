// A crypto exchange through ccxt's unified API as a runtime Venue (venue.ts). What it adds to ccxt:
//  - our client order id on every order (ccxt would invent a broker-prefixed one), so any order can
//    be found again by the id the journal committed before the send;
//  - every ccxt error classified (classify-error.ts): an unknown outcome is never retried, the
//    order stays tracked and the next poll (or reconcile.ts) asks the venue for it by client id;
//  - order updates: ccxt's watchOrders where the exchange has it and streams are on, and REST
//    polling always — the safety net that catches what a stream missed, asked at once when the
//    stream drops. Either source only says "look at this order" (a streamed one also brings the
//    trades it carried); the events come from one diff (order-tracker.ts), so the two never
//    disagree and a report seen twice produces nothing new;
//  - rate-limit backoff shared with the ccxt instance, itself shared per exchange and key
//    (exchange-registry.ts);
//  - the venue clock offset, measured at connect and handed to ccxt for signing.
// Amounts and prices arrive rounded by core/domain/rounding.ts; ccxt's amountToPrecision and
// priceToPrecision must agree with them, and an order where they do not is refused rather than
// silently sent at another size.
import type { Exchange, Order as CcxtOrder, Trade as CcxtTrade } from 'ccxt';
import type { Timeframe } from '../../domain/timeframe.ts';
import { timeframeSeconds } from '../../domain/timeframe-seconds.ts';
import type { Bar } from '../../domain/bar.ts';
import type { ClientOrderId } from '../../domain/client-order-id.ts';
import type { Instrument } from '../../domain/instrument.ts';
import { VenueError } from '../venue-error.ts';
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
} from '../venue.ts';
import { instrumentOf } from './ccxt-instruments.ts';
import { fillReport, orderReport } from './ccxt-reports.ts';
import { classifyCcxtError } from './classify-error.ts';
import { measureClockOffset } from './clock-offset.ts';
import { exchanges, type ExchangeConfig, type ExchangeRegistry } from './exchange-registry.ts';
import { loadCcxt, type CcxtModule } from './load-ccxt.ts';
import { OrderTracker } from './order-tracker.ts';
import { allTradesByTime } from './trade-pages.ts';
import { clientIdCodec, type ClientIdCodec } from './venue-client-id.ts';

export interface CcxtVenueOptions extends ExchangeConfig {
  /** The venue id the journal stores (default: the exchange id, "-sandbox" appended in sandbox mode). */
  id?: string | undefined;
  /** Default: the process-wide registry, so bots on one key share one instance and one limiter. */
  registry?: ExchangeRegistry | undefined;
  /** Symbols this account trades: their base assets are its spot positions. */
  symbols?: readonly string[] | undefined;
  /**
   * The symbol of an order the journal holds (spot exchanges need it to find an order): orders sent
   * before a restart are known only to the journal.
   */
  symbolOf?: ((clientOrderId: ClientOrderId) => string | undefined) | undefined;
  /** REST poll of in-flight orders, ms (default 2,000); 0 polls only when asked (poll()). */
  pollIntervalMs?: number | undefined;
  /**
   * Follow orders with watchOrders where the exchange has it (default false: REST only). Off by
   * default for the on-demand venues (one call, then disconnect), where a subscription would outlive
   * the call on the shared instance; a long-lived trading venue (a live bot's) turns it on.
   */
  streams?: boolean | undefined;
  now?: (() => number) | undefined;
}

export class CcxtVenue implements Venue {
  readonly id: string;
  private state: ConnectionState = 'disconnected';
  private readonly options: CcxtVenueOptions;
  private readonly listeners = new Set<(event: VenueEvent) => void>();
  private readonly now: () => number;
  private readonly tracker = new OrderTracker();
  /** Our client ids as this exchange spells them (OKX: letters and digits only). */
  private readonly ids: ClientIdCodec;
  private exchange: Exchange | undefined;
  private ccxt: CcxtModule | undefined;
  private offset = 0;
  private pausedUntil = 0;
  private pollTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  /** Which watch() loop is current: a disconnect (or a new connect) ends the older one. */
  private watchRun = 0;
  private streamed: Promise<void> = Promise.resolve();
  private readonly barTimers = new Set<NodeJS.Timeout>();
  private readonly openCache = new Map<string, { at: number; orders: CcxtOrder[] }>();
  private readonly tradeSource = {
    trades: (order: CcxtOrder) => this.tradesOf(order),
    fill: (trade: CcxtTrade, clientOrderId: ClientOrderId) => this.fillOf(trade, clientOrderId),
  };
  /**
   * A streamed update's trades: the ones the stream itself carried (ccxt collects an order's trade
   * reports into `order.trades`) when they add up to what the order says is filled, so a fill seen
   * on the stream costs no REST call (Binance weighs a trade list at 20). A stream that joined late
   * or lost a report falls short, and then the trades are read by REST as for a poll.
   */
  private readonly streamedTradeSource = {
    trades: (order: CcxtOrder) => {
      const byId = new Map((order.trades ?? []).map((trade) => [String(trade.id), trade]));
      const carried = [...byId.values()].reduce((sum, trade) => sum + (trade.amount ?? 0), 0);
      const filled = order.filled ?? 0;
      if (byId.size > 0 && Math.abs(carried - filled) <= filled * 1e-9)
        return Promise.resolve([...byId.values()]);
      return this.tradesOf(order);
    },
    fill: this.tradeSource.fill,
  };

  constructor(options: CcxtVenueOptions) {
    this.options = options;
    this.id = options.id ?? (options.sandbox === true ? `${options.exchange}-sandbox` : options.exchange);
    this.now = options.now ?? Date.now;
    this.ids = clientIdCodec(options.exchange);
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  /** The shared ccxt instance (after connect): the exchange's markets, limiter and keys. */
  get ccxtExchange(): Exchange {
    if (this.exchange === undefined)
      throw new VenueError('retry_later', 'not_connected', `${this.id} is not connected`);
    return this.exchange;
  }

  async connect(): Promise<void> {
    this.setState('connecting');
    try {
      this.ccxt = await loadCcxt();
      const registry = this.options.registry ?? exchanges;
      this.exchange = await registry.get(this.options);
      // The clock first: OKX's loadMarkets already signs a request (its currencies), refused when
      // stamped more than 30 s off the venue's time.
      await this.syncClock();
      await this.exchange.loadMarkets();
    } catch (error) {
      this.setState('disconnected', error instanceof Error ? error.message : String(error));
      throw this.classify(error);
    }
    this.setState('connected');
    this.schedulePoll();
    if (this.options.streams === true && this.exchange.has['watchOrders'] === true) void this.watch();
  }

  async disconnect(): Promise<void> {
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    for (const timer of this.barTimers) clearTimeout(timer);
    this.barTimers.clear();
    this.watchRun++;
    await this.polling;
    await this.streamed;
    this.setState('disconnected');
  }

  onEvent(listener: (event: VenueEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async instruments(): Promise<Instrument[]> {
    const exchange = this.ccxtExchange;
    const markets = await exchange.loadMarkets();
    return Object.values(markets)
      .filter((market) => market !== undefined && market.spot)
      .map((market) => instrumentOf(market!, this.id, exchange.precisionMode ?? 4));
  }

  /** Closed bars as they complete, polled with fetchOHLCV once per bar (at most every 30 s). */
  subscribeBars(symbol: string, timeframe: Timeframe, listener: (bar: Bar) => void): Unsubscribe {
    const spanMs = timeframeSeconds(timeframe) * 1000;
    let last = Math.floor((this.now() + this.offset) / spanMs) * spanMs - spanMs;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const tick = async () => {
      try {
        const rows = await this.call(() => this.ccxtExchange.fetchOHLCV(symbol, timeframe, last, 100));
        const venueNow = this.now() + this.offset;
        for (const [time, open, high, low, close, volume] of rows) {
          // Only closed bars: the venue also sends the one still forming.
          if (time! < last || time! + spanMs > venueNow) continue;
          listener({
            time: time! / 1000,
            open: open!,
            high: high!,
            low: low!,
            close: close!,
            volume: volume ?? 0,
          });
          last = time! + spanMs;
        }
      } catch {
        // A failed poll is retried at the next one; the connection state says what is wrong.
      }
      if (!stopped) {
        timer = setTimeout(() => void tick(), Math.min(spanMs, 30_000));
        timer.unref();
        this.barTimers.add(timer);
      }
    };
    void tick();
    return () => {
      stopped = true;
      if (timer !== undefined) {
        clearTimeout(timer);
        this.barTimers.delete(timer);
      }
    };
  }

  async submit(order: VenueOrder): Promise<void> {
    const exchange = this.ccxtExchange;
    this.checkBackoff();
    // A stop is tested on Binance only. Elsewhere it may become another kind of order (OKX: an
    // "algo" order, with its own id and lookups) that the queries by client id would never find:
    // refused here rather than placed and then lost.
    if (order.type === 'stop' && !exchange.id.startsWith('binance'))
      throw new VenueError(
        'rejected',
        'not_supported',
        `type: ${this.id} does not take stop orders from this app yet; use a limit or market order`,
      );
    const amount = this.onGrid(order.symbol, 'quantity', order.quantity, (v) =>
      String(exchange.amountToPrecision(order.symbol, v)),
    );
    const price =
      order.price === undefined
        ? undefined
        : this.onGrid(order.symbol, 'price', order.price, (v) =>
            String(exchange.priceToPrecision(order.symbol, v)),
          );
    let venueClientId: string;
    try {
      venueClientId = this.ids.toVenue(order.clientOrderId);
    } catch (error) {
      throw this.classify(error);
    }
    const params: Record<string, unknown> = { clientOrderId: venueClientId };
    let type: string = order.type;
    if (order.type === 'stop') {
      type = 'market';
      params['triggerPrice'] = price;
    } else if (order.type === 'limit' && order.timeInForce !== 'GTC')
      params['timeInForce'] = order.timeInForce;
    // Tracked before the request leaves: whatever happens to the answer, the poll looks for it.
    this.tracker.track(order.clientOrderId, order.symbol, this.now());
    let placed: CcxtOrder;
    try {
      placed = await exchange.createOrder(
        order.symbol,
        type,
        order.side,
        amount,
        order.type === 'stop' ? undefined : price,
        params,
      );
    } catch (error) {
      const failure = this.classify(error);
      // Refused or not taken: the venue has nothing, stop asking. Unknown: keep it tracked.
      if (failure.kind !== 'outcome_unknown') this.tracker.forget(order.clientOrderId);
      throw failure;
    }
    this.emitAll(await this.tracker.observe(order.clientOrderId, placed, this.tradeSource));
  }

  async cancel(clientOrderId: ClientOrderId): Promise<void> {
    const symbol = this.symbolFor(clientOrderId);
    this.checkBackoff();
    let done = await this.call(() =>
      this.ccxtExchange.cancelOrder(undefined as unknown as string, symbol, {
        clientOrderId: this.ids.toVenue(clientOrderId),
      }),
    );
    // Binance answers a cancel with the cancelled order; OKX only acknowledges it (no state), and
    // an acknowledgement read as the order's state would say "still open": ask for the order. The
    // cancel was taken either way; if the question fails, the next poll learns the end.
    if (done.status === undefined)
      done = (await this.fetchByClientId(clientOrderId).catch(() => null)) ?? done;
    this.tracker.track(clientOrderId, symbol, this.now());
    this.emitAll(await this.tracker.observe(clientOrderId, done, this.tradeSource));
  }

  /**
   * Not offered: on Binance spot an amend is a cancel-replace that gives the order a new venue id
   * and restarts its filled quantity, which one journal order cannot express yet (docs/ccxt.md).
   */
  async amend(): Promise<void> {
    throw new VenueError(
      'rejected',
      'not_supported',
      `${this.id}: amending is not supported; cancel the order and place a new one`,
    );
  }

  async openOrders(symbol?: string): Promise<OrderReport[]> {
    const symbols = symbol !== undefined ? [symbol] : this.symbolsInPlay();
    const reports: OrderReport[] = [];
    const seen = new Set<string>();
    for (const s of symbols) {
      for (const order of await this.openOrdersOf(s)) {
        // A venue that repeats a row (redelivery) lists it once.
        if (seen.has(String(order.id))) continue;
        seen.add(String(order.id));
        reports.push(orderReport(order, this.clientIdOf(order) ?? externalId(order)));
      }
    }
    return reports;
  }

  async order(clientOrderId: ClientOrderId): Promise<OrderReport | null> {
    const found = await this.fetchByClientId(clientOrderId);
    return found === null ? null : orderReport(found, clientOrderId);
  }

  async orderFills(clientOrderId: ClientOrderId): Promise<FillReport[]> {
    const found = await this.fetchByClientId(clientOrderId);
    if (found === null) return [];
    return (await this.tradesOf(found)).map((trade) => this.fillOf(trade, clientOrderId));
  }

  async fillsSince(since: number): Promise<FillReport[]> {
    const fills: FillReport[] = [];
    const owners = new Map<string, ClientOrderId>();
    for (const symbol of this.symbolsInPlay()) {
      const trades = await this.allTradesSince(symbol, since);
      // Whose trades: the tracker knows the orders it followed; one open-orders list names most of
      // the rest, so only orders that have ended since are asked for one by one.
      if (trades.some((t) => this.tracker.clientIdOfVenueOrder(String(t.order)) === undefined)) {
        for (const order of await this.openOrdersOf(symbol))
          owners.set(String(order.id), this.clientIdOf(order) ?? externalId(order));
      }
      for (const trade of trades) {
        const orderId = String(trade.order);
        let owner = owners.get(orderId) ?? this.tracker.clientIdOfVenueOrder(orderId);
        if (owner === undefined) {
          const order = await this.call(() => this.ccxtExchange.fetchOrder(orderId, symbol));
          owner = this.clientIdOf(order) ?? externalId(order);
          owners.set(orderId, owner);
        }
        fills.push(this.fillOf(trade, owner));
      }
    }
    return fills;
  }

  /** Spot positions: the base asset held of each symbol the account trades. */
  async positions(): Promise<PositionReport[]> {
    const balances = await this.balances();
    const exchange = this.ccxtExchange;
    const held = new Map(balances.map((b) => [b.asset, b.free + b.locked]));
    const positions: PositionReport[] = [];
    for (const symbol of this.symbolsInPlay()) {
      const base = exchange.markets?.[symbol]?.base;
      const quantity = base === undefined ? 0 : (held.get(base) ?? 0);
      if (quantity !== 0) positions.push({ symbol, quantity, averagePrice: Number.NaN });
    }
    return positions;
  }

  async balances(): Promise<BalanceReport[]> {
    const balance = await this.call(() => this.ccxtExchange.fetchBalance());
    const free = balance.free as unknown as Record<string, number | undefined>;
    const used = balance.used as unknown as Record<string, number | undefined>;
    return Object.keys(balance.total ?? {}).map((asset) => ({
      asset,
      free: free[asset] ?? 0,
      locked: used[asset] ?? 0,
    }));
  }

  async clockOffsetMs(): Promise<number> {
    return this.offset;
  }

  /**
   * Looks at every in-flight order once: open orders by symbol, then each tracked order the list
   * lacks by its client id. Never runs twice at once; a failure marks the connection reconnecting,
   * the next success connected again (the runtime reconciles on that).
   */
  poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => (this.polling = undefined));
    return this.polling;
  }

  /** Client ids the venue tracks as in flight (submitted, unknown outcome, or working). */
  inFlight(): ClientOrderId[] {
    return this.tracker.inFlight().map((t) => t.clientOrderId);
  }

  private async pollOnce(): Promise<void> {
    const inFlight = this.tracker.inFlight();
    if (inFlight.length === 0 || this.exchange === undefined) return;
    try {
      const open = new Map<string, CcxtOrder>();
      for (const symbol of new Set(inFlight.map((t) => t.symbol))) {
        for (const order of await this.call(() => this.ccxtExchange.fetchOpenOrders(symbol))) {
          const id = this.clientIdOf(order);
          if (id !== undefined) open.set(id, order);
        }
      }
      for (const tracked of inFlight) {
        const seen = open.get(tracked.clientOrderId) ?? (await this.fetchByClientId(tracked.clientOrderId));
        if (seen === null) continue;
        this.emitAll(await this.tracker.observe(tracked.clientOrderId, seen, this.tradeSource));
      }
      if (this.state === 'reconnecting') this.setState('connected', 'the venue answers again');
    } catch (error) {
      const failure = this.classify(error);
      if (failure.kind !== 'rejected' && this.state === 'connected')
        this.setState('reconnecting', failure.message);
    }
  }

  private schedulePoll(): void {
    const every = this.options.pollIntervalMs ?? 2_000;
    if (every <= 0) return;
    const next = () => {
      this.pollTimer = setTimeout(() => {
        void this.poll().finally(() => {
          if (this.pollTimer !== undefined) next();
        });
      }, every);
      this.pollTimer.unref();
    };
    next();
  }

  /**
   * Follows watchOrders while connected. Each update is looked at like a polled one, but in a queue
   * of its own: ccxt hands an update only to a watchOrders call already waiting, so the loop asks
   * again at once, and an update that arrived while the last one's trades were still being read
   * (a FILLED right after a partial fill) is not left in ccxt's cache until some later message.
   */
  private async watch(): Promise<void> {
    const run = ++this.watchRun;
    let dropped = false;
    while (this.watchRun === run) {
      try {
        // Back after a drop: REST looks again while the new subscription is made, for what closed
        // during the retry wait. What happens between that look and the subscription is left to
        // the timed poll (pollIntervalMs), the safety net.
        const next = this.ccxtExchange.watchOrders();
        if (dropped) void this.poll();
        dropped = false;
        const updates = await next;
        if (this.watchRun !== run) return;
        this.observeStreamed([...updates]);
      } catch {
        if (this.watchRun !== run) return;
        // The stream dropped or is refused: what it missed is asked for by REST now, rather than
        // at the next timed poll (which a long pollIntervalMs, or 0, may never bring).
        dropped = true;
        void this.poll();
        await new Promise((resolve) => setTimeout(resolve, 1_000).unref());
      }
    }
  }

  /** Queues a stream batch behind the previous one, so one order's updates are diffed in order. */
  private observeStreamed(updates: CcxtOrder[]): void {
    this.streamed = this.streamed
      .then(async () => {
        for (const update of updates) {
          const id = this.clientIdOf(update);
          if (id === undefined || !this.tracker.has(id)) continue;
          this.emitAll(await this.tracker.observe(id, update, this.streamedTradeSource));
        }
      })
      // Reading the trades failed: the order stays tracked and the next poll (or update) retries.
      .catch(() => undefined);
  }

  private async fetchByClientId(clientOrderId: ClientOrderId): Promise<CcxtOrder | null> {
    const symbol = this.symbolFor(clientOrderId);
    try {
      return await this.call(() =>
        this.ccxtExchange.fetchOrder(undefined as unknown as string, symbol, {
          clientOrderId: this.ids.toVenue(clientOrderId),
        }),
      );
    } catch (error) {
      if (error instanceof VenueError && error.code === 'order_not_found') return null;
      throw error;
    }
  }

  private async tradesOf(order: CcxtOrder): Promise<CcxtTrade[]> {
    const exchange = this.ccxtExchange;
    if (exchange.has['fetchOrderTrades'] !== true) {
      const trades = await this.allTradesSince(order.symbol ?? '', order.timestamp ?? 0);
      return trades.filter((trade) => String(trade.order) === String(order.id));
    }
    if (this.pagesTradesById())
      return this.call(() => exchange.fetchOrderTrades(String(order.id), order.symbol));
    // An order filled in more trades than one page holds (OKX: 100) is read page by page.
    const size = this.tradePageSize();
    return allTradesByTime(
      (since, until) =>
        this.call(() =>
          exchange.fetchOrderTrades(String(order.id), order.symbol, since, size, untilParam(until)),
        ),
      order.timestamp ?? 0,
      size,
    );
  }

  /**
   * One symbol's open orders; a list fetched in the last second is reused, so one reconciliation
   * (open orders, then fills to attribute) parses the list once. Polls always fetch afresh.
   */
  private async openOrdersOf(symbol: string): Promise<CcxtOrder[]> {
    const cached = this.openCache.get(symbol);
    if (cached !== undefined && this.now() - cached.at < 1_000) return cached.orders;
    const orders = await this.call(() => this.ccxtExchange.fetchOpenOrders(symbol));
    this.openCache.set(symbol, { at: this.now(), orders });
    return orders;
  }

  /** Every trade of `symbol` from `since`, page by page (a venue answers 100 to 1,000 at a time). */
  private async allTradesSince(symbol: string, since: number): Promise<CcxtTrade[]> {
    const exchange = this.ccxtExchange;
    if (!this.pagesTradesById()) {
      const size = this.tradePageSize();
      return allTradesByTime(
        (from, until) => this.call(() => exchange.fetchMyTrades(symbol, from, size, untilParam(until))),
        since,
        size,
      );
    }
    const all: CcxtTrade[] = [];
    const ids = new Set<string>();
    let fromId: string | undefined;
    for (let page = 0; page < 1_000; page++) {
      const trades = await this.call(() =>
        fromId === undefined
          ? exchange.fetchMyTrades(symbol, since, 1000)
          : exchange.fetchMyTrades(symbol, undefined, 1000, { fromId }),
      );
      let added = 0;
      for (const trade of trades) {
        if (ids.has(String(trade.id))) continue;
        ids.add(String(trade.id));
        all.push(trade);
        added++;
      }
      if (trades.length < 1000 || added === 0) break;
      fromId = String(Number(trades.at(-1)!.id) + 1);
    }
    return all;
  }

  /**
   * Binance pages its trade list by id (fromId): exact, where paging by time re-reads the trades
   * that share a page's last millisecond. Other exchanges page by time (trade-pages.ts).
   */
  private pagesTradesById(): boolean {
    return this.ccxtExchange.id.startsWith('binance');
  }

  /** The most trades one request answers, from ccxt's features table (OKX 100, Binance 1,000). */
  private tradePageSize(): number {
    const features = this.ccxtExchange.features as
      { spot?: { fetchMyTrades?: { limit?: number } } } | undefined;
    const limit = features?.spot?.fetchMyTrades?.limit;
    return typeof limit === 'number' && limit > 0 ? limit : 1000;
  }

  /** Our client id of a venue order, or undefined when it was not placed by an app of ours. */
  private clientIdOf(order: { clientOrderId?: string | undefined }): ClientOrderId | undefined {
    return this.ids.fromVenue(order.clientOrderId);
  }

  private fillOf(trade: CcxtTrade, clientOrderId: ClientOrderId): FillReport {
    const market = this.ccxtExchange.markets?.[trade.symbol ?? ''];
    return fillReport(trade, clientOrderId, market?.quote ?? '', market?.base ?? '');
  }

  private symbolFor(clientOrderId: ClientOrderId): string {
    const symbol = this.tracker.symbolOf(clientOrderId) ?? this.options.symbolOf?.(clientOrderId);
    if (symbol === undefined) {
      // Without the symbol a spot venue cannot be asked; "not found" would be a guess.
      throw new VenueError(
        'outcome_unknown',
        'unknown_symbol',
        `${this.id}: no symbol known for order ${clientOrderId}`,
      );
    }
    return symbol;
  }

  private symbolsInPlay(): string[] {
    return [...new Set([...(this.options.symbols ?? []), ...this.tracker.symbols()])];
  }

  /** The value as ccxt would send it; refused when it is off the grid core/domain rounded it to. */
  private onGrid(
    symbol: string,
    field: 'quantity' | 'price',
    value: number,
    format: (v: number) => string,
  ): number {
    let sent: number;
    try {
      sent = Number(format(value));
    } catch (error) {
      throw this.classify(error);
    }
    if (Math.abs(sent - value) > Math.abs(value) * 1e-12)
      throw new VenueError(
        'rejected',
        'precision',
        `${field}: ${value} is not on ${this.id}'s grid for ${symbol} (it would send ${sent}); reload the instruments`,
      );
    return sent;
  }

  /** Runs one ccxt call; a rate limit pauses every later call of this venue until the backoff ends. */
  private async call<T>(work: () => Promise<T>): Promise<T> {
    const wait = this.pausedUntil - this.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait).unref());
    try {
      return await work();
    } catch (error) {
      throw this.classify(error);
    }
  }

  /** Submits and cancels are refused at once during a backoff, so the caller decides (retry_later). */
  private checkBackoff(): void {
    const wait = this.pausedUntil - this.now();
    if (wait > 0)
      throw new VenueError('retry_later', 'rate_limited', `${this.id} asked us to slow down`, wait);
  }

  private classify(error: unknown): VenueError {
    // A RangeError is ours (bad exchange id, sandbox without a test network): refused, never sent.
    const failure =
      this.ccxt === undefined || error instanceof RangeError
        ? toVenueError(error)
        : classifyCcxtError(error, this.ccxt);
    if (failure.kind === 'retry_later' && failure.retryAfterMs !== undefined && failure.code !== 'clock_skew')
      this.pausedUntil = Math.max(this.pausedUntil, this.now() + failure.retryAfterMs);
    if (failure.code === 'clock_skew') void this.syncClock().catch(() => undefined);
    return failure;
  }

  private async syncClock(): Promise<void> {
    const exchange = this.exchange!;
    if (exchange.has['fetchTime'] !== true) return;
    this.offset = await measureClockOffset(() => exchange.fetchTime(), this.now);
    // ccxt stamps signed requests with milliseconds() − timeDifference.
    exchange.options['timeDifference'] = -this.offset;
  }

  private setState(state: ConnectionState, reason?: string): void {
    this.state = state;
    this.emit({ type: 'connection', state, at: this.now(), ...(reason !== undefined ? { reason } : {}) });
  }

  private emitAll(events: readonly VenueEvent[]): void {
    for (const event of events) this.emit(event);
  }

  private emit(event: VenueEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function untilParam(until: number | undefined): Record<string, unknown> {
  return until === undefined ? {} : { until };
}

/** An id for an order placed outside this app (the website, another program): "ext-<venue id>". */
export function externalId(order: { id?: string | undefined }): ClientOrderId {
  return `ext-${String(order.id)
    .replace(/[^A-Za-z0-9_-]/g, '')
    .slice(0, 28)}` as ClientOrderId;
}

function toVenueError(error: unknown): VenueError {
  if (error instanceof VenueError) return error;
  if (error instanceof RangeError) return new VenueError('rejected', 'invalid', error.message);
  return new VenueError('outcome_unknown', 'unknown', error instanceof Error ? error.message : String(error));
}
