// Live candles from an exchange through ccxt, as a MarketFeed (market-feed.ts): closed bars only,
// each once, in time order, whatever the network does.
//
//  - WebSocket first: `watchOHLCV` (ccxt's pro methods ship in the same package, docs/ccxt.md);
//    REST polling of `fetchOHLCV` when the exchange has no candle stream in ccxt (or `transport:
//    'rest'`);
//  - closed-ness and de-duplication are closed-bar-gate.ts's: a bar is closed once a later one has
//    begun; the forming bar goes to `onForming` (a chart may draw it), never to the strategy;
//  - a dropped stream is retried with exponential backoff, and every retry, and the first message
//    of every new subscription, is preceded by a REST backfill from the last bar delivered: what
//    closed while the stream was down arrives by REST, what both say arrives once;
//  - a hole inside a running stream (a bar skipped) is backfilled by REST before the next bar goes.
//
// The feed never ends on its own: run() resolves when stop() is called, and rejects only when the
// exchange cannot serve the request at all (unknown symbol or timeframe) — a bot then fails saying so.
import { setTimeout as wait } from 'node:timers/promises';
import type { Exchange } from 'ccxt';
import { AutobotError } from '../domain/autobot-error.ts';
import type { Bar } from '../domain/bar.ts';
import { timeframeSeconds } from '../domain/timeframe-seconds.ts';
import type { Timeframe } from '../domain/timeframe.ts';
import { ClosedBarGate, type OhlcvRow } from './closed-bar-gate.ts';
import type { FeedListener, FeedResult, MarketFeed } from './market-feed.ts';

export type LiveFeedState = 'connecting' | 'streaming' | 'polling' | 'reconnecting' | 'stopped';

export interface CcxtLiveFeedOptions {
  /** The shared instance for this exchange (exchange-registry.ts): one rate limiter per key. */
  exchange: () => Promise<Exchange>;
  /** As the exchange lists it: "BTC/USDT". */
  symbol: string;
  timeframe: Timeframe;
  /** The symbol bars are delivered under (the stored series, "binance:BTC/USDT"); default `symbol`. */
  deliverAs?: string;
  /**
   * Deliver bars opening after this time (epoch s), backfilled by REST at start; null: from the
   * first bar that closes after the feed starts.
   */
  after: number | null;
  /** 'auto' (default): the stream where ccxt has one, else REST. 'rest': always poll. */
  transport?: 'auto' | 'rest';
  /** REST polling period, ms (default a quarter of a bar, between 1 and 30 s). */
  pollMs?: number;
  /** First retry after a dropped stream and the longest wait, ms (default 500 and 30,000). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Bars asked per REST request (default 1,000, Binance's most). */
  pageLimit?: number;
  /** Waits `ms` or until `signal` aborts; tests may pass their own. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface LiveFeedStatus {
  state: LiveFeedState;
  /** Why it is reconnecting (the error), when it is. */
  detail?: string | undefined;
}

const realSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  wait(ms, undefined, { signal }).catch(() => undefined);

export class CcxtLiveFeed implements MarketFeed {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  private readonly options: CcxtLiveFeedOptions;
  private readonly step: number;
  private readonly gate: ClosedBarGate;
  private readonly listeners = new Set<FeedListener>();
  private readonly formingListeners = new Set<(bar: Bar) => void>();
  private readonly statusListeners = new Set<(status: LiveFeedStatus) => void>();
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private abort = new AbortController();
  private exchange: Exchange | null = null;
  private delivered = 0;
  private lastForming: string | null = null;
  private stateNow: LiveFeedState = 'connecting';

  constructor(options: CcxtLiveFeedOptions) {
    this.options = options;
    this.symbol = options.symbol;
    this.timeframe = options.timeframe;
    this.step = timeframeSeconds(options.timeframe);
    this.gate = new ClosedBarGate(this.step, options.after);
    this.sleep = options.sleep ?? realSleep;
  }

  get state(): LiveFeedState {
    return this.stateNow;
  }

  /** Time of the last bar delivered (epoch s), or the starting point before the first. */
  get lastTime(): number | null {
    return this.gate.last;
  }

