// A cTrader Open API server on loopback TLS, speaking the JSON envelope with the real payload
// numbers and shapes (ProtoOA* field names, volumes in hundredths, spot prices × 10⁻⁵, money by
// moneyDigits). It keeps orders, deals and positions like a broker would, and injects the faults
// the venue must survive: a dropped execution event, silence (no heartbeats, no answers), an
// expired token, a rate limit with retryAfter, a disconnect in the middle of an order.
import type { WebSocket } from 'ws';
import type { Bar } from '../../core/domain/bar.ts';
import { timeframeSeconds } from '../../core/domain/timeframe-seconds.ts';
import type { Timeframe } from '../../core/domain/timeframe.ts';
import { PayloadType } from '../../core/venues/ctrader/payload-types.ts';
import { encodeTrendbar, trendbarPeriod } from '../../core/venues/ctrader/trendbars.ts';
import type { KeyPair } from './test-certificates.ts';
import { startTlsWebSocketServer, type TlsWebSocketServer } from './tls-websocket-server.ts';

type Entity = Record<string, unknown>;
interface Message {
  clientMsgId?: string;
  payloadType: number;
  payload: Entity;
}

export interface PeerSymbol {
  symbolId: number;
  symbolName: string;
  digits: number;
  lotSize: number;
  minVolume: number;
  stepVolume: number;
  maxVolume: number;
}

export const peerSymbols: PeerSymbol[] = [
  {
    symbolId: 1,
    symbolName: 'EURUSD',
    digits: 5,
    lotSize: 10_000_000,
    minVolume: 100_000,
    stepVolume: 100_000,
    maxVolume: 10_000_000_000,
  },
  // A commodity CFD: palm oil quoted to 0 decimals, whole tonnes (lot of 25 t).
  {
    symbolId: 77,
    symbolName: 'PALMOIL',
    digits: 0,
    lotSize: 2_500,
    minVolume: 100,
    stepVolume: 100,
    maxVolume: 1_000_000,
  },
];

export interface PeerOptions {
  pair: KeyPair;
  clientId: string;
  clientSecret: string;
  accessToken: string;
  refreshToken: string;
  /** How often the peer sends its heartbeat. */
  heartbeatMs?: number;
  /** Market orders fill in two deals (a partial fill, then the rest). */
  partialFills?: boolean;
}

interface SocketState {
  socket: WebSocket;
  appAuthed: boolean;
  /** ctidTraderAccountId → the access token it was authorised with. */
  accounts: Map<number, string>;
  sent: number[];
  history: number[];
  penaltyUntil: number;
  silent: boolean;
  heartbeat: NodeJS.Timeout;
}

export class CTraderPeer {
  readonly accounts = [
    {
      ctidTraderAccountId: 1001,
      isLive: false,
      traderLogin: 5_001_001,
      brokerTitleShort: 'Loopback Markets',
    },
    { ctidTraderAccountId: 2002, isLive: true, traderLogin: 5_002_002, brokerTitleShort: 'Loopback Markets' },
  ];
  readonly orders = new Map<number, Entity>();
  readonly deals: Entity[] = [];
  readonly positions = new Map<number, Entity>();
  /** What happened, for tests to assert on. */
  readonly counts = {
    connections: 0,
    appAuths: 0,
    accountAuths: 0,
    refreshes: 0,
    rateLimitRefusals: 0,
    /** Requests that arrived while the client had been told to wait (retryAfter not honoured). */
    penaltyViolations: 0,
    spotsSubscribed: 0,
    trendbarRequests: 0,
  };
  readonly received: Message[] = [];
  accessToken: string;
  refreshToken: string;
  /** Fill execution events left unsent (counted down). */
  dropExecutions = 0;
  /** The next NewOrderReq is executed, then the connection dies before any answer. */
  disconnectOnNextOrder = false;
  /** The next NewOrderReq answered with this OrderErrorEvent. */
  rejectNextOrder: { errorCode: string; description: string } | null = null;
  /** The next request refused with REQUEST_FREQUENCY_EXCEEDED and this retryAfter (seconds). */
  rateLimitNext: number | null = null;
  partialFills: boolean;
  /** Every spot pushed, per symbol (bid × 10⁻⁵, epoch ms): the broker's tick history trendbars are built from. */
  readonly spotHistory = new Map<number, { bid: number; timestamp: number }[]>();
  bid = new Map<number, number>([
    [1, 108_456],
    [77, 398_100_000],
  ]);

