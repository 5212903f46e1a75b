// An OKX spot exchange (REST API v5) on loopback: a real HTTP server answering the paths and shapes
// ccxt's `okx` class calls (node_modules/ccxt/js/src/okx.js) — the second exchange that shows
// CcxtVenue and the download are not Binance-shaped (docs/ccxt.md). What it models, as OKX documents
// it (https://www.okx.com/docs-v5/en/):
//  - every answer is `{ code, msg, data: [...] }`, numbers as strings, code "0" on success; business
//    errors come back with HTTP 200 and their own code (51008 insufficient balance, 51603 order does
//    not exist), batch answers carry a per-item `sCode`/`sMsg`;
//  - instruments with `tickSz`, `lotSz`, `minSz` (ccxt reads precision and limits there);
//  - candles newest first, `after` (older than) and `before` (newer than) in ms, at most 300 a
//    request; /market/candles holds only the latest 1,440 bars, older ones are /market/history-candles;
//  - signed calls: OK-ACCESS-KEY, OK-ACCESS-PASSPHRASE, OK-ACCESS-TIMESTAMP (ISO, within 30 s of the
//    venue clock) and OK-ACCESS-SIGN = base64 HMAC-SHA256 of timestamp + method + path?query + body;
//  - `clOrdId` of at most 32 letters and digits (51000 otherwise), unique among live orders (51016);
//  - orders placed through /trade/batch-orders (ccxt's default), which answer only ids; a cancel
//    answers only ids too; fills listed newest first, 100 at most, at /trade/fills-history;
//  - fees charged in the currency received (a buy pays in the base asset), negative in the answer;
//  - faults, each consumed by the next matching request: `lost` (handled, then the socket closed),
//    `drop` (closed before it is handled), `429` (code 50011).
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { syntheticKline } from './fake-binance.ts';

export interface OkxInstrument {
  baseCcy: string;
  quoteCcy: string;
  tickSz: string;
  lotSz: string;
  minSz: string;
}

export const defaultOkxInstruments: Record<string, OkxInstrument> = {
  'BTC-USDT': { baseCcy: 'BTC', quoteCcy: 'USDT', tickSz: '0.1', lotSz: '0.00000001', minSz: '0.00001' },
  'ETH-USDT': { baseCcy: 'ETH', quoteCcy: 'USDT', tickSz: '0.01', lotSz: '0.000001', minSz: '0.001' },
};

export type OkxFaultKind = 'lost' | 'drop' | '429';

export interface OkxFault {
  kind: OkxFaultKind;
  /** A prefix of "METHOD /api/v5/path". */
  route: string;
}

export interface OkxOrder {
  instId: string;
  ordId: string;
  clOrdId: string;
  side: 'buy' | 'sell';
  ordType: 'limit' | 'market';
  px: number;
  sz: number;
  accFillSz: number;
  /** Quote traded so far (for avgPx). */
  quote: number;
  /** Negative: charged. */
  fee: number;
  feeCcy: string;
  state: 'live' | 'partially_filled' | 'filled' | 'canceled';
  cTime: number;
  uTime: number;
  fillTime: number | undefined;
  fillPx: number | undefined;
  fillSz: number | undefined;
  tradeId: string;
}

export interface OkxFill {
  instId: string;
  tradeId: string;
  billId: string;
  ordId: string;
  clOrdId: string;
  side: 'buy' | 'sell';
  fillPx: number;
  fillSz: number;
  fee: number;
  feeCcy: string;
  execType: 'M' | 'T';
  ts: number;
}

export interface FakeOkxOptions {
  apiKey?: string;
  secret?: string;
  passphrase?: string;
  instruments?: Record<string, OkxInstrument>;
  balances?: Record<string, number>;
  /** Venue clock minus ours. */
  clockOffsetMs?: number;
  /** Epoch ms of the first candle. */
  listedAt?: number;
  /** Price market orders fill at, per instId. */
  lastPrice?: Record<string, number>;
}

const bars: Record<string, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1H': 3_600_000,
  '4H': 14_400_000,
  '1Dutc': 86_400_000,
};

/** OKX takes the fee rate as 0.1% of what is received. */
const feeRate = 0.001;

class OkxError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, code: string, msg: string, data: unknown[] = []) {
    super(msg);
    this.status = status;
    this.body = { code, data, msg };
  }
}

