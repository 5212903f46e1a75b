// The cTrader Open API as a Venue, over the JSON envelope on the TLS WebSocket port (5036). JSON
// rather than Protobuf on 5035 because it needs no generated code and no .proto pinning, and the
// loopback peer in tests speaks the same text (docs/ctrader.md says more).
//
// A session: application auth → accounts for the token → account auth → trader → symbols (full
// details) → reconcile (open orders and positions) → spot subscriptions → `afterSession` (the
// runtime's journal reconciliation) → "connected". A lost connection is re-opened with backoff and
// the whole session repeated, because cTrader forgets every authentication with the socket.
// An expired or invalidated token is refreshed once (the TokenSource single-flights it); when that
// fails the venue stops and says "reconnect needed".
import type { Timeframe } from '../../domain/timeframe.ts';
import type { Bar } from '../../domain/bar.ts';
import type { ClientOrderId } from '../../domain/client-order-id.ts';
import type { Instrument } from '../../domain/instrument.ts';
import type { OrderType } from '../../domain/order-terms.ts';
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
import { CTraderConnection, CTraderRequestError, type ConnectionOptions } from './ctrader-connection.ts';
import { ctraderEndpoint, ctraderVenueId, type CTraderEnvironment } from './ctrader-endpoints.ts';
import { orderTypeNumber, readOrderType, timeInForceNumber, tradeSideNumber } from './ctrader-enums.ts';
import type { Envelope } from './envelope.ts';
import { errorCodeName, isTokenError } from './error-codes.ts';
import { orderClientId, toFill, toOrderEvent, toOrderReport, toPositionReports } from './order-mapping.ts';
import { PayloadType } from './payload-types.ts';
import { backoffDelay, defaultBackoff, type BackoffOptions } from './reconnect-backoff.ts';
import { moneyToNumber, readInt64, relativeToPrice, unitsToVolume } from './scaling.ts';
import { SpotBarBuilder } from './spot-bars.ts';
import { toCTraderSymbol, type CTraderSymbol } from './symbol-instrument.ts';
import type { Endpoint } from './tls-websocket.ts';
import type { ApplicationCredentials, TokenSource } from './token-source.ts';
import { decodeTrendbar, trendbarPeriod, trendbarWindows } from './trendbars.ts';
import { toVenueError } from './venue-errors.ts';

export interface CTraderVenueOptions {
  environment: CTraderEnvironment;
  application: ApplicationCredentials;
  tokens: TokenSource;
  /** The ctidTraderAccountId to trade; default the first account of this environment. */
  accountId?: number | undefined;
  /** Default: the environment's host, port 5036. */
  endpoint?: Endpoint | undefined;
  /** Test-only trust anchor for a loopback peer; production never sets it. */
  ca?: string | undefined;
  connection?: Omit<ConnectionOptions, 'ca'> | undefined;
  backoff?: BackoffOptions | undefined;
  /** Runs after every (re)authentication, before "connected": the runtime reconciles its journal here. */
  afterSession?: (() => Promise<void>) | undefined;
  /** How far back order() and orderFills() search the order and deal history; default 7 days. */
  historyLookbackMs?: number | undefined;
}

export interface CTraderAccount {
  ctidTraderAccountId: number;
  isLive: boolean;
  traderLogin: number;
  broker: string;
}

export interface CTraderTrader {
  balance: number;
  moneyDigits: number;
  depositAssetId: number;
}

interface TrackedOrder {
  orderId: string;
  type: OrderType;
}

/** Something fed every bid of one symbol: a bar builder, or a live feed building its own bars. */
interface PriceSubscription {
  price: (bid: number, timeMs: number) => void;
}

/** History queries reach this far past our clock: the venue's clock may run a little ahead. */
const clockSlackMs = 60_000;

/** Thrown when the token cannot be refreshed: the user has to connect the account again. */
export const reconnectNeeded = 'reconnect_needed';