  readonly #options: PeerOptions;
  readonly #sockets = new Set<SocketState>();
  #server: TlsWebSocketServer | null = null;
  #validTokens = new Set<string>();
  #nextId = 5_000;
  #clock = Date.UTC(2026, 11, 1, 12);

  private constructor(options: PeerOptions) {
    this.#options = options;
    this.accessToken = options.accessToken;
    this.refreshToken = options.refreshToken;
    this.#validTokens.add(options.accessToken);
    this.partialFills = options.partialFills ?? false;
  }

  static async start(options: PeerOptions): Promise<CTraderPeer> {
    const peer = new CTraderPeer(options);
    peer.#server = await startTlsWebSocketServer(options.pair, (socket) => peer.#accept(socket));
    return peer;
  }

  get endpoint() {
    return { host: this.#server!.host, port: this.#server!.port };
  }

  async close(): Promise<void> {
    for (const state of this.#sockets) clearInterval(state.heartbeat);
    await this.#server?.close();
  }

  /** An access token issued elsewhere (the OAuth server) becomes valid here. */
  acceptToken(accessToken: string): void {
    this.#validTokens.add(accessToken);
  }

  /** The access token stops working (as when it reaches its expiry). */
  expireToken(): void {
    this.#validTokens.clear();
  }

  /** Every open connection goes quiet: no heartbeats, no answers (a half-dead TCP link). */
  goSilent(): void {
    for (const state of this.#sockets) state.silent = true;
  }

  /** Drops every connection at once, as a network failure would. */
  dropConnections(): void {
    for (const state of this.#sockets) state.socket.terminate();
  }

  /** The OAuth refresh cTrader performs: a new pair, the used refresh token dead. */
  refresh(refreshToken: string): { accessToken: string; refreshToken: string; expiresIn: number } {
    if (refreshToken !== this.refreshToken)
      throw new Error('ACCESS_DENIED: refresh token already used or unknown');
    this.counts.refreshes++;
    this.accessToken = `access-${this.counts.refreshes}-${Math.random().toString(36).slice(2, 8)}`;
    this.refreshToken = `refresh-${this.counts.refreshes}-${Math.random().toString(36).slice(2, 8)}`;
    this.#validTokens.add(this.accessToken);
    return { accessToken: this.accessToken, refreshToken: this.refreshToken, expiresIn: 2_628_000 };
  }

  /** Pushes a spot to every connection subscribed to it. Prices × 10⁻⁵. */
  pushSpot(symbolId: number, bid: number, ask: number, timestamp: number): void {
    this.bid.set(symbolId, bid);
    let history = this.spotHistory.get(symbolId);
    if (!history) this.spotHistory.set(symbolId, (history = []));
    history.push({ bid, timestamp });
    this.#broadcast({
      payloadType: PayloadType.spotEvent,
      payload: { ctidTraderAccountId: 1001, symbolId, bid, ask, timestamp },
    });
  }

  /**
   * The test control that streams a market: four spots (open, high, low, close, one spread apart)
   * inside `bar`'s period, so a client building bars from bids sees exactly `bar` (volume 4) once
   * the next period's first spot arrives, and the trendbar history holds the same bar.
   */
  pushBar(symbolId: number, bar: Omit<Bar, 'volume'>, timeframe: Timeframe): void {
    const start = bar.time * 1000;
    const last = start + timeframeSeconds(timeframe) * 1000 - 1;
    const scaled = (price: number) => Math.round(price * 100_000);
    const prices = [bar.open, bar.high, bar.low, bar.close];
    const times = [start, start + 1, start + 2, last];
    for (let i = 0; i < 4; i++)
      this.pushSpot(symbolId, scaled(prices[i]!), scaled(prices[i]!) + 2, times[i]!);
  }

  /** Bars of `period` (cTrader's number) built from the spot history, starting in [from, to) ms. */
  trendbars(symbolId: number, period: number, from: number, to: number): Entity[] {
    const timeframe = (Object.keys(trendbarPeriod) as Timeframe[]).find(
      (tf) => trendbarPeriod[tf] === period,
    );
    if (!timeframe) throw new Error(`no period ${period}`);
    const seconds = timeframeSeconds(timeframe);
    const bars = new Map<number, Bar>();
    for (const { bid, timestamp } of this.spotHistory.get(symbolId) ?? []) {
      const time = Math.floor(timestamp / 1000 / seconds) * seconds;
      if (time * 1000 < from || time * 1000 >= to) continue;
      const price = bid / 100_000;
      const bar = bars.get(time);
      if (!bar) bars.set(time, { time, open: price, high: price, low: price, close: price, volume: 1 });
      else {
        bar.high = Math.max(bar.high, price);
        bar.low = Math.min(bar.low, price);
        bar.close = price;
        bar.volume++;
      }
    }
    return [...bars.values()].sort((a, b) => a.time - b.time).map((bar) => encodeTrendbar(bar, period));
  }

  /** Fills `volume` (hundredths; default what is left) of a resting order at `price`. */
  fill(orderId: number, price: number, volume?: number): void {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    const data = order.tradeData as Entity;
    const left = (data.volume as number) - ((order.executedVolume as number | undefined) ?? 0);
    this.#execute(order, Math.min(volume ?? left, left), price, null);
  }

  #accept(socket: WebSocket): void {
    this.counts.connections++;
    const state: SocketState = {
      socket,
      appAuthed: false,
      accounts: new Map(),
      sent: [],
      history: [],
      penaltyUntil: 0,
      silent: false,
      heartbeat: setInterval(() => {
        if (!state.silent) this.#send(state, { payloadType: PayloadType.heartbeatEvent, payload: {} });
      }, this.#options.heartbeatMs ?? 10_000),
    };
    this.#sockets.add(state);
    socket.on('close', () => {
      clearInterval(state.heartbeat);
      this.#sockets.delete(state);
    });
    socket.on('message', (data) => {
      if (state.silent) return;
      const message = JSON.parse(String(data)) as Message;
      if (message.payloadType === PayloadType.heartbeatEvent) return;
      this.received.push(message);
      this.#handle(state, message);
    });
  }

  #send(state: SocketState, message: Message): void {
    if (state.socket.readyState === state.socket.OPEN) state.socket.send(JSON.stringify(message));
  }

  #broadcast(message: Message): void {
    for (const state of this.#sockets)
      if (!state.silent && state.accounts.size > 0) this.#send(state, message);
  }

  #error(
    state: SocketState,
    request: Message,
    errorCode: string,
    description: string,
    retryAfter?: number,
  ): void {
    this.#send(state, {
      clientMsgId: request.clientMsgId,
      payloadType: PayloadType.oaErrorRes,
      payload: { errorCode, description, ...(retryAfter === undefined ? {} : { retryAfter }) },
    });
  }

  #answer(state: SocketState, request: Message, payloadType: number, payload: Entity): void {
    this.#send(state, { clientMsgId: request.clientMsgId, payloadType, payload });
  }

  /** cTrader's limits: 50 requests in any second, 5 history requests; then a penalty with retryAfter. */
  #rateLimited(state: SocketState, message: Message): boolean {
    const now = Date.now();
    if (now < state.penaltyUntil) {
      this.counts.penaltyViolations++;
      this.#error(
        state,
        message,
        'REQUEST_FREQUENCY_EXCEEDED',
        'still waiting',
        Math.ceil((state.penaltyUntil - now) / 1000),
      );
      return true;
    }
    const history =
      message.payloadType === PayloadType.getTrendbarsReq || message.payloadType === PayloadType.dealListReq;
    state.sent = state.sent.filter((time) => time > now - 1000);
    state.history = state.history.filter((time) => time > now - 1000);
    const forced = this.rateLimitNext;
    if (forced !== null || state.sent.length >= 50 || (history && state.history.length >= 5)) {
      this.rateLimitNext = null;
      const retryAfter = forced ?? 1;
      this.counts.rateLimitRefusals++;
      state.penaltyUntil = now + retryAfter * 1000;
      this.#error(state, message, 'REQUEST_FREQUENCY_EXCEEDED', 'too many requests', retryAfter);
      return true;
    }
    state.sent.push(now);
    if (history) state.history.push(now);
    return false;
  }

  #handle(state: SocketState, message: Message): void {
    if (this.#rateLimited(state, message)) return;
    const payload = message.payload;
    if (message.payloadType === PayloadType.applicationAuthReq) {
      if (payload.clientId !== this.#options.clientId || payload.clientSecret !== this.#options.clientSecret)
        return this.#error(state, message, 'CH_CLIENT_AUTH_FAILURE', 'unknown application');
      state.appAuthed = true;
      this.counts.appAuths++;
      return this.#answer(state, message, PayloadType.applicationAuthRes, {});
    }
    if (!state.appAuthed)
      return this.#error(state, message, 'CH_CLIENT_NOT_AUTHENTICATED', 'application not authorised');
    switch (message.payloadType) {
      case PayloadType.getAccountListByAccessTokenReq:
        if (!this.#validTokens.has(String(payload.accessToken)))
          return this.#error(state, message, 'CH_ACCESS_TOKEN_INVALID', 'invalid access token');
        return this.#answer(state, message, PayloadType.getAccountListByAccessTokenRes, {
          accessToken: payload.accessToken,
          permissionScope: 1,
          ctidTraderAccount: this.accounts,
        });
      case PayloadType.refreshTokenReq:
        try {
          return this.#answer(state, message, PayloadType.refreshTokenRes, {
            ...this.refresh(String(payload.refreshToken)),
            tokenType: 'bearer',
          });
        } catch (error) {
          return this.#error(state, message, 'ACCESS_DENIED', (error as Error).message);
        }
      case PayloadType.accountAuthReq: {
        const account = Number(payload.ctidTraderAccountId);
        if (!this.#validTokens.has(String(payload.accessToken)))
          return this.#error(state, message, 'CH_ACCESS_TOKEN_INVALID', 'invalid access token');
        if (!this.accounts.some((candidate) => candidate.ctidTraderAccountId === account))
          return this.#error(state, message, 'CH_CTID_TRADER_ACCOUNT_NOT_FOUND', 'no such account');
        state.accounts.set(account, String(payload.accessToken));
        this.counts.accountAuths++;
        return this.#answer(state, message, PayloadType.accountAuthRes, { ctidTraderAccountId: account });
      }
    }
    const account = Number(payload.ctidTraderAccountId);
    const token = state.accounts.get(account);
    if (token === undefined)
      return this.#error(state, message, 'ACCOUNT_NOT_AUTHORIZED', 'account not authorised');
    if (!this.#validTokens.has(token))
      return this.#error(state, message, 'OA_AUTH_TOKEN_EXPIRED', 'access token expired');
    this.#trade(state, message, account);
  }

  #trade(state: SocketState, message: Message, account: number): void {
    const payload = message.payload;
    const base = { ctidTraderAccountId: account };
    switch (message.payloadType) {
      case PayloadType.traderReq:
        return this.#answer(state, message, PayloadType.traderRes, {
          ...base,
          trader: {
            ctidTraderAccountId: account,
            balance: 1_000_000,
            depositAssetId: 15,
            moneyDigits: 2,
            accountType: 0,
            brokerName: 'loopback',
          },
        });
      case PayloadType.symbolsListReq:
        return this.#answer(state, message, PayloadType.symbolsListRes, {
          ...base,
          symbol: peerSymbols.map((symbol) => ({
            symbolId: symbol.symbolId,
            symbolName: symbol.symbolName,
            enabled: true,
            baseAssetId: 1,
            quoteAssetId: 2,
          })),
        });
      case PayloadType.symbolByIdReq: {
        const ids = (payload.symbolId as number[]).map(Number);
        return this.#answer(state, message, PayloadType.symbolByIdRes, {
          ...base,
          symbol: peerSymbols
            .filter((symbol) => ids.includes(symbol.symbolId))
            .map(({ symbolName: _name, ...symbol }) => ({
              ...symbol,
              pipPosition: Math.max(0, symbol.digits - 1),
            })),
        });
      }
      case PayloadType.reconcileReq:
        return this.#answer(state, message, PayloadType.reconcileRes, {
          ...base,
          position: [...this.positions.values()].filter((position) => position.positionStatus === 1),
          order: [...this.orders.values()].filter((order) => order.orderStatus === 1),
        });
      case PayloadType.orderListReq:
        return this.#answer(state, message, PayloadType.orderListRes, {
          ...base,
          order: [...this.orders.values()].filter((order) => inRange(order.utcLastUpdateTimestamp, payload)),
          hasMore: false,
        });
      case PayloadType.dealListReq:
        return this.#answer(state, message, PayloadType.dealListRes, {
          ...base,
          deal: this.deals.filter((deal) => inRange(deal.executionTimestamp, payload)),
          hasMore: false,
        });
      case PayloadType.subscribeSpotsReq:
        this.counts.spotsSubscribed++;
        return this.#answer(state, message, PayloadType.subscribeSpotsRes, base);
      case PayloadType.getTrendbarsReq:
        this.counts.trendbarRequests++;
        return this.#answer(state, message, PayloadType.getTrendbarsRes, {
          ...base,
          period: payload.period,
          symbolId: payload.symbolId,
          trendbar: this.trendbars(
            Number(payload.symbolId),
            Number(payload.period),
            Number(payload.fromTimestamp),
            Number(payload.toTimestamp),
          ),
          hasMore: false,
        });
      case PayloadType.newOrderReq:
        return this.#newOrder(state, message, account);
      case PayloadType.cancelOrderReq: {
        const order = this.orders.get(Number(payload.orderId));
        if (!order || order.orderStatus !== 1)
          return this.#answer(state, message, PayloadType.orderErrorEvent, {
            ...base,
            errorCode: 'ORDER_NOT_FOUND',
            orderId: payload.orderId,
            description: 'no working order',
          });
        order.orderStatus = 5;
        order.utcLastUpdateTimestamp = this.#tick();
        return this.#answer(state, message, PayloadType.executionEvent, { ...base, executionType: 5, order });
      }
      case PayloadType.amendOrderReq: {
        const order = this.orders.get(Number(payload.orderId));
        if (!order || order.orderStatus !== 1)
          return this.#answer(state, message, PayloadType.orderErrorEvent, {
            ...base,
            errorCode: 'ORDER_NOT_FOUND',
            orderId: payload.orderId,
            description: 'no working order',
          });
        if (payload.volume !== undefined) (order.tradeData as Entity).volume = Number(payload.volume);
        if (payload.limitPrice !== undefined) order.limitPrice = payload.limitPrice;
        if (payload.stopPrice !== undefined) order.stopPrice = payload.stopPrice;
        order.utcLastUpdateTimestamp = this.#tick();
        return this.#answer(state, message, PayloadType.executionEvent, { ...base, executionType: 4, order });
      }
      default:
        return this.#error(
          state,
          message,
          'BLOCKED_PAYLOAD_TYPE',
          `message ${message.payloadType} is not served by this peer`,
        );
    }
  }

  #newOrder(state: SocketState, message: Message, account: number): void {
    const payload = message.payload;
    const base = { ctidTraderAccountId: account };
    if (this.rejectNextOrder) {
      const { errorCode, description } = this.rejectNextOrder;
      this.rejectNextOrder = null;
      return this.#answer(state, message, PayloadType.orderErrorEvent, { ...base, errorCode, description });
    }
    const symbol = peerSymbols.find((candidate) => candidate.symbolId === Number(payload.symbolId));
    const volume = Number(payload.volume);
    if (!symbol || volume < symbol.minVolume || volume % symbol.stepVolume !== 0)
      return this.#answer(state, message, PayloadType.orderErrorEvent, {
        ...base,
        errorCode: 'TRADING_BAD_VOLUME',
        description: `volume ${volume}`,
      });
    const orderId = this.#nextId++;
    const positionId = this.#nextId++;
    const time = this.#tick();
    const order: Entity = {
      orderId,
      tradeData: {
        symbolId: symbol.symbolId,
        volume,
        tradeSide: Number(payload.tradeSide),
        openTimestamp: time,
        label: payload.label,
      },
      orderType: Number(payload.orderType),
      orderStatus: 1,
      executedVolume: 0,
      utcLastUpdateTimestamp: time,
      clientOrderId: payload.clientOrderId,
      positionId,
      ...(payload.limitPrice === undefined ? {} : { limitPrice: payload.limitPrice }),
      ...(payload.stopPrice === undefined ? {} : { stopPrice: payload.stopPrice }),
      ...(payload.timeInForce === undefined ? {} : { timeInForce: payload.timeInForce }),
    };
    this.orders.set(orderId, order);
    const market = order.orderType === 1;
    const price = (this.bid.get(symbol.symbolId) ?? 100_000) / 100_000;
    if (this.disconnectOnNextOrder) {
      this.disconnectOnNextOrder = false;
      if (market) this.#execute(order, volume, price, null, true);
      state.socket.terminate();
      return;
    }
    this.#answer(state, message, PayloadType.executionEvent, {
      ...base,
      executionType: 2,
      order: { ...order },
    });
    if (!market) return;
    if (this.partialFills) {
      const first = Math.floor(volume / 2 / symbol.stepVolume) * symbol.stepVolume;
      this.#execute(order, first, price, state);
      this.#execute(order, volume - first, price, state);
    } else this.#execute(order, volume, price, state);
  }

  /** A deal of `volume` at `price`: the order, its position and the deal list change; the event is sent unless dropped. */
  #execute(order: Entity, volume: number, price: number, _state: SocketState | null, silent = false): void {
    const data = order.tradeData as Entity;
    const executed = ((order.executedVolume as number | undefined) ?? 0) + volume;
    const complete = executed >= (data.volume as number);
    const time = this.#tick();
    Object.assign(order, {
      executedVolume: executed,
      executionPrice: price,
      utcLastUpdateTimestamp: time,
      orderStatus: complete ? 2 : 1,
    });
    const deal: Entity = {
      dealId: this.#nextId++,
      orderId: order.orderId,
      positionId: order.positionId,
      volume,
      filledVolume: volume,
      symbolId: data.symbolId,
      createTimestamp: time,
      executionTimestamp: time,
      utcLastUpdateTimestamp: time,
      executionPrice: price,
      tradeSide: data.tradeSide,
      dealStatus: 2,
      commission: -Math.round((volume / 100 / 1000) * 3), // 0.03 per 1,000 units, in cents
      moneyDigits: 2,
    };
    this.deals.push(deal);
    const position: Entity = this.positions.get(order.positionId as number) ?? {
      positionId: order.positionId,
      tradeData: { ...data, volume: 0 },
      positionStatus: 1,
      price,
      swap: 0,
      moneyDigits: 2,
    };
    (position.tradeData as Entity).volume = executed;
    position.price = price;
    position.utcLastUpdateTimestamp = time;
    this.positions.set(order.positionId as number, position);
    if (silent) return;
    if (this.dropExecutions > 0) {
      this.dropExecutions--;
      return;
    }
    this.#broadcast({
      payloadType: PayloadType.executionEvent,
      payload: {
        ctidTraderAccountId: 1001,
        executionType: complete ? 3 : 11,
        order: { ...order },
        position,
        deal,
      },
    });
  }

  /** Venue time: real time, strictly increasing, so events keep their order. */
  #tick(): number {
    this.#clock = Math.max(this.#clock + 1, Date.now());
    return this.#clock;
  }
}

function inRange(time: unknown, payload: Entity): boolean {
  const t = Number(time);
  return t >= Number(payload.fromTimestamp) && t <= Number(payload.toTimestamp);
}
