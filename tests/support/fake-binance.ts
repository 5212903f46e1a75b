// A Binance spot exchange on loopback: a real HTTP server answering the REST paths and shapes
// ccxt's `binance` class calls (node_modules/ccxt/js/src/binance.js), with its signing checked and
// with faults injected on demand. Tests point ccxt at it through `urls.api` (what `--api-url`
// does) — never at a real exchange. What it models:
//  - markets with PRICE_FILTER / LOT_SIZE / NOTIONAL filters (ccxt reads precision and limits there);
//  - synthetic klines, a deterministic function of time, listed from `listedAt`;
//  - balances, orders (limit orders rest until the test moves the market, market orders fill at
//    once), trades with ids, partial fills, duplicate client ids refused as Binance does (-2010);
//  - a venue clock `clockOffsetMs` ahead of ours (GET /api/v3/time, and -1021 outside recvWindow);
//  - faults, each consumed by the next matching request: `drop` (socket closed before the request
//    is handled: nothing happened), `lost` (handled, then the socket closed: it happened but the
//    answer is lost), `hang` (never answered: the client times out; the request is not handled),
//    `delay` (answered late), `429`, `418`, `500`, `503`, and `duplicate` (myTrades and openOrders
//    repeat their rows, as a venue redelivering does).
//  - kline streams on the same origin (`ws://…/ws/N`, Binance's raw-stream shape): a client sends
//    {"method":"SUBSCRIBE","params":["btcusdt@kline_1h"],"id":1} and receives `kline` events of the
//    symbol's tape (fake-binance-tape.ts) as the test pushes bars;
//  - the user-data stream ccxt's watchOrders reads, on the WebSocket API path (`ws://…/ws-api/v3`,
//    fake-binance-user-stream.ts): executionReports for every order placed, traded and cancelled,
//    with its own faults (`userStream.drop/muted/duplicateNext`);
//  - a control surface over HTTP, `POST /__control/…`, for a test that only has the URL (an
//    end-to-end test drives the app in a browser): push bars, drop the streams (and refuse new ones
//    until resumed), cut every connection, place an order "from the website".
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { KlineTape, type TapeBar, type TapePrices } from './fake-binance-tape.ts';
import { FakeUserStream } from './fake-binance-user-stream.ts';

export interface FakeMarket {
  base: string;
  quote: string;
  tickSize: string;
  stepSize: string;
  minQty: string;
  minNotional: string;
}

export type FaultKind = 'drop' | 'lost' | 'hang' | 'delay' | '429' | '418' | '500' | '503' | 'duplicate';

export interface Fault {
  kind: FaultKind;
  /** "POST /api/v3/order", "GET /api/v3/order"…; a prefix of "METHOD PATH" matches. */
  route: string;
  /** For delay: how long. */
  ms?: number;
  /** How many matching requests it hits (default 1). */
  times?: number;
}

export interface FakeOrder {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  side: 'BUY' | 'SELL';
  type: 'LIMIT' | 'MARKET';
  price: number;
  origQty: number;
  executedQty: number;
  quote: number;
  status: 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'REJECTED';
  timeInForce: string;
  time: number;
  updateTime: number;
}

export interface FakeTrade {
  symbol: string;
  id: number;
  orderId: number;
  price: number;
  qty: number;
  commission: number;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
}

export interface FakeBinanceOptions {
  apiKey?: string;
  secret?: string;
  markets?: Record<string, FakeMarket>;
  balances?: Record<string, number>;
  /** Venue clock minus ours. */
  clockOffsetMs?: number;
  /** Epoch ms of the first kline (earlier startTimes get bars from here). */
  listedAt?: number;
  /** Price market orders fill at, per symbol id. */
  lastPrice?: Record<string, number>;
  /** Markets the test moves by hand (klines from these, not the wall-clock synthetic ones). */
  tapes?: { symbol: string; interval: string; from: number; bars: number }[];
}