export class CTraderVenue implements Venue {
  readonly id: string;
  readonly environment: CTraderEnvironment;
  readonly #options: CTraderVenueOptions;
  readonly #listeners = new Set<(event: VenueEvent) => void>();
  readonly #symbols = new Map<string, CTraderSymbol>();
  readonly #symbolsById = new Map<number, CTraderSymbol>();
  readonly #orders = new Map<ClientOrderId, TrackedOrder>();
  readonly #bars = new Map<string, Set<PriceSubscription>>();
  readonly #lastBid = new Map<number, number>();
  /** Symbols whose spots this connection receives; cleared with each new connection. */
  #spots = new Map<number, Promise<void>>();
  #state: ConnectionState = 'disconnected';
  #connection: CTraderConnection | null = null;
  /** The connection whose account is authenticated: requests may go out on it (even before "connected"). */
  #authorised: CTraderConnection | null = null;
  #accountId: number | null = null;
  #accounts: CTraderAccount[] = [];
  #trader: CTraderTrader | null = null;
  #wanted = false;
  #reauthorising: Promise<void> | null = null;
  #reconnecting = false;

  constructor(options: CTraderVenueOptions) {
    this.#options = options;
    this.environment = options.environment;
    this.id = ctraderVenueId(options.environment);
  }

  get connectionState(): ConnectionState {
    return this.#state;
  }

  /** The accounts the token grants in this environment (after connect). */
  get accounts(): CTraderAccount[] {
    return this.#accounts;
  }

  get accountId(): number | null {
    return this.#accountId;
  }

