// The loopback Binance's user-data stream, spoken as ccxt 4.5's `binance` pro class uses it for spot
// `watchOrders` (node_modules/ccxt/js/src/pro/binance.js): no listenKey, but the WebSocket API. The
// client opens `urls.api.ws['ws-api'].spot` (wss://ws-api.binance.com:443/ws-api/v3, which the
// `--api-url` rewrite makes ws://127.0.0.1:PORT/ws-api/v3), sends
//   {"id":"1","method":"userDataStream.subscribe.signature","params":{apiKey,timestamp,signature}}
// (HMAC-SHA256 over the params sorted by key, as `signParams` signs them), gets
//   {"id":"1","status":200,"result":{"subscriptionId":0},"rateLimits":[…]}
// and then every account event wrapped as {"subscriptionId":0,"event":{"e":"executionReport",…}}.
// The reports follow Binance's spot executionReport field for field: NEW when an order is placed,
// TRADE (PARTIALLY_FILLED or FILLED) per trade with its trade id, price, quantity and commission,
// CANCELED with the cancel's own client id in `c` and the order's in `C`.
// Faults a test can set: drop every user stream (and refuse new ones), mute the stream (subscribed,
// yet nothing arrives: a stream that silently stopped), and send reports twice.
import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeOrder, FakeTrade } from './fake-binance.ts';

/** What the user stream needs of an order and of a trade: FakeBinance's own records. */
export type ReportedOrder = Omit<FakeOrder, 'updateTime'>;
export type ReportedTrade = Omit<FakeTrade, 'symbol' | 'orderId' | 'isBuyer'>;

/** Binance's spot executionReport (https://developers.binance.com/docs/binance-spot-api-docs/user-data-stream). */
export interface ExecutionReport {
  e: 'executionReport';
  E: number;
  s: string;
  c: string;
  S: 'BUY' | 'SELL';
  o: string;
  f: string;
  q: string;
  p: string;
  P: string;
  F: string;
  g: number;
  C: string;
  x: 'NEW' | 'TRADE' | 'CANCELED';
  X: string;
  r: string;
  i: number;
  l: string;
  z: string;
  L: string;
  n: string;
  N: string | null;
  T: number;
  t: number;
  v?: number;
  I: number;
  w: boolean;
  m: boolean;
  M: boolean;
  O: number;
  Z: string;
  Y: string;
  Q: string;
  W: number;
  V: string;
}

export interface UserStreamAuth {
  apiKey: string;
  secret: string;
  /** The venue clock (timestamps are checked against it, as on the REST side). */
  now: () => number;
}

const decimals = (value: number): string => value.toFixed(8);

export class FakeUserStream {
  /** Every report sent (or withheld while muted), in order: what a test resends or inspects. */
  readonly reports: ExecutionReport[] = [];
  /** Successful `userDataStream.subscribe.signature` requests so far. */
  subscriptions = 0;
  /** While true, upgrades to the WebSocket API are refused (503): the user stream is down. */
  refused = false;
  /** While true, subscriptions are confirmed but no event is sent: a stream that went silent. */
  muted = false;
  /** The next this many reports are each sent twice (a redelivery). */
  duplicateNext = 0;
  private readonly server = new WebSocketServer({ noServer: true });
  /** Open sockets and their subscription id, once subscribed. */
  private readonly sockets = new Map<WebSocket, number | undefined>();
  private readonly waiters: (() => void)[] = [];
  private readonly refusalWaiters: (() => void)[] = [];
  private nextSubscriptionId = 0;
  private nextExecutionId = 1;
  private cancels = 0;
  private readonly auth: UserStreamAuth;

  constructor(auth: UserStreamAuth) {
    this.auth = auth;
    this.server.on('connection', (ws: WebSocket) => this.onConnection(ws));
  }