export const defaultMarkets: Record<string, FakeMarket> = {
  BTCUSDT: {
    base: 'BTC',
    quote: 'USDT',
    tickSize: '0.01',
    stepSize: '0.00001',
    minQty: '0.00001',
    minNotional: '5',
  },
  ETHUSDT: {
    base: 'ETH',
    quote: 'USDT',
    tickSize: '0.01',
    stepSize: '0.0001',
    minQty: '0.0001',
    minNotional: '5',
  },
};

const intervals: Record<string, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
};

/** The kline opening at `time`: a smooth, deterministic walk so every download of a span agrees. */
export function syntheticKline(time: number, intervalMs: number): [number, number, number, number, number] {
  const base = 30_000 + 5_000 * Math.sin(time / 8.64e8) + 300 * Math.sin(time / 3.6e6);
  const open = Math.round(base * 100) / 100;
  const close = Math.round((base + 50 * Math.cos(time / 1e6)) * 100) / 100;
  const high = Math.round((Math.max(open, close) + 20) * 100) / 100;
  const low = Math.round((Math.min(open, close) - 20) * 100) / 100;
  return [open, high, low, close, Math.round((1 + ((time / intervalMs) % 7)) * 1000) / 1000];
}

class HttpError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, body: unknown) {
    super(JSON.stringify(body));
    this.status = status;
    this.body = body;
  }
}

export class FakeBinance {
  readonly apiKey: string;
  readonly secret: string;
  readonly markets: Record<string, FakeMarket>;
  readonly balances = new Map<string, { free: number; locked: number }>();
  readonly orders = new Map<number, FakeOrder>();
  readonly trades: FakeTrade[] = [];
  readonly lastPrice: Record<string, number>;
  /** Every request handled or faulted, "METHOD /path" — what the tests read to see what ccxt sent. */
  readonly requests: { route: string; params: URLSearchParams }[] = [];
  clockOffsetMs: number;
  listedAt: number;
  /** How many lookups (query or open list) of a new order miss it first (eventual consistency). */
  notFoundFirst = 0;
  private readonly faults: Fault[] = [];
  private readonly requestWaiters: { route: string; resolve: () => void }[] = [];
  private readonly notFoundLeft = new Map<number, number>();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private readonly tapes = new Map<string, KlineTape>();
  private readonly streams = new WebSocketServer({ noServer: true });
  private readonly subscribed = new Map<WebSocket, Set<string>>();
  private readonly subscriptionWaiters: { stream: string; resolve: () => void }[] = [];
  /** While true, stream connections are refused (503): the exchange's stream side is down. */
  streamsRefused = false;
  /** SUBSCRIBE requests received, per stream name: what a test reads to see a client come back. */
  readonly subscriptions = new Map<string, number>();
  /** The user-data stream (watchOrders): reports of every order event, and its faults. */
  readonly userStream: FakeUserStream;
  private nextOrderId = 1000;
  private nextTradeId = 5000;
  port = 0;