  async connect(): Promise<void> {
    if (this.#state === 'connected') return;
    this.#wanted = true;
    this.#setState('connecting');
    try {
      await this.#startSession();
    } catch (error) {
      this.#wanted = false;
      this.#connection?.close('session start failed');
      this.#setState('disconnected', error instanceof Error ? error.message : String(error));
      throw error;
    }
    this.#setState('connected');
  }

  async disconnect(): Promise<void> {
    this.#wanted = false;
    const connection = this.#connection;
    this.#connection = null;
    connection?.close('disconnected by the user');
    this.#setState('disconnected', 'disconnected by the user');
  }

  onEvent(listener: (event: VenueEvent) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async instruments(): Promise<Instrument[]> {
    return [...this.#symbols.values()].map((symbol) => symbol.instrument);
  }

  /** The account's balance and money digits, as TraderRes reported them at the last session start. */
  get trader(): CTraderTrader | null {
    return this.#trader;
  }

  subscribeBars(symbol: string, timeframe: Timeframe, listener: (bar: Bar) => void): Unsubscribe {
    const builder = new SpotBarBuilder(timeframe);
    return this.subscribePrices(symbol, (bid, timeMs) => {
      const closed = builder.add(bid, timeMs);
      if (closed) listener(closed);
    });
  }

  /**
   * Every bid of `symbol` with its venue time (epoch ms), subscribed again by every new session.
   * For a feed that builds bars itself and must know where a reconnect cut them
   * (core/feeds/ctrader-spot-feed.ts).
   */
  subscribePrices(symbol: string, listener: (bid: number, timeMs: number) => void): Unsubscribe {
    const found = this.#symbol(symbol);
    const subscription: PriceSubscription = { price: listener };
    let set = this.#bars.get(found.name);
    if (!set) {
      set = new Set();
      this.#bars.set(found.name, set);
    }
    set.add(subscription);
    // A failure here is retried by the next session start, which subscribes every symbol with bars.
    if (this.#state === 'connected') void this.subscribeSpots([found.name]).catch(() => undefined);
    return () => set.delete(subscription);
  }

  /** The instrument of a symbol this venue lists; throws `unknown_symbol` naming it otherwise. */
  instrument(symbol: string): Instrument {
    return this.#symbol(symbol).instrument;
  }

  /** Subscribes this connection to the spots of `symbols` (once each per connection). */
  async subscribeSpots(symbols: string[]): Promise<void> {
    const connection = this.#connection;
    if (!connection) throw new VenueError('retry_later', 'not_connected', `${this.id} is ${this.#state}`);
    const wanted = symbols.map((name) => this.#symbol(name).symbolId);
    const ids = wanted.filter((id) => !this.#spots.has(id));
    if (ids.length > 0) {
      const request = this.#sessionCall(connection, PayloadType.subscribeSpotsReq, { symbolId: ids }).then(
        () => undefined,
      );
      for (const id of ids) this.#spots.set(id, request);
      request.catch(() => {
        for (const id of ids) if (this.#spots.get(id) === request) this.#spots.delete(id);
      });
    }
    try {
      await Promise.all(wanted.map((id) => this.#spots.get(id)));
    } catch (error) {
      throw toVenueError(error);
    }
  }

  async submit(order: VenueOrder): Promise<void> {
    const symbol = this.#symbol(order.symbol);
    const payload: Record<string, unknown> = {
      symbolId: symbol.symbolId,
      orderType: orderTypeNumber[order.type],
      tradeSide: tradeSideNumber[order.side],
      volume: unitsToVolume(order.quantity),
      clientOrderId: order.clientOrderId,
      label: 'autobot',
    };
    if (order.type === 'limit') payload.limitPrice = order.price;
    if (order.type === 'stop') payload.stopPrice = order.price;
    if (order.type !== 'market') {
      payload.timeInForce = timeInForceNumber[order.timeInForce];
      if (order.timeInForce === 'DAY') payload.expirationTimestamp = endOfUtcDay(Date.now());
    }
    const answer = await this.#call(PayloadType.newOrderReq, payload);
    this.#track(answer);
    throwIfOrderError(answer);
  }

  async cancel(clientOrderId: ClientOrderId): Promise<void> {
    const tracked = await this.#tracked(clientOrderId);
    const answer = await this.#call(PayloadType.cancelOrderReq, { orderId: Number(tracked.orderId) });
    throwIfOrderError(answer);
  }

  async amend(clientOrderId: ClientOrderId, changes: { quantity?: number; price?: number }): Promise<void> {
    const tracked = await this.#tracked(clientOrderId);
    const payload: Record<string, unknown> = { orderId: Number(tracked.orderId) };
    if (changes.quantity !== undefined) payload.volume = unitsToVolume(changes.quantity);
    if (changes.price !== undefined)
      payload[tracked.type === 'stop' ? 'stopPrice' : 'limitPrice'] = changes.price;
    const answer = await this.#call(PayloadType.amendOrderReq, payload);
    throwIfOrderError(answer);
  }

  /** Closes `quantity` units of one cTrader position (positions are cTrader's, not an order of ours). */
  async closePosition(positionId: number, quantity: number): Promise<void> {
    const answer = await this.#call(PayloadType.closePositionReq, {
      positionId,
      volume: unitsToVolume(quantity),
    });
    throwIfOrderError(answer);
  }

  async openOrders(symbol?: string): Promise<OrderReport[]> {
    const { orders } = await this.#reconcileState();
    return orders.filter((order) => symbol === undefined || order.symbol === symbol);
  }

  async order(clientOrderId: ClientOrderId): Promise<OrderReport | null> {
    const open = (await this.#reconcileState()).orders.find((order) => order.clientOrderId === clientOrderId);
    if (open) return open;
    const now = Date.now();
    for (const raw of await this.#orderHistory(now - this.#lookback(), now + clockSlackMs)) {
      if (orderClientId(raw) !== clientOrderId) continue;
      const report = toOrderReport(raw, (id) => this.#symbolName(id));
      if (report) return report;
    }
    return null;
  }

  async orderFills(clientOrderId: ClientOrderId): Promise<FillReport[]> {
    const report = await this.order(clientOrderId);
    if (report === null) return [];
    const now = Date.now();
    const deals = await this.#deals(now - this.#lookback(), now + clockSlackMs);
    return deals
      .filter((deal) => String(deal.orderId) === report.venueOrderId)
      .map((deal) => toFill(deal))
      .filter((fill) => fill !== null)
      .map((fill) => ({ ...fill, clientOrderId, symbol: report.symbol, side: report.side }));
  }

  async fillsSince(since: number): Promise<FillReport[]> {
    const now = Date.now() + clockSlackMs;
    const byOrderId = new Map<string, OrderReport>();
    for (const raw of await this.#orderHistory(since, now)) {
      const report = toOrderReport(raw, (id) => this.#symbolName(id));
      if (report) byOrderId.set(report.venueOrderId, report);
    }
    for (const report of (await this.#reconcileState()).orders) byOrderId.set(report.venueOrderId, report);
    const fills: FillReport[] = [];
    for (const deal of await this.#deals(since, now)) {
      const report = byOrderId.get(String(deal.orderId));
      const fill = toFill(deal);
      if (report && fill)
        fills.push({
          ...fill,
          clientOrderId: report.clientOrderId,
          symbol: report.symbol,
          side: report.side,
        });
    }
    return fills;
  }

  async positions(): Promise<PositionReport[]> {
    return (await this.#reconcileState()).positions;
  }

  async balances(): Promise<BalanceReport[]> {
    const answer = await this.#call(PayloadType.traderReq, {});
    const trader = readTrader(answer.payload);
    this.#trader = trader;
    // TraderRes names the deposit asset only by id; the balance is the account's whole.
    return [{ asset: `asset:${trader.depositAssetId}`, free: trader.balance, locked: 0 }];
  }

  /** cTrader has no server-time request and stamps everything in UTC epoch ms: no offset is known. */
  async clockOffsetMs(): Promise<number> {
    return 0;
  }

  /** Closed bars from history, split into the per-request windows cTrader allows. */
  async trendbars(symbol: string, timeframe: Timeframe, from: number, to: number): Promise<Bar[]> {
    const found = this.#symbol(symbol);
    const bars: Bar[] = [];
    for (const [start, end] of trendbarWindows(timeframe, from, to)) {
      const answer = await this.#call(PayloadType.getTrendbarsReq, {
        symbolId: found.symbolId,
        period: trendbarPeriod[timeframe],
        fromTimestamp: start,
        toTimestamp: end,
      });
      const raw = (answer.payload.trendbar as Record<string, unknown>[] | undefined) ?? [];
      bars.push(...raw.map(decodeTrendbar));
    }
    bars.sort((a, b) => a.time - b.time);
    return bars.filter((bar, index) => index === 0 || bar.time !== bars[index - 1]!.time);
  }

  // ——— session ———

  async #startSession(): Promise<void> {
    const { application } = this.#options;
    const connection = await CTraderConnection.open(
      this.#options.endpoint ?? ctraderEndpoint(this.environment),
      {
        ...this.#options.connection,
        ca: this.#options.ca,
      },
    );
    this.#connection = connection;
    connection.onEvent((envelope) => this.#onMessage(envelope));
    connection.onClose((reason) => this.#onClose(connection, reason));
    try {
      await connection.request(PayloadType.applicationAuthReq, {
        clientId: application.clientId,
        clientSecret: application.clientSecret,
      });
      const accounts = await this.#withToken((accessToken) =>
        connection.request(PayloadType.getAccountListByAccessTokenReq, { accessToken }),
      );
      this.#accounts = readAccounts(accounts.payload).filter(
        (account) => account.isLive === (this.environment === 'live'),
      );
      const account =
        this.#accounts.find((candidate) => candidate.ctidTraderAccountId === this.#options.accountId) ??
        (this.#options.accountId === undefined ? this.#accounts[0] : undefined);
      if (!account)
        throw new VenueError(
          'rejected',
          'account_not_found',
          this.#options.accountId === undefined
            ? `The token grants no ${this.environment} account.`
            : `Account ${this.#options.accountId} is not among the ${this.environment} accounts this token grants.`,
        );
      this.#accountId = account.ctidTraderAccountId;
      await this.#withToken((accessToken) =>
        connection.request(PayloadType.accountAuthReq, { ctidTraderAccountId: this.#accountId, accessToken }),
      );
      this.#authorised = connection;
      this.#trader = readTrader((await this.#sessionCall(connection, PayloadType.traderReq, {})).payload);
      await this.#loadSymbols(connection);
      await this.#reconcileState(connection);
      this.#spots = new Map();
      if (this.#bars.size > 0) await this.subscribeSpots([...this.#bars.keys()]);
      await this.#options.afterSession?.();
    } catch (error) {
      connection.close('session start failed');
      throw error instanceof VenueError ? error : toVenueError(error);
    }
  }

  /** Runs `request` with the current token; on a token error refreshes once and runs it again. */
  async #withToken(request: (accessToken: string) => Promise<Envelope>): Promise<Envelope> {
    try {
      return await request(await this.#options.tokens.accessToken());
    } catch (error) {
      if (!(error instanceof CTraderRequestError && isTokenError(error.errorCode))) throw error;
      return await request(await this.#refreshedToken());
    }
  }

  async #refreshedToken(): Promise<string> {
    try {
      return await this.#options.tokens.refresh();
    } catch (error) {
      throw new VenueError(
        'retry_later',
        reconnectNeeded,
        `Reconnect needed: the cTrader token could not be refreshed (${error instanceof Error ? error.message : String(error)}). Connect the account again on the Account page.`,
      );
    }
  }

  async #sessionCall(connection: CTraderConnection, payloadType: number, payload: Record<string, unknown>) {
    return connection.request(payloadType, { ctidTraderAccountId: this.#accountId, ...payload });
  }

  async #loadSymbols(connection: CTraderConnection): Promise<void> {
    const list = await this.#sessionCall(connection, PayloadType.symbolsListReq, {
      includeArchivedSymbols: false,
    });
    const light = ((list.payload.symbol as Record<string, unknown>[] | undefined) ?? []).filter(
      (symbol) => symbol.enabled !== false,
    );
    const byId = new Map(light.map((symbol) => [readInt64(symbol.symbolId, 'symbol.symbolId'), symbol]));
    // Full details in chunks: one request per symbol would spend the rate limit on a big broker.
    const ids = [...byId.keys()];
    for (let start = 0; start < ids.length; start += 200) {
      const answer = await this.#sessionCall(connection, PayloadType.symbolByIdReq, {
        symbolId: ids.slice(start, start + 200),
      });
      for (const full of (answer.payload.symbol as Record<string, unknown>[] | undefined) ?? []) {
        const id = readInt64(full.symbolId, 'symbol.symbolId');
        const symbol = toCTraderSymbol(this.id, byId.get(id) ?? {}, full);
        this.#symbols.set(symbol.name, symbol);
        this.#symbolsById.set(symbol.symbolId, symbol);
      }
    }
  }

  #onClose(connection: CTraderConnection, reason: string): void {
    if (this.#connection !== connection || !this.#wanted || this.#state === 'connecting') return;
    this.#connection = null;
    // A connection lost during a reconnect attempt is that attempt's failure: its loop carries on.
    if (this.#reconnecting) return;
    this.#setState('reconnecting', reason);
    this.#reconnecting = true;
    void this.#reconnect().finally(() => {
      this.#reconnecting = false;
    });
  }

  async #reconnect(): Promise<void> {
    for (let attempt = 0; this.#wanted; attempt++) {
      await new Promise((resolve) =>
        setTimeout(resolve, backoffDelay(attempt, this.#options.backoff ?? defaultBackoff)),
      );
      if (!this.#wanted) return;
      try {
        await this.#startSession();
        this.#setState('connected');
        return;
      } catch (error) {
        if (error instanceof VenueError && (error.code === reconnectNeeded || error.kind === 'rejected')) {
          this.#wanted = false;
          this.#setState('disconnected', error.message);
          return;
        }
      }
    }
  }

  #onMessage(envelope: Envelope): void {
    const payload = envelope.payload;
    switch (envelope.payloadType) {
      case PayloadType.executionEvent: {
        this.#track(envelope);
        const mapped = toOrderEvent(payload);
        if (mapped) this.#emit({ type: 'order', ...mapped });
        return;
      }
      case PayloadType.orderErrorEvent: {
        // Unsolicited: the request it answered is gone (timed out or lost with a connection), so
        // that order is outcome_unknown and reconciliation asks the venue what became of it.
        return;
      }
      case PayloadType.spotEvent:
        this.#onSpot(payload);
        return;
      case PayloadType.accountsTokenInvalidatedEvent:
        void this.#reauthorise().catch(() => undefined);
        return;
      case PayloadType.clientDisconnectEvent:
        this.#connection?.close(`cTrader closed the session: ${String(payload.reason ?? 'no reason given')}`);
        return;
    }
  }

  #onSpot(payload: Record<string, unknown>): void {
    const symbolId = readInt64(payload.symbolId, 'spot.symbolId');
    // Spots carry only what changed: a spot without a bid keeps the last one.
    if (payload.bid !== undefined) this.#lastBid.set(symbolId, relativeToPrice(payload.bid, 'spot.bid'));
    const bid = this.#lastBid.get(symbolId);
    const symbol = this.#symbolsById.get(symbolId);
    if (bid === undefined || !symbol) return;
    const time =
      payload.timestamp === undefined ? Date.now() : readInt64(payload.timestamp, 'spot.timestamp');
    for (const subscription of this.#bars.get(symbol.name) ?? []) subscription.price(bid, time);
  }

  /** Trading and report requests: the account's id added, a token error refreshed once. */
  async #call(payloadType: number, payload: Record<string, unknown>): Promise<Envelope> {
    const connection = this.#connection;
    if (!connection || this.#authorised !== connection || connection.closed)
      throw new VenueError('retry_later', 'not_connected', `${this.id} is ${this.#state}`);
    try {
      return await this.#sessionCall(connection, payloadType, payload);
    } catch (error) {
      if (!(error instanceof CTraderRequestError && isTokenError(error.errorCode))) throw toVenueError(error);
    }
    // Token expired mid-session: the request was refused, so it is safe to send once more.
    await this.#reauthorise();
    try {
      return await this.#sessionCall(connection, payloadType, payload);
    } catch (error) {
      throw toVenueError(error);
    }
  }

  /** Refreshes the token and authenticates the account again: once, however many callers ask. */
  #reauthorise(): Promise<void> {
    this.#reauthorising ??= (async () => {
      const connection = this.#connection;
      try {
        const accessToken = await this.#refreshedToken();
        if (!connection) return;
        await connection.request(PayloadType.accountAuthReq, {
          ctidTraderAccountId: this.#accountId,
          accessToken,
        });
      } catch (error) {
        const failure = toVenueError(error);
        this.#wanted = false;
        this.#connection = null;
        connection?.close('reconnect needed');
        this.#setState('disconnected', failure.message);
        throw failure;
      }
    })().finally(() => {
      this.#reauthorising = null;
    });
    return this.#reauthorising;
  }

  async #reconcileState(
    connection?: CTraderConnection,
  ): Promise<{ orders: OrderReport[]; positions: PositionReport[] }> {
    const answer = connection
      ? await this.#sessionCall(connection, PayloadType.reconcileReq, {})
      : await this.#call(PayloadType.reconcileReq, {});
    const rawOrders = (answer.payload.order as Record<string, unknown>[] | undefined) ?? [];
    const rawPositions = (answer.payload.position as Record<string, unknown>[] | undefined) ?? [];
    const orders: OrderReport[] = [];
    for (const raw of rawOrders) {
      const report = toOrderReport(raw, (id) => this.#symbolName(id));
      if (!report) continue;
      this.#orders.set(report.clientOrderId, { orderId: report.venueOrderId, type: report.type });
      orders.push(report);
    }
    return { orders, positions: toPositionReports(rawPositions, (id) => this.#symbolName(id)) };
  }

  async #orderHistory(from: number, to: number): Promise<Record<string, unknown>[]> {
    const answer = await this.#call(PayloadType.orderListReq, {
      fromTimestamp: Math.floor(from),
      toTimestamp: Math.ceil(to),
    });
    return (answer.payload.order as Record<string, unknown>[] | undefined) ?? [];
  }

  /** Deals in [from, to], following `hasMore` pages. */
  async #deals(from: number, to: number): Promise<Record<string, unknown>[]> {
    const deals: Record<string, unknown>[] = [];
    let start = Math.floor(from);
    for (let page = 0; page < 100; page++) {
      const answer = await this.#call(PayloadType.dealListReq, {
        fromTimestamp: start,
        toTimestamp: Math.ceil(to),
        maxRows: 1000,
      });
      const batch = (answer.payload.deal as Record<string, unknown>[] | undefined) ?? [];
      deals.push(...batch);
      if (answer.payload.hasMore !== true || batch.length === 0) break;
      start =
        Math.max(
          ...batch.map((deal) =>
            readInt64(deal.executionTimestamp ?? deal.createTimestamp, 'deal.executionTimestamp'),
          ),
        ) + 1;
    }
    const seen = new Set<string>();
    return deals.filter((deal) => {
      const id = String(deal.dealId);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }

  async #tracked(clientOrderId: ClientOrderId): Promise<TrackedOrder> {
    const known = this.#orders.get(clientOrderId);
    if (known) return known;
    const report = await this.order(clientOrderId);
    if (report === null)
      throw new VenueError('rejected', 'ORDER_NOT_FOUND', `${this.id} has no order ${clientOrderId}`);
    const tracked = { orderId: report.venueOrderId, type: report.type };
    this.#orders.set(clientOrderId, tracked);
    return tracked;
  }

  #track(envelope: Envelope): void {
    if (envelope.payloadType !== PayloadType.executionEvent) return;
    const order = envelope.payload.order as Record<string, unknown> | undefined;
    const clientOrderId = order ? orderClientId(order) : null;
    if (!order || clientOrderId === null || order.orderId === undefined) return;
    this.#orders.set(clientOrderId, { orderId: String(order.orderId), type: readOrderType(order.orderType) });
  }

  #symbol(name: string): CTraderSymbol {
    const symbol = this.#symbols.get(name);
    if (!symbol) throw new VenueError('rejected', 'unknown_symbol', `${this.id} has no symbol "${name}"`);
    return symbol;
  }