  /** Whether an upgrade to `path` is this stream's (ws-api), whatever the refusal state. */
  static serves(path: string): boolean {
    return path.startsWith('/ws-api/');
  }

  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.refused) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
      for (const resolve of this.refusalWaiters.splice(0)) resolve();
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => this.server.emit('connection', ws, request));
  }

  /** Closes every user-stream connection; with `refuse`, new ones are refused until resume(). */
  drop(refuse = false): void {
    this.refused = refuse;
    for (const ws of this.sockets.keys()) ws.terminate();
  }

  resume(): void {
    this.refused = false;
  }

  /** Resolves at the next successful subscription: a client is (back) on the stream. */
  nextSubscription(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Resolves at the next connection refused while the stream is down: a client tried to come back. */
  nextRefusal(): Promise<void> {
    return new Promise((resolve) => this.refusalWaiters.push(resolve));
  }

  close(): void {
    for (const ws of this.sockets.keys()) ws.terminate();
    this.server.close();
  }

  /** The report of an order placed (x NEW). */
  placed(order: ReportedOrder): void {
    this.send(this.report(order, 'NEW'));
  }

  /** The report of one trade of an order (x TRADE), after the order was updated by it. */
  traded(order: ReportedOrder, trade: ReportedTrade): void {
    this.send({
      ...this.report(order, 'TRADE'),
      l: decimals(trade.qty),
      L: decimals(trade.price),
      n: decimals(trade.commission),
      N: trade.commissionAsset,
      T: trade.time,
      t: trade.id,
      m: trade.isMaker,
      Y: decimals(trade.qty * trade.price),
    });
  }

  /** The report of a cancel: `c` is the cancel request's client id, `C` the order's own. */
  canceled(order: ReportedOrder): void {
    this.send({
      ...this.report(order, 'CANCELED'),
      c: `web_cancel_${++this.cancels}`,
      C: order.clientOrderId,
    });
  }

  /** Sends a report again, as it was (a redelivery the client must not count twice). */
  resend(report: ExecutionReport): void {
    this.deliver(report);
  }

  private report(order: ReportedOrder, execution: ExecutionReport['x']): ExecutionReport {
    const now = this.auth.now();
    const working = order.status === 'NEW' || order.status === 'PARTIALLY_FILLED';
    return {
      e: 'executionReport',
      E: now,
      s: order.symbol,
      c: order.clientOrderId,
      S: order.side,
      o: order.type,
      f: order.type === 'MARKET' ? 'GTC' : order.timeInForce,
      q: decimals(order.origQty),
      p: decimals(order.type === 'MARKET' ? 0 : order.price),
      P: decimals(0),
      F: decimals(0),
      g: -1,
      C: '',
      x: execution,
      X: order.status,
      r: 'NONE',
      i: order.orderId,
      l: decimals(0),
      z: decimals(order.executedQty),
      L: decimals(0),
      n: '0',
      N: null,
      T: now,
      t: -1,
      I: this.nextExecutionId++,
      w: working && order.type === 'LIMIT',
      m: false,
      M: false,
      O: order.time,
      Z: decimals(order.quote),
      Y: decimals(0),
      Q: decimals(0),
      W: order.time,
      V: 'EXPIRE_MAKER',
    };
  }

  private send(report: ExecutionReport): void {
    this.reports.push(report);
    this.deliver(report);
    if (this.duplicateNext > 0) {
      this.duplicateNext--;
      this.deliver(report);
    }
  }

  private deliver(report: ExecutionReport): void {
    if (this.muted) return;
    for (const [ws, subscriptionId] of this.sockets) {
      if (subscriptionId === undefined) continue;
      ws.send(JSON.stringify({ subscriptionId, event: report }));
    }
  }

  private onConnection(ws: WebSocket): void {
    this.sockets.set(ws, undefined);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data: Buffer) => {
      let request: { id?: unknown; method?: unknown; params?: Record<string, unknown> };
      try {
        request = JSON.parse(String(data)) as typeof request;
      } catch {
        return;
      }
      const id = request.id ?? null;
      const answer = (body: Record<string, unknown>) => ws.send(JSON.stringify({ id, ...body }));
      if (request.method !== 'userDataStream.subscribe.signature') {
        // The real WebSocket API has more methods; this fake serves the one ccxt's watchOrders uses.
        answer({ status: 400, error: { code: -1100, msg: `Unknown method: ${String(request.method)}` } });
        return;
      }
      const refusal = this.check(request.params ?? {});
      if (refusal !== undefined) {
        answer({ status: 400, error: refusal });
        return;
      }
      const subscriptionId = this.nextSubscriptionId++;
      this.sockets.set(ws, subscriptionId);
      this.subscriptions++;
      answer({
        status: 200,
        result: { subscriptionId },
        rateLimits: [
          { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000, count: 2 },
        ],
      });
      for (const resolve of this.waiters.splice(0)) resolve();
    });
  }

  /** Binance's checks of a signed WebSocket API request: key, HMAC over the sorted params, timestamp. */
  private check(params: Record<string, unknown>): { code: number; msg: string } | undefined {
    if (params['apiKey'] !== this.auth.apiKey)
      return { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' };
    const payload = Object.keys(params)
      .filter((key) => key !== 'signature')
      .sort()
      .map((key) => `${key}=${String(params[key])}`)
      .join('&');
    const expected = createHmac('sha256', this.auth.secret).update(payload).digest('hex');
    if (params['signature'] !== expected)
      return { code: -1022, msg: 'Signature for this request is not valid.' };
    const window = Number(params['recvWindow'] ?? 5000);
    if (Math.abs(this.auth.now() - Number(params['timestamp'])) > window)
      return { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' };
    return undefined;
  }
}