  constructor(options: FakeBinanceOptions = {}) {
    this.apiKey = options.apiKey ?? 'test-key';
    this.secret = options.secret ?? 'test-secret';
    this.markets = options.markets ?? defaultMarkets;
    for (const [asset, free] of Object.entries(options.balances ?? { USDT: 100_000, BTC: 0 }))
      this.balances.set(asset, { free, locked: 0 });
    this.clockOffsetMs = options.clockOffsetMs ?? 0;
    this.listedAt = options.listedAt ?? Date.UTC(2020, 0, 1);
    this.lastPrice = options.lastPrice ?? { BTCUSDT: 30_000, ETHUSDT: 2_000 };
    for (const tape of options.tapes ?? []) this.tape(tape.symbol, tape.interval, tape.from, tape.bars);
    this.streams.on('connection', (socket) => this.onStream(socket));
    this.userStream = new FakeUserStream({
      apiKey: this.apiKey,
      secret: this.secret,
      now: () => this.now(),
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = createServer((request, response) => void this.handle(request, response));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('upgrade', (request, socket, head) => {
      if (FakeUserStream.serves(request.url ?? '')) return this.userStream.upgrade(request, socket, head);
      if (this.streamsRefused || !(request.url ?? '').startsWith('/ws')) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.streams.handleUpgrade(request, socket, head, (ws) => this.streams.emit('connection', ws, request));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const ws of this.subscribed.keys()) ws.terminate();
    this.streams.close();
    this.userStream.close();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Cuts every open connection (a network blip): the keep-alive pool starts over, streams too. */
  disconnectAll(except?: Socket): void {
    for (const ws of this.subscribed.keys()) ws.terminate();
    this.userStream.drop(this.userStream.refused);
    for (const socket of this.sockets) if (socket !== except) socket.destroy();
  }

  /** A market moved by hand: `bars` closed bars from `from` (epoch ms), then the forming one. */
  tape(symbol: string, interval: string, from: number, bars: number): KlineTape {
    const step = intervals[interval];
    if (step === undefined) throw new RangeError(`interval ${interval} is not served`);
    const tape = new KlineTape(symbol, interval, step, from, bars);
    this.tapes.set(`${symbol}|${interval}`, tape);
    return tape;
  }

  /**
   * Closes the tape's forming bar (one per entry of `bars`) and streams it as Binance does: the
   * final kline (`x: true`), then the next one opening (`x: false`). Bars pushed while the streams
   * are down are only in the REST klines — what a client must backfill.
   */
  push(symbol: string, interval: string, bars: TapePrices[] = [{}]): TapeBar[] {
    const tape = this.tapes.get(`${symbol}|${interval}`);
    if (tape === undefined) throw new RangeError(`no tape for ${symbol} ${interval}`);
    const closed: TapeBar[] = [];
    for (const prices of bars) {
      const step = tape.push(prices);
      closed.push(step.closed);
      this.broadcast(tape, step.closed, true);
      this.broadcast(tape, step.forming, false);
    }
    return closed;
  }

  /** Closes every stream connection; with `refuse`, new ones are refused until resumeStreams(). */
  dropStreams(refuse = false): void {
    this.streamsRefused = refuse;
    for (const ws of this.subscribed.keys()) ws.terminate();
  }

  resumeStreams(): void {
    this.streamsRefused = false;
  }

  /** Resolves at the next SUBSCRIBE to `stream` ("btcusdt@kline_1h"): a client is (back) on it. */
  nextSubscription(stream: string): Promise<void> {
    return new Promise((resolve) => this.subscriptionWaiters.push({ stream, resolve }));
  }

  private onStream(ws: WebSocket): void {
    this.subscribed.set(ws, new Set());
    ws.on('close', () => this.subscribed.delete(ws));
    ws.on('message', (data: Buffer) => {
      let message: { method?: string; params?: string[]; id?: number };
      try {
        message = JSON.parse(String(data)) as typeof message;
      } catch {
        return;
      }
      const streams = this.subscribed.get(ws);
      if (streams === undefined) return;
      if (message.method === 'SUBSCRIBE') {
        for (const stream of message.params ?? []) streams.add(stream);
        ws.send(JSON.stringify({ result: null, id: message.id }));
        for (const stream of message.params ?? []) {
          this.subscriptions.set(stream, (this.subscriptions.get(stream) ?? 0) + 1);
          for (let i = this.subscriptionWaiters.length - 1; i >= 0; i--) {
            const waiter = this.subscriptionWaiters[i]!;
            if (waiter.stream !== stream) continue;
            this.subscriptionWaiters.splice(i, 1);
            waiter.resolve();
          }
        }
      } else if (message.method === 'UNSUBSCRIBE') {
        for (const stream of message.params ?? []) streams.delete(stream);
        ws.send(JSON.stringify({ result: null, id: message.id }));
      }
    });
  }

  private broadcast(tape: KlineTape, bar: TapeBar, closed: boolean): void {
    const stream = `${tape.symbol.toLowerCase()}@kline_${tape.interval}`;
    const event = JSON.stringify({
      e: 'kline',
      E: this.now(),
      s: tape.symbol,
      k: {
        t: bar.time,
        T: bar.time + tape.step - 1,
        s: tape.symbol,
        i: tape.interval,
        f: 100,
        L: 200,
        o: String(bar.open),
        c: String(bar.close),
        h: String(bar.high),
        l: String(bar.low),
        v: String(bar.volume),
        n: 10,
        x: closed,
        q: '0',
        V: '0',
        Q: '0',
        B: '0',
      },
    });
    for (const [ws, streams] of this.subscribed) if (streams.has(stream)) ws.send(event);
  }

  /** The test-only control surface (see the header); answers JSON, never recorded as a request. */
  private control(path: string, body: string, socket: Socket): unknown {
    const input = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
    const text = (key: string, fallback?: string): string => {
      const value = input[key] ?? fallback;
      if (typeof value !== 'string') throw new HttpError(400, { msg: `${key} is required` });
      return value;
    };
    switch (path) {
      case '/__control/push': {
        const count = typeof input['count'] === 'number' ? input['count'] : 1;
        const bars = Array.isArray(input['bars'])
          ? (input['bars'] as TapePrices[])
          : Array.from({ length: count }, () => ({}));
        return { pushed: this.push(text('symbol'), text('interval'), bars) };
      }
      case '/__control/drop-streams':
        this.dropStreams(input['refuse'] === true);
        return { dropped: true, refused: this.streamsRefused };
      case '/__control/resume-streams':
        this.resumeStreams();
        return { refused: false };
      case '/__control/disconnect':
        // Every connection but the one this answer travels on.
        this.disconnectAll(socket);
        return { disconnected: true };
      case '/__control/external-order': {
        const order = this.placeExternal(
          text('symbol'),
          text('side') === 'SELL' ? 'SELL' : 'BUY',
          Number(input['quantity']),
          Number(input['price']),
        );
        return { orderId: order.orderId, clientOrderId: order.clientOrderId };
      }
    }
    throw new HttpError(404, { msg: `no control ${path}` });
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault, times: fault.times ?? 1 });
  }

  /**
   * Resolves when the next request matching `route` (a prefix of "METHOD /path") arrives, before it
   * is handled: a test acts while that request is in flight (with a `delay` fault, still unanswered).
   */
  nextRequest(route: string): Promise<void> {
    return new Promise((resolve) => this.requestWaiters.push({ route, resolve }));
  }

  /** Drops every fault not yet consumed. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  order(clientOrderId: string): FakeOrder | undefined {
    for (const order of this.orders.values()) if (order.clientOrderId === clientOrderId) return order;
    return undefined;
  }

  /** A resting limit order placed directly (bench and test setup: no HTTP). */
  placeOrder(
    symbol: string,
    side: 'BUY' | 'SELL',
    quantity: number,
    price: number,
    clientOrderId: string,
  ): FakeOrder {
    return this.place({ symbol, side, type: 'LIMIT', quantity, price, clientOrderId });
  }

  /** An order placed on the exchange by someone else (another app, the website). */
  placeExternal(symbol: string, side: 'BUY' | 'SELL', quantity: number, price: number): FakeOrder {
    return this.place({
      symbol,
      side,
      type: 'LIMIT',
      quantity,
      price,
      clientOrderId: `web_${this.nextOrderId}`,
    });
  }

  /** Trades `quantity` (default: all that remains) of a resting order at its price. */
  fill(orderId: number, quantity?: number): FakeTrade {
    const order = this.orders.get(orderId);
    if (order === undefined || (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED'))
      throw new Error(`order ${orderId} is not working`);
    const qty = Math.min(quantity ?? order.origQty - order.executedQty, order.origQty - order.executedQty);
    return this.execute(order, qty, order.price, true);
  }

  /** Forgets an order's trades while the order still reports them filled (a venue losing its trade log). */
  dropTrades(orderId: number): void {
    for (let i = this.trades.length - 1; i >= 0; i--)
      if (this.trades[i]!.orderId === orderId) this.trades.splice(i, 1);
  }

  /** Moves the market to `price`: resting limit orders it crosses fill in full. */
  trade(symbol: string, price: number): void {
    this.lastPrice[symbol] = price;
    for (const order of this.orders.values()) {
      if (order.symbol !== symbol || (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED'))
        continue;
      const crosses = order.side === 'BUY' ? price <= order.price : price >= order.price;
      if (crosses) this.execute(order, order.origQty - order.executedQty, order.price, true);
    }
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    let body = '';
    for await (const chunk of request) body += String(chunk);
    if (method === 'POST' && url.pathname.startsWith('/__control/')) {
      let status = 200;
      let answer: unknown;
      try {
        answer = this.control(url.pathname, body, request.socket);
      } catch (error) {
        status = error instanceof HttpError ? error.status : 400;
        answer = error instanceof HttpError ? error.body : { msg: String(error) };
      }
      response.writeHead(status, { 'Content-Type': 'application/json' });
      return void response.end(JSON.stringify(answer));
    }
    const params = method === 'POST' || method === 'PUT' ? new URLSearchParams(body) : url.searchParams;
    const route = `${method} ${url.pathname}`;
    this.requests.push({ route, params });
    for (let i = this.requestWaiters.length - 1; i >= 0; i--) {
      if (!route.startsWith(this.requestWaiters[i]!.route)) continue;
      this.requestWaiters.splice(i, 1)[0]!.resolve();
    }
    const fault = this.takeFault(route);
    if (fault?.kind === 'drop') return void request.socket.destroy();
    if (fault?.kind === 'hang') return;
    if (fault?.kind === '429' || fault?.kind === '418') {
      response.writeHead(Number(fault.kind), { 'Content-Type': 'application/json', 'Retry-After': '1' });
      return void response.end(
        JSON.stringify({
          code: -1003,
          msg: 'Too many requests; current limit is 1200 request weight per 1 MINUTE.',
        }),
      );
    }
    if (fault?.kind === '500') {
      response.writeHead(500, { 'Content-Type': 'application/json' });
      return void response.end(
        JSON.stringify({ code: -1000, msg: 'An unknown error occurred while processing the request.' }),
      );
    }
    if (fault?.kind === '503') {
      response.writeHead(503, { 'Content-Type': 'text/plain' });
      return void response.end('Service Unavailable');
    }
    let status = 200;
    let answer: unknown;
    try {
      answer = this.route(method, url.pathname, params, request, fault?.kind === 'duplicate');
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      status = error.status;
      answer = error.body;
    }
    if (fault?.kind === 'lost') return void request.socket.destroy();
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms ?? 100));
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(answer));
  }

  private takeFault(route: string): Fault | undefined {
    const index = this.faults.findIndex((fault) => route.startsWith(fault.route));
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(index, 1);
    return fault;
  }

  private route(
    method: string,
    path: string,
    params: URLSearchParams,
    request: IncomingMessage,
    duplicate: boolean,
  ): unknown {
    switch (`${method} ${path}`) {
      case 'GET /api/v3/ping':
        return {};
      case 'GET /api/v3/time':
        return { serverTime: this.now() };
      case 'GET /api/v3/exchangeInfo':
        return this.exchangeInfo();
      case 'GET /api/v3/klines':
        return this.klines(params);
    }
    this.authenticate(params, request);
    switch (`${method} ${path}`) {
      case 'GET /api/v3/account':
        return {
          makerCommission: 10,
          takerCommission: 10,
          canTrade: true,
          accountType: 'SPOT',
          updateTime: this.now(),
          balances: [...this.balances].map(([asset, b]) => ({
            asset,
            free: String(b.free),
            locked: String(b.locked),
          })),
          permissions: ['SPOT'],
        };
      case 'POST /api/v3/order':
        return this.newOrder(params);
      case 'GET /api/v3/order':
        return this.orderJson(this.find(params, 'query'));
      case 'DELETE /api/v3/order':
        return this.cancel(this.find(params, 'cancel'));
      case 'GET /api/v3/openOrders': {
        const symbol = params.get('symbol');
        const open = [...this.orders.values()].filter(
          (o) =>
            (symbol === null || o.symbol === symbol) &&
            (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED') &&
            !this.stillHidden(o),
        );
        const rows = open.map((o) => this.orderJson(o));
        return duplicate ? [...rows, ...rows] : rows;
      }
      case 'GET /api/v3/myTrades': {
        const symbol = this.symbolParam(params);
        const orderId = params.get('orderId');
        const from = Number(params.get('startTime') ?? 0);
        const fromId = Number(params.get('fromId') ?? 0);
        const limit = Math.min(Number(params.get('limit') ?? 500), 1000);
        const rows = this.trades
          .filter(
            (t) =>
              t.symbol === symbol &&
              (orderId === null || t.orderId === Number(orderId)) &&
              t.time >= from &&
              t.id >= fromId,
          )
          .slice(0, limit)
          .map((t) => this.tradeJson(t));
        return duplicate ? [...rows, ...rows] : rows;
      }
    }
    throw new HttpError(404, { code: -1, msg: `no route ${method} ${path}` });
  }

  private exchangeInfo(): unknown {
    return {
      timezone: 'UTC',
      serverTime: this.now(),
      rateLimits: [],
      exchangeFilters: [],
      symbols: Object.entries(this.markets).map(([symbol, m]) => ({
        symbol,
        status: 'TRADING',
        baseAsset: m.base,
        baseAssetPrecision: 8,
        quoteAsset: m.quote,
        quotePrecision: 8,
        quoteAssetPrecision: 8,
        orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
        icebergAllowed: true,
        ocoAllowed: true,
        isSpotTradingAllowed: true,
        isMarginTradingAllowed: false,
        filters: [
          { filterType: 'PRICE_FILTER', minPrice: m.tickSize, maxPrice: '1000000.00', tickSize: m.tickSize },
          { filterType: 'LOT_SIZE', minQty: m.minQty, maxQty: '9000.00000', stepSize: m.stepSize },
          {
            filterType: 'NOTIONAL',
            minNotional: m.minNotional,
            applyMinToMarket: true,
            maxNotional: '9000000.00',
          },
        ],
        permissions: [],
        permissionSets: [['SPOT']],
      })),
    };
  }

  private klines(params: URLSearchParams): unknown {
    const symbol = this.symbolParam(params);
    const interval = params.get('interval') ?? '';
    const step = intervals[interval];
    if (step === undefined) throw new HttpError(400, { code: -1120, msg: 'Invalid interval.' });
    const limit = Math.min(Number(params.get('limit') ?? 500), 1000);
    const tape = this.tapes.get(`${symbol}|${interval}`);
    if (tape !== undefined) {
      const from = params.get('startTime');
      const to = params.get('endTime');
      return tape
        .rows(from === null ? null : Number(from), to === null ? null : Number(to), limit)
        .map((bar) => [
          bar.time,
          String(bar.open),
          String(bar.high),
          String(bar.low),
          String(bar.close),
          String(bar.volume),
          bar.time + step - 1,
          '0',
          10,
          '0',
          '0',
          '0',
        ]);
    }
    const now = this.now();
    let start = Math.max(Number(params.get('startTime') ?? now - limit * step), this.listedAt);
    start = Math.ceil(start / step) * step;
    const end = Math.min(Number(params.get('endTime') ?? now), now);
    const rows: unknown[] = [];
    for (let t = start; t <= end && rows.length < limit; t += step) {
      const [o, h, l, c, v] = syntheticKline(t, step);
      rows.push([
        t,
        String(o),
        String(h),
        String(l),
        String(c),
        String(v),
        t + step - 1,
        '0',
        10,
        '0',
        '0',
        '0',
      ]);
    }
    return rows;
  }

  private symbolParam(params: URLSearchParams): string {
    const symbol = params.get('symbol') ?? '';
    if (this.markets[symbol] === undefined) throw new HttpError(400, { code: -1121, msg: 'Invalid symbol.' });
    return symbol;
  }

  /** Checks the key, the HMAC-SHA256 signature of the query and the timestamp as Binance does. */
  private authenticate(params: URLSearchParams, request: IncomingMessage): void {
    if (request.headers['x-mbx-apikey'] !== this.apiKey)
      throw new HttpError(401, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' });
    const raw = [...params].filter(([k]) => k !== 'signature');
    const query = new URLSearchParams(raw).toString();
    const expected = createHmac('sha256', this.secret).update(query).digest('hex');
    if (params.get('signature') !== expected)
      throw new HttpError(400, { code: -1022, msg: 'Signature for this request is not valid.' });
    const timestamp = Number(params.get('timestamp'));
    const window = Number(params.get('recvWindow') ?? 5000);
    if (Math.abs(this.now() - timestamp) > window)
      throw new HttpError(400, {
        code: -1021,
        msg: 'Timestamp for this request is outside of the recvWindow.',
      });
  }

  private newOrder(params: URLSearchParams): unknown {
    const symbol = this.symbolParam(params);
    const side = params.get('side') as 'BUY' | 'SELL';
    const type = params.get('type') as 'LIMIT' | 'MARKET';
    const quantity = Number(params.get('quantity'));
    const clientOrderId = params.get('newClientOrderId') ?? `x-auto-${this.nextOrderId}`;
    const duplicateId = [...this.orders.values()].some(
      (o) => o.clientOrderId === clientOrderId && (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED'),
    );
    if (duplicateId) throw new HttpError(400, { code: -2010, msg: 'Duplicate order sent.' });
    const price = type === 'MARKET' ? this.lastPrice[symbol]! : Number(params.get('price'));
    const market = this.markets[symbol]!;
    const needed = side === 'BUY' ? quantity * price : quantity;
    const asset = side === 'BUY' ? market.quote : market.base;
    const balance = this.balances.get(asset) ?? { free: 0, locked: 0 };
    if (balance.free < needed - 1e-9)
      throw new HttpError(400, {
        code: -2010,
        msg: 'Account has insufficient balance for requested action.',
      });
    const order = this.place({
      symbol,
      side,
      type,
      quantity,
      price,
      clientOrderId,
      timeInForce: params.get('timeInForce') ?? 'GTC',
    });
    return this.orderJson(order);
  }

  private place(request: {
    symbol: string;
    side: 'BUY' | 'SELL';
    type: 'LIMIT' | 'MARKET';
    quantity: number;
    price: number;
    clientOrderId: string;
    timeInForce?: string;
  }): FakeOrder {
    const market = this.markets[request.symbol]!;
    const now = this.now();
    const order: FakeOrder = {
      symbol: request.symbol,
      orderId: this.nextOrderId++,
      clientOrderId: request.clientOrderId,
      side: request.side,
      type: request.type,
      price: request.price,
      origQty: request.quantity,
      executedQty: 0,
      quote: 0,
      status: 'NEW',
      timeInForce: request.timeInForce ?? 'GTC',
      time: now,
      updateTime: now,
    };
    this.orders.set(order.orderId, order);
    if (this.notFoundFirst > 0) this.notFoundLeft.set(order.orderId, this.notFoundFirst);
    // Funds held by the order, released as it fills or on cancel.
    const asset = request.side === 'BUY' ? market.quote : market.base;
    const held = request.side === 'BUY' ? request.quantity * request.price : request.quantity;
    const balance = this.balances.get(asset) ?? { free: 0, locked: 0 };
    balance.free -= held;
    balance.locked += held;
    this.balances.set(asset, balance);
    this.userStream.placed(order);
    if (request.type === 'MARKET') this.execute(order, request.quantity, request.price, false);
    return order;
  }

  private execute(order: FakeOrder, qty: number, price: number, maker: boolean): FakeTrade {
    const market = this.markets[order.symbol]!;
    const base = this.balances.get(market.base) ?? { free: 0, locked: 0 };
    const quote = this.balances.get(market.quote) ?? { free: 0, locked: 0 };
    const commission = Math.round(qty * price * 0.001 * 1e8) / 1e8;
    if (order.side === 'BUY') {
      quote.locked -= qty * order.price;
      quote.free += qty * (order.price - price) - commission;
      base.free += qty;
    } else {
      base.locked -= qty;
      quote.free += qty * price - commission;
    }
    this.balances.set(market.base, base);
    this.balances.set(market.quote, quote);
    order.executedQty = round8(order.executedQty + qty);
    order.quote += qty * price;
    order.status = order.executedQty >= order.origQty - 1e-12 ? 'FILLED' : 'PARTIALLY_FILLED';
    order.updateTime = this.now();
    const trade: FakeTrade = {
      symbol: order.symbol,
      id: this.nextTradeId++,
      orderId: order.orderId,
      price,
      qty,
      commission,
      commissionAsset: market.quote,
      time: this.now(),
      isBuyer: order.side === 'BUY',
      isMaker: maker,
    };
    this.trades.push(trade);
    this.userStream.traded(order, trade);
    return trade;
  }

  private find(params: URLSearchParams, what: 'query' | 'cancel'): FakeOrder {
    const id = params.get('orderId');
    const client = params.get('origClientOrderId');
    const symbol = this.symbolParam(params);
    const order =
      id !== null
        ? this.orders.get(Number(id))
        : [...this.orders.values()].find((o) => o.clientOrderId === client && o.symbol === symbol);
    const hidden = order === undefined ? 0 : (this.notFoundLeft.get(order.orderId) ?? 0);
    if (order !== undefined && hidden > 0 && what === 'query')
      this.notFoundLeft.set(order.orderId, hidden - 1);
    if (order === undefined || (hidden > 0 && what === 'query')) {
      throw new HttpError(
        400,
        what === 'query'
          ? { code: -2013, msg: 'Order does not exist.' }
          : { code: -2011, msg: 'Unknown order sent.' },
      );
    }
    return order;
  }

  /** Whether a new order is still invisible to lookups (counts this look). */
  private stillHidden(order: FakeOrder): boolean {
    const left = this.notFoundLeft.get(order.orderId) ?? 0;
    if (left > 0) this.notFoundLeft.set(order.orderId, left - 1);
    return left > 0;
  }

  private cancel(order: FakeOrder): unknown {
    if (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED')
      throw new HttpError(400, { code: -2011, msg: 'Unknown order sent.' });
    const market = this.markets[order.symbol]!;
    const remaining = order.origQty - order.executedQty;
    const asset = order.side === 'BUY' ? market.quote : market.base;
    const held = order.side === 'BUY' ? remaining * order.price : remaining;
    const balance = this.balances.get(asset)!;
    balance.free += held;
    balance.locked -= held;
    order.status = 'CANCELED';
    order.updateTime = this.now();
    this.userStream.canceled(order);
    return this.orderJson(order);
  }

  private orderJson(o: FakeOrder): unknown {
    return {
      symbol: o.symbol,
      orderId: o.orderId,
      orderListId: -1,
      clientOrderId: o.clientOrderId,
      price: o.type === 'MARKET' ? '0.00000000' : String(o.price),
      origQty: String(o.origQty),
      executedQty: String(o.executedQty),
      cummulativeQuoteQty: String(o.quote),
      status: o.status,
      timeInForce: o.timeInForce,
      type: o.type,
      side: o.side,
      stopPrice: '0.00000000',
      icebergQty: '0.00000000',
      time: o.time,
      updateTime: o.updateTime,
      isWorking: true,
      workingTime: o.time,
      origQuoteOrderQty: '0.00000000',
      selfTradePreventionMode: 'EXPIRE_MAKER',
      transactTime: o.updateTime,
    };
  }

  private tradeJson(t: FakeTrade): unknown {
    return {
      symbol: t.symbol,
      id: t.id,
      orderId: t.orderId,
      orderListId: -1,
      price: String(t.price),
      qty: String(t.qty),
      quoteQty: String(t.qty * t.price),
      commission: String(t.commission),
      commissionAsset: t.commissionAsset,
      time: t.time,
      isBuyer: t.isBuyer,
      isMaker: t.isMaker,
      isBestMatch: true,
    };
  }
}

function round8(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}