export class FakeOkx {
  readonly apiKey: string;
  readonly secret: string;
  readonly passphrase: string;
  readonly instruments: Record<string, OkxInstrument>;
  readonly balances = new Map<string, { avail: number; frozen: number }>();
  readonly orders = new Map<string, OkxOrder>();
  readonly fills: OkxFill[] = [];
  readonly lastPrice: Record<string, number>;
  /** Every request handled or faulted: "METHOD /path", its query and body (what ccxt sent). */
  readonly requests: { route: string; query: URLSearchParams; body: string }[] = [];
  clockOffsetMs: number;
  listedAt: number;
  port = 0;
  private readonly faults: OkxFault[] = [];
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private nextOrdId = 700_000_000_000_000_000n;
  private nextTradeId = 120_000_000;
  private nextBillId = 900_000_000_000_000_000n;

  constructor(options: FakeOkxOptions = {}) {
    this.apiKey = options.apiKey ?? 'okx-key';
    this.secret = options.secret ?? 'okx-secret';
    this.passphrase = options.passphrase ?? 'okx-passphrase';
    this.instruments = options.instruments ?? defaultOkxInstruments;
    for (const [ccy, avail] of Object.entries(options.balances ?? { USDT: 100_000 }))
      this.balances.set(ccy, { avail, frozen: 0 });
    this.clockOffsetMs = options.clockOffsetMs ?? 0;
    this.listedAt = options.listedAt ?? Date.UTC(2020, 0, 1);
    this.lastPrice = options.lastPrice ?? { 'BTC-USDT': 30_000, 'ETH-USDT': 2_000 };
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
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  inject(fault: OkxFault): void {
    this.faults.push(fault);
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** The order whose clOrdId is `clOrdId` (as the exchange stores it). */
  order(clOrdId: string): OkxOrder | undefined {
    for (const order of this.orders.values()) if (order.clOrdId === clOrdId) return order;
    return undefined;
  }

  /**
   * Trades `sz` of a working order at its price (a partial fill), stamped `at` (venue ms; default
   * now) — distinct stamps let a test fill one order in many trades that page by time.
   */
  fill(ordId: string, sz: number, at?: number): void {
    const order = this.orders.get(ordId);
    if (order === undefined || !working(order)) throw new Error(`order ${ordId} is not working`);
    this.execute(order, Math.min(sz, round8(order.sz - order.accFillSz)), order.px, 'M', at);
  }

  /** Moves the market to `price`: resting limit orders it crosses fill in full at their price. */
  trade(instId: string, price: number): void {
    this.lastPrice[instId] = price;
    for (const order of this.orders.values()) {
      if (order.instId !== instId || !working(order)) continue;
      const crosses = order.side === 'buy' ? price <= order.px : price >= order.px;
      if (crosses) this.execute(order, order.sz - order.accFillSz, order.px, 'M');
    }
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    let body = '';
    for await (const chunk of request) body += String(chunk);
    const route = `${method} ${url.pathname}`;
    this.requests.push({ route, query: url.searchParams, body });
    const index = this.faults.findIndex((f) => route.startsWith(f.route));
    const fault = index < 0 ? undefined : this.faults.splice(index, 1)[0];
    if (fault?.kind === 'drop') return void request.socket.destroy();
    if (fault?.kind === '429') {
      response.writeHead(429, { 'Content-Type': 'application/json' });
      return void response.end(JSON.stringify({ code: '50011', data: [], msg: 'Too Many Requests' }));
    }
    let status = 200;
    let answer: unknown;
    try {
      answer = { code: '0', msg: '', data: this.route(method, url, body, request) };
    } catch (error) {
      if (!(error instanceof OkxError)) throw error;
      status = error.status;
      answer = error.body;
    }
    if (fault?.kind === 'lost') return void request.socket.destroy();
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(answer));
  }

  private route(method: string, url: URL, body: string, request: IncomingMessage): unknown[] {
    const query = url.searchParams;
    const path = url.pathname;
    switch (`${method} ${path}`) {
      case 'GET /api/v5/public/time':
        return [{ ts: String(this.now()) }];
      case 'GET /api/v5/public/instruments':
        return query.get('instType') === 'SPOT' ? this.instrumentRows() : [];
      case 'GET /api/v5/market/candles':
        return this.candles(query, true);
      case 'GET /api/v5/market/history-candles':
        return this.candles(query, false);
    }
    this.authenticate(method, request.url ?? path, body, request);
    switch (`${method} ${path}`) {
      case 'GET /api/v5/asset/currencies':
        return this.currencies();
      case 'GET /api/v5/account/balance':
        return [this.balance()];
      case 'POST /api/v5/trade/batch-orders':
        return this.batchOrders(JSON.parse(body) as Record<string, string>[]);
      case 'POST /api/v5/trade/order': {
        const [result] = this.batchOrders([JSON.parse(body) as Record<string, string>]);
        return [result];
      }
      case 'GET /api/v5/trade/order':
        return [this.orderJson(this.find(query.get('instId'), query.get('ordId'), query.get('clOrdId')))];
      case 'POST /api/v5/trade/cancel-order':
        return [this.cancel(JSON.parse(body) as Record<string, string>)];
      case 'GET /api/v5/trade/orders-pending': {
        const instId = query.get('instId');
        return [...this.orders.values()]
          .filter((o) => working(o) && (instId === null || o.instId === instId))
          .sort((a, b) => b.cTime - a.cTime)
          .slice(0, Math.min(Number(query.get('limit') ?? 100), 100))
          .map((o) => this.orderJson(o));
      }
      case 'GET /api/v5/trade/fills':
      case 'GET /api/v5/trade/fills-history':
        return this.fillRows(query);
    }
    throw new OkxError(404, '50000', `no route ${method} ${path}`);
  }

  /** Checks key, passphrase, timestamp and signature in the order OKX reports them. */
  private authenticate(method: string, pathAndQuery: string, body: string, request: IncomingMessage): void {
    const key = request.headers['ok-access-key'];
    const sign = request.headers['ok-access-sign'];
    const timestamp = request.headers['ok-access-timestamp'];
    const passphrase = request.headers['ok-access-passphrase'];
    if (typeof key !== 'string' || key === '')
      throw new OkxError(401, '50103', 'Request header "OK-ACCESS-KEY" cannot be empty.');
    if (key !== this.apiKey) throw new OkxError(401, '50111', 'Invalid OK-ACCESS-KEY.');
    if (passphrase !== this.passphrase)
      throw new OkxError(401, '50105', 'Request header "OK-ACCESS-PASSPHRASE" incorrect.');
    if (typeof timestamp !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(timestamp))
      throw new OkxError(401, '50112', 'Invalid OK-ACCESS-TIMESTAMP.');
    if (Math.abs(this.now() - Date.parse(timestamp)) > 30_000)
      throw new OkxError(401, '50102', 'Timestamp request expired.');
    const expected = createHmac('sha256', this.secret)
      .update(timestamp + method + pathAndQuery + body)
      .digest('base64');
    if (sign !== expected) throw new OkxError(401, '50113', 'Invalid Sign.');
  }

  private instrumentRows(): unknown[] {
    return Object.entries(this.instruments).map(([instId, i]) => ({
      alias: '',
      auctionEndTime: '',
      baseCcy: i.baseCcy,
      category: '1',
      ctMult: '',
      ctType: '',
      ctVal: '',
      ctValCcy: '',
      expTime: '',
      instFamily: '',
      instId,
      instType: 'SPOT',
      lever: '10',
      listTime: String(this.listedAt),
      lotSz: i.lotSz,
      maxIcebergSz: '9999999999.0000000000000000',
      maxLmtAmt: '20000000',
      maxLmtSz: '9999999999',
      maxMktAmt: '1000000',
      maxMktSz: '1000000',
      maxStopSz: '1000000',
      maxTriggerSz: '9999999999',
      maxTwapSz: '9999999999.0000000000000000',
      minSz: i.minSz,
      optType: '',
      quoteCcy: i.quoteCcy,
      ruleType: 'normal',
      settleCcy: '',
      state: 'live',
      stk: '',
      tickSz: i.tickSz,
      uly: '',
    }));
  }

  /**
   * Newest first: bars opening before `after` and after `before`, at most `limit` (≤ 300) counted
   * from the newest end — so a span wider than one page answers its last bars, not its first.
   */
  private candles(query: URLSearchParams, recentOnly: boolean): unknown[] {
    const instId = query.get('instId') ?? '';
    if (this.instruments[instId] === undefined)
      throw new OkxError(200, '51001', "Instrument ID doesn't exist.");
    const step = bars[query.get('bar') ?? '1m'];
    if (step === undefined) throw new OkxError(200, '51000', 'Parameter bar error');
    const limit = Math.min(Number(query.get('limit') ?? 100), 300);
    const now = this.now();
    const lastOpen = Math.floor(now / step) * step;
    const after = query.get('after');
    const before = query.get('before');
    let t = Math.min(lastOpen, after === null ? lastOpen : Math.ceil(Number(after) / step) * step - step);
    const floor = Math.max(this.listedAt, recentOnly ? lastOpen - 1439 * step : 0);
    const rows: unknown[] = [];
    for (; t >= floor && rows.length < limit; t -= step) {
      if (before !== null && t <= Number(before)) break;
      const [o, h, l, c, v] = syntheticKline(t, step);
      rows.push([t, o, h, l, c, v, v * c, v * c, t + step <= now ? '1' : '0'].map(String));
    }
    return rows;
  }

  private currencies(): unknown[] {
    const codes = new Set(Object.values(this.instruments).flatMap((i) => [i.baseCcy, i.quoteCcy]));
    return [...codes].map((ccy) => ({
      canDep: true,
      canInternal: true,
      canWd: true,
      ccy,
      chain: `${ccy}-ERC20`,
      logoLink: '',
      mainNet: false,
      maxFee: '1',
      maxWd: '1000000',
      minDep: '0.0001',
      minFee: '0.1',
      minWd: '0.001',
      name: ccy,
      wdTickSz: '8',
    }));
  }

  private balance(): unknown {
    const uTime = String(this.now());
    return {
      adjEq: '',
      details: [...this.balances].map(([ccy, b]) => ({
        availBal: String(b.avail),
        availEq: String(b.avail),
        cashBal: String(b.avail + b.frozen),
        ccy,
        crossLiab: '',
        disEq: '',
        eq: String(b.avail + b.frozen),
        eqUsd: '',
        fixedBal: '0',
        frozenBal: String(b.frozen),
        interest: '',
        isoEq: '0',
        isoLiab: '',
        liab: '',
        maxLoan: '',
        mgnRatio: '',
        notionalLever: '0',
        ordFrozen: String(b.frozen),
        twap: '0',
        uTime,
        upl: '0',
      })),
      imr: '',
      isoEq: '0',
      mgnRatio: '',
      mmr: '',
      notionalUsd: '',
      ordFroz: '',
      totalEq: '',
      uTime,
    };
  }

  /** Each item placed or refused on its own; code "1" when all failed, "2" when some did. */
  private batchOrders(items: Record<string, string>[]): unknown[] {
    const results = items.map((item) => {
      try {
        const order = this.place(item);
        return {
          clOrdId: order.clOrdId,
          ordId: order.ordId,
          sCode: '0',
          sMsg: 'Order placed',
          tag: '',
          ts: String(this.now()),
        };
      } catch (error) {
        if (!(error instanceof OkxError)) throw error;
        const { code, msg } = error.body as { code: string; msg: string };
        return {
          clOrdId: item['clOrdId'] ?? '',
          ordId: '',
          sCode: code,
          sMsg: msg,
          tag: '',
          ts: String(this.now()),
        };
      }
    });
    const failed = results.filter((r) => r.sCode !== '0').length;
    if (failed === results.length) throw new OkxError(200, '1', 'All operations failed', results);
    if (failed > 0) throw new OkxError(200, '2', 'Bulk operation partially succeeded', results);
    return results;
  }

  private place(item: Record<string, string>): OkxOrder {
    const instId = item['instId'] ?? '';
    const instrument = this.instruments[instId];
    if (instrument === undefined) throw new OkxError(200, '51001', "Instrument ID doesn't exist.");
    if (item['tdMode'] !== 'cash') throw new OkxError(200, '51000', 'Parameter tdMode error');
    const clOrdId = item['clOrdId'] ?? '';
    if (!/^[A-Za-z0-9]{1,32}$/.test(clOrdId)) throw new OkxError(200, '51000', 'Parameter clOrdId error');
    if ([...this.orders.values()].some((o) => o.clOrdId === clOrdId && working(o)))
      throw new OkxError(200, '51016', 'Duplicated clOrdId');
    const side = item['side'] as 'buy' | 'sell';
    const ordType = item['ordType'] as 'limit' | 'market';
    const sz = Number(item['sz']);
    if (!onGrid(sz, instrument.lotSz) || sz < Number(instrument.minSz))
      throw new OkxError(200, '51000', 'Parameter sz error');
    const px = ordType === 'market' ? this.lastPrice[instId]! : Number(item['px']);
    if (ordType === 'limit' && !onGrid(px, instrument.tickSz))
      throw new OkxError(200, '51000', 'Parameter px error');
    const spend = side === 'buy' ? instrument.quoteCcy : instrument.baseCcy;
    const held = side === 'buy' ? sz * px : sz;
    const balance = this.balances.get(spend) ?? { avail: 0, frozen: 0 };
    if (balance.avail < held - 1e-9)
      throw new OkxError(200, '51008', `Order failed. Insufficient ${spend} balance in account.`);
    balance.avail -= held;
    balance.frozen += held;
    this.balances.set(spend, balance);
    const now = this.now();
    const order: OkxOrder = {
      instId,
      ordId: String(this.nextOrdId++),
      clOrdId,
      side,
      ordType,
      px,
      sz,
      accFillSz: 0,
      quote: 0,
      fee: 0,
      feeCcy: side === 'buy' ? instrument.baseCcy : instrument.quoteCcy,
      state: 'live',
      cTime: now,
      uTime: now,
      fillTime: undefined,
      fillPx: undefined,
      fillSz: undefined,
      tradeId: '',
    };
    this.orders.set(order.ordId, order);
    if (ordType === 'market') this.execute(order, sz, px, 'T');
    return order;
  }

  private execute(order: OkxOrder, sz: number, px: number, execType: 'M' | 'T', at?: number): void {
    const instrument = this.instruments[order.instId]!;
    const base = this.balances.get(instrument.baseCcy) ?? { avail: 0, frozen: 0 };
    const quote = this.balances.get(instrument.quoteCcy) ?? { avail: 0, frozen: 0 };
    let fee: number;
    if (order.side === 'buy') {
      fee = round8(sz * feeRate);
      quote.frozen -= sz * order.px;
      quote.avail += sz * (order.px - px);
      base.avail += sz - fee;
    } else {
      fee = round8(sz * px * feeRate);
      base.frozen -= sz;
      quote.avail += sz * px - fee;
    }
    this.balances.set(instrument.baseCcy, base);
    this.balances.set(instrument.quoteCcy, quote);
    const now = at ?? this.now();
    order.accFillSz = round8(order.accFillSz + sz);
    order.quote += sz * px;
    order.fee = round8(order.fee - fee);
    order.state = order.accFillSz >= order.sz - 1e-12 ? 'filled' : 'partially_filled';
    order.uTime = now;
    order.fillTime = now;
    order.fillPx = px;
    order.fillSz = sz;
    order.tradeId = String(this.nextTradeId++);
    this.fills.push({
      instId: order.instId,
      tradeId: order.tradeId,
      billId: String(this.nextBillId++),
      ordId: order.ordId,
      clOrdId: order.clOrdId,
      side: order.side,
      fillPx: px,
      fillSz: sz,
      fee: -fee,
      feeCcy: order.feeCcy,
      execType,
      ts: now,
    });
  }

  private find(instId: string | null, ordId: string | null, clOrdId: string | null): OkxOrder {
    if (instId === null || this.instruments[instId] === undefined)
      throw new OkxError(200, '51001', "Instrument ID doesn't exist.");
    if (ordId === null && clOrdId === null)
      throw new OkxError(200, '50014', 'Parameter ordId or clOrdId can not be empty.');
    const order =
      ordId !== null
        ? this.orders.get(ordId)
        : [...this.orders.values()].find((o) => o.clOrdId === clOrdId && o.instId === instId);
    if (order === undefined || order.instId !== instId)
      throw new OkxError(200, '51603', 'Order does not exist');
    return order;
  }

  /** Acknowledges only, as OKX does: the order's state is read with GET /trade/order. */
  private cancel(item: Record<string, string>): unknown {
    let order: OkxOrder;
    try {
      order = this.find(item['instId'] ?? null, item['ordId'] ?? null, item['clOrdId'] ?? null);
    } catch (error) {
      if (!(error instanceof OkxError)) throw error;
      throw new OkxError(200, '1', 'Operation failed.', [
        {
          clOrdId: item['clOrdId'] ?? '',
          ordId: item['ordId'] ?? '',
          sCode: '51400',
          sMsg: 'Order cancellation failed as the order has been filled, canceled or does not exist.',
          ts: String(this.now()),
        },
      ]);
    }
    if (!working(order))
      throw new OkxError(200, '1', 'Operation failed.', [
        {
          clOrdId: order.clOrdId,
          ordId: order.ordId,
          sCode: '51400',
          sMsg: 'Order cancellation failed as the order has been filled, canceled or does not exist.',
          ts: String(this.now()),
        },
      ]);
    const instrument = this.instruments[order.instId]!;
    const remaining = order.sz - order.accFillSz;
    const asset = order.side === 'buy' ? instrument.quoteCcy : instrument.baseCcy;
    const held = order.side === 'buy' ? remaining * order.px : remaining;
    const balance = this.balances.get(asset)!;
    balance.avail += held;
    balance.frozen -= held;
    order.state = 'canceled';
    order.uTime = this.now();
    return { clOrdId: order.clOrdId, ordId: order.ordId, sCode: '0', sMsg: '', ts: String(this.now()) };
  }

  /** Newest first, 100 at most; `begin`/`end` bound `ts`, `ordId` picks one order's fills. */
  private fillRows(query: URLSearchParams): unknown[] {
    if (query.get('instType') === null)
      throw new OkxError(200, '50014', 'Parameter instType can not be empty.');
    const instId = query.get('instId');
    const ordId = query.get('ordId');
    const begin = Number(query.get('begin') ?? 0);
    const end = Number(query.get('end') ?? Number.MAX_SAFE_INTEGER);
    const limit = Math.min(Number(query.get('limit') ?? 100), 100);
    return this.fills
      .filter(
        (f) =>
          (instId === null || f.instId === instId) &&
          (ordId === null || f.ordId === ordId) &&
          f.ts >= begin &&
          f.ts <= end,
      )
      .reverse()
      .slice(0, limit)
      .map((f) => ({
        instType: 'SPOT',
        instId: f.instId,
        tradeId: f.tradeId,
        ordId: f.ordId,
        clOrdId: f.clOrdId,
        billId: f.billId,
        subType: f.side === 'buy' ? '1' : '2',
        tag: '',
        fillPx: String(f.fillPx),
        fillSz: String(f.fillSz),
        fillIdxPx: '',
        fillPnl: '0',
        fillPxVol: '',
        fillPxUsd: '',
        fillMarkVol: '',
        fillFwdPx: '',
        fillMarkPx: '',
        side: f.side,
        posSide: 'net',
        execType: f.execType,
        feeCcy: f.feeCcy,
        fee: String(f.fee),
        ts: String(f.ts),
        fillTime: String(f.ts),
        feeRate: String(-feeRate),
      }));
  }

  private orderJson(o: OkxOrder): unknown {
    return {
      accFillSz: String(o.accFillSz),
      algoClOrdId: '',
      algoId: '',
      attachAlgoClOrdId: '',
      attachAlgoOrds: [],
      avgPx: o.accFillSz > 0 ? String(round8(o.quote / o.accFillSz)) : '',
      cTime: String(o.cTime),
      cancelSource: '',
      cancelSourceReason: '',
      category: 'normal',
      ccy: '',
      clOrdId: o.clOrdId,
      fee: String(o.fee),
      feeCcy: o.feeCcy,
      fillPx: o.fillPx === undefined ? '' : String(o.fillPx),
      fillSz: o.fillSz === undefined ? '' : String(o.fillSz),
      fillTime: o.fillTime === undefined ? '' : String(o.fillTime),
      instId: o.instId,
      instType: 'SPOT',
      isTpLimit: 'false',
      lever: '',
      linkedAlgoOrd: { algoId: '' },
      ordId: o.ordId,
      ordType: o.ordType,
      pnl: '0',
      posSide: 'net',
      px: o.ordType === 'market' ? '' : String(o.px),
      pxType: '',
      pxUsd: '',
      pxVol: '',
      quickMgnType: '',
      rebate: '0',
      rebateCcy: o.feeCcy,
      reduceOnly: 'false',
      side: o.side,
      slOrdPx: '',
      slTriggerPx: '',
      slTriggerPxType: '',
      source: '',
      state: o.state,
      stpId: '',
      stpMode: 'cancel_maker',
      sz: String(o.sz),
      tag: '',
      tdMode: 'cash',
      tgtCcy: '',
      tpOrdPx: '',
      tpTriggerPx: '',
      tpTriggerPxType: '',
      tradeId: o.tradeId,
      uTime: String(o.uTime),
    };
  }
}

function working(order: OkxOrder): boolean {
  return order.state === 'live' || order.state === 'partially_filled';
}

/** Whether `value` is a whole number of `step`s (OKX refuses a size or price off its grid). */
function onGrid(value: number, step: string): boolean {
  const units = value / Number(step);
  return Math.abs(units - Math.round(units)) < 1e-6;
}

function round8(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}