  onBar(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The bar still forming, each time it changes (for a chart; a strategy never sees it). */
  onForming(listener: (bar: Bar) => void): () => void {
    this.formingListeners.add(listener);
    return () => this.formingListeners.delete(listener);
  }

  onStatus(listener: (status: LiveFeedStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  stop(): void {
    this.abort.abort();
  }

  async run(): Promise<FeedResult> {
    if (this.abort.signal.aborted) this.abort = new AbortController();
    const signal = this.abort.signal;
    const exchange = await this.options.exchange();
    this.exchange = exchange;
    await exchange.loadMarkets();
    this.check(exchange);
    this.setState('connecting');
    await this.backfill();
    if (this.options.after === null && this.gate.last === null) this.gate.skipClosed();
    await this.deliver();
    const streaming = (this.options.transport ?? 'auto') === 'auto' && exchange.has['watchOHLCV'] === true;
    if (streaming) await this.stream(signal);
    else await this.poll(signal);
    this.setState('stopped');
    return { delivered: this.delivered, stopped: true, lastTime: this.gate.last };
  }

  private check(exchange: Exchange): void {
    if (exchange.markets?.[this.symbol] === undefined) {
      const message = `${exchange.id} does not list ${this.symbol}`;
      throw new AutobotError('invalid_input', message, { issues: [{ path: 'feed.symbol', message }] });
    }
    if (exchange.timeframes?.[this.timeframe] === undefined) {
      const message = `${exchange.id} has no ${this.timeframe} candles`;
      throw new AutobotError('invalid_input', message, { issues: [{ path: 'feed.timeframe', message }] });
    }
    if (exchange.has['fetchOHLCV'] !== true) {
      const message = `${exchange.id} offers no candles (fetchOHLCV) in ccxt`;
      throw new AutobotError('invalid_input', message, { issues: [{ path: 'feed.exchange', message }] });
    }
  }

  private async poll(signal: AbortSignal): Promise<void> {
    const every = this.options.pollMs ?? Math.min(30_000, Math.max(1_000, (this.step * 1000) / 4));
    this.setState('polling');
    let failures = 0;
    while (!signal.aborted) {
      await this.sleep(failures === 0 ? every : this.backoffMs(failures), signal);
      if (signal.aborted) break;
      try {
        await this.backfill();
        await this.deliver();
        if (failures > 0) this.setState('polling');
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        this.setState('reconnecting', messageOf(error));
      }
    }
  }

  private async stream(signal: AbortSignal): Promise<void> {
    const exchange = this.exchange!;
    const stopped = new Promise<null>((resolve) =>
      signal.addEventListener('abort', () => resolve(null), { once: true }),
    );
    let fresh = true;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const rows = await Promise.race([exchange.watchOHLCV(this.symbol, this.timeframe), stopped]);
        if (rows === null) break;
        if (fresh) {
          // A new subscription: what closed before it took effect is only in REST.
          fresh = false;
          failures = 0;
          this.setState('streaming');
          await this.backfill();
        }
        // The whole cache, not only "new updates": another feed on the shared instance may have
        // taken those from the same cache.
        this.gate.accept(cachedRows(exchange, this.symbol, this.timeframe) ?? rows);
        await this.deliver();
      } catch (error) {
        if (signal.aborted) break;
        if (isNotSupported(error)) return this.poll(signal);
        fresh = true;
        failures++;
        this.setState('reconnecting', messageOf(error));
        await this.sleep(this.backoffMs(failures), signal);
        if (signal.aborted) break;
        // Bars keep coming by REST while the stream is down.
        try {
          await this.backfill();
          await this.deliver();
        } catch {
          // The REST side is down too: the next attempt tries both again.
        }
      }
    }
  }

  /** REST pages from the last bar delivered (or the latest few, at a start from "now"). */
  private async backfill(): Promise<void> {
    const exchange = this.exchange!;
    const limit = this.options.pageLimit ?? 1000;
    const last = this.gate.last;
    if (last === null) {
      this.gate.accept(await exchange.fetchOHLCV(this.symbol, this.timeframe, undefined, 3));
      return;
    }
    let since = (last + 1) * 1000;
    for (;;) {
      const rows = await exchange.fetchOHLCV(this.symbol, this.timeframe, since, limit);
      this.gate.accept(rows);
      if (rows.length < limit) return;
      const next = Number(rows.at(-1)![0]) + 1;
      if (!(next > since)) return;
      since = next;
    }
  }

  /** Releases the closed bars to the listeners, in order, each awaited (market-feed.ts). */
  private async deliver(): Promise<void> {
    if (this.gate.gap() !== null) await this.backfill();
    for (const bar of this.gate.release()) {
      if (this.abort.signal.aborted) return;
      for (const listener of this.listeners)
        await listener({ symbol: this.options.deliverAs ?? this.symbol, timeframe: this.timeframe, bar });
      this.delivered++;
    }
    // After the closed bars: a chart takes updates in time order only.
    const forming = this.gate.forming();
    if (forming !== null) {
      const key = JSON.stringify(forming);
      if (key !== this.lastForming) {
        this.lastForming = key;
        for (const listener of this.formingListeners) listener(forming);
      }
    }
  }

  private backoffMs(failures: number): number {
    const initial = this.options.backoff?.initialMs ?? 500;
    const max = this.options.backoff?.maxMs ?? 30_000;
    return Math.min(max, initial * 2 ** Math.min(failures - 1, 16));
  }

  private setState(state: LiveFeedState, detail?: string): void {
    if (state === this.stateNow && detail === undefined) return;
    this.stateNow = state;
    for (const listener of this.statusListeners) listener({ state, detail });
  }
}

function cachedRows(exchange: Exchange, symbol: string, timeframe: string): OhlcvRow[] | undefined {
  const cache = (exchange as unknown as { ohlcvs?: Record<string, Record<string, OhlcvRow[]>> }).ohlcvs;
  const rows = cache?.[symbol]?.[timeframe];
  return Array.isArray(rows) ? [...rows] : undefined;
}

function isNotSupported(error: unknown): boolean {
  return error instanceof Error && error.constructor.name === 'NotSupported';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