  #symbolName(id: number): string {
    return this.#symbolsById.get(id)?.name ?? `#${id}`;
  }

  #lookback(): number {
    return this.#options.historyLookbackMs ?? 7 * 86_400_000;
  }

  #setState(state: ConnectionState, reason?: string): void {
    this.#state = state;
    this.#emit({ type: 'connection', state, at: Date.now(), ...(reason === undefined ? {} : { reason }) });
  }

  #emit(event: VenueEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}

function throwIfOrderError(answer: Envelope): void {
  if (answer.payloadType !== PayloadType.orderErrorEvent) return;
  const code = errorCodeName(answer.payload.errorCode);
  const description = typeof answer.payload.description === 'string' ? answer.payload.description : '';
  throw new VenueError(
    'rejected',
    code,
    `cTrader refused the order: ${code}${description ? ` — ${description}` : ''}`,
  );
}

function readAccounts(payload: Record<string, unknown>): CTraderAccount[] {
  return ((payload.ctidTraderAccount as Record<string, unknown>[] | undefined) ?? []).map((raw) => ({
    ctidTraderAccountId: readInt64(raw.ctidTraderAccountId, 'ctidTraderAccountId'),
    isLive: raw.isLive === true,
    traderLogin: raw.traderLogin === undefined ? 0 : readInt64(raw.traderLogin, 'traderLogin'),
    broker: typeof raw.brokerTitleShort === 'string' ? raw.brokerTitleShort : '',
  }));
}

function readTrader(payload: Record<string, unknown>): CTraderTrader {
  const trader = (payload.trader as Record<string, unknown> | undefined) ?? {};
  const moneyDigits =
    trader.moneyDigits === undefined ? 2 : readInt64(trader.moneyDigits, 'trader.moneyDigits');
  return {
    balance: moneyToNumber(trader.balance ?? 0, moneyDigits, 'trader.balance'),
    moneyDigits,
    depositAssetId:
      trader.depositAssetId === undefined ? 0 : readInt64(trader.depositAssetId, 'trader.depositAssetId'),
  };
}

function endOfUtcDay(now: number): number {
  const day = 86_400_000;
  return Math.floor(now / day) * day + day - 1;
}
