// A live feed from a cTrader session: closed bars of the bot's timeframe built from the symbol's
// spot bids (the venue subscribes them again with every session), with what a reconnect cut out
// taken from trendbar history, so the strategy sees every bar once, in order, and only closed.
//
// Why spots and not ProtoOASubscribeLiveTrendbarReq: a live trendbar arrives inside spot events as
// the bar in progress, with no "closed" mark, so the close would still be found from the spots'
// times; the spot subscription is needed anyway; and the loopback peer the tests run against
// serves spots and history, not live trendbars (docs/ctrader.md).
//
// Which bars are trusted: a bar built from spots is whole only when the feed received every spot
// of its period. The first bar after a start or a reconnect is not (the feed joined mid-period, or
// spots were lost while the socket was down), so when that bar closes the feed asks the history for
// everything from after its last delivered bar through that bar, and delivers the history's bars
// instead. Bars at or before the last one delivered are never delivered again.
import type { Bar } from '../domain/bar.ts';
import type { Timeframe } from '../domain/timeframe.ts';
import { timeframeSeconds } from '../domain/timeframe-seconds.ts';
import { SpotBarBuilder } from '../venues/ctrader/spot-bars.ts';
import type { ConnectionState, Unsubscribe, VenueEvent } from '../venues/venue.ts';
import type { FeedListener, FeedResult, MarketFeed } from './market-feed.ts';

/** What the feed needs of a cTrader venue (CTraderVenue has it all). */
export interface CTraderSpotSource {
  readonly id: string;
  readonly connectionState: ConnectionState;
  subscribePrices(symbol: string, listener: (bid: number, timeMs: number) => void): Unsubscribe;
  /** Closed and current bars whose start is in [fromMs, toMs). */
  trendbars(symbol: string, timeframe: Timeframe, fromMs: number, toMs: number): Promise<Bar[]>;
  onEvent(listener: (event: VenueEvent) => void): Unsubscribe;
}

export interface CTraderSpotFeedOptions {
  symbol: string;
  timeframe: Timeframe;
  /** How the end reason names the source ("cTrader Demo"); default the venue id. */
  sourceName?: string | undefined;
}

export class CTraderSpotFeed implements MarketFeed {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  /** Why the feed ended on its own (the venue was disconnected for good), or null. */
  endReason: string | null = null;
  /** Bars taken from trendbar history instead of spots, for tests and the docs' figures. */
  backfilled = 0;
  readonly #source: CTraderSpotSource;
  readonly #seconds: number;
  readonly #sourceName: string;
  readonly #listeners = new Set<FeedListener>();
  #builder: SpotBarBuilder;
  #closed: Bar[] = [];
  #lastTime: number | null = null;
  #delivered = 0;
  /** The next closed bar must be checked against history (start, or after a reconnect). */
  #resync = true;
  /** Bumped by every lost connection: a history answer from an older epoch cannot end a resync. */
  #epoch = 0;
  #pump: Promise<void> = Promise.resolve();
  #running = false;
  #stopped = false;
  #finish: (() => void) | null = null;

  constructor(source: CTraderSpotSource, options: CTraderSpotFeedOptions) {
    this.#source = source;
    this.symbol = options.symbol;
    this.timeframe = options.timeframe;
    this.#seconds = timeframeSeconds(options.timeframe);
    this.#sourceName = options.sourceName ?? source.id;
    this.#builder = new SpotBarBuilder(options.timeframe);
  }

  onBar(listener: FeedListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  stop(): void {
    this.#stopped = true;
    this.#finish?.();
  }

  async run(): Promise<FeedResult> {
    if (this.#running) throw new Error('this cTrader feed is already running');
    if (this.#source.connectionState === 'disconnected')
      throw new Error(`${this.#sourceName} is not connected: connect it on the Account page first`);
    this.#running = true;
    this.#stopped = false;
    this.endReason = null;
    const ended = new Promise<void>((resolve) => (this.#finish = resolve));
    const unsubscribeEvents = this.#source.onEvent((event) => {
      if (event.type !== 'connection' || event.state === 'connected') return;
      this.#lost();
      if (event.state === 'disconnected') {
        this.endReason = `${this.#sourceName} was disconnected${event.reason ? ` (${event.reason})` : ''}`;
        this.#finish?.();
      }
    });
    const unsubscribePrices = this.#source.subscribePrices(this.symbol, (bid, timeMs) =>
      this.#price(bid, timeMs),
    );
    try {
      await ended;
      await this.#pump;
    } finally {
      unsubscribePrices();
      unsubscribeEvents();
      this.#finish = null;
      this.#running = false;
    }
    return { delivered: this.#delivered, stopped: this.#stopped, lastTime: this.#lastTime };
  }

  /** The socket went away: the bar in progress and bars not yet delivered will come from history. */
  #lost(): void {
    this.#epoch++;
    this.#resync = true;
    this.#builder = new SpotBarBuilder(this.timeframe);
    this.#closed = [];
  }

  #price(bid: number, timeMs: number): void {
    if (this.#stopped || this.endReason !== null) return;
    const closed = this.#builder.add(bid, timeMs);
    if (closed === null) return;
    this.#closed.push(closed);
    this.#pump = this.#pump.then(() => this.#drain());
  }

  async #drain(): Promise<void> {
    for (let bar = this.#closed.shift(); bar !== undefined; bar = this.#closed.shift()) {
      if (this.#stopped || this.endReason !== null) return;
      const bars = this.#resync ? await this.#fromHistory(bar) : [bar];
      for (const next of bars) {
        if (this.#stopped || this.endReason !== null) return;
        if (this.#lastTime !== null && next.time <= this.#lastTime) continue;
        for (const listener of this.#listeners) {
          const pending = listener({ symbol: this.symbol, timeframe: this.timeframe, bar: next });
          if (pending !== undefined) await pending;
        }
        this.#delivered++;
        this.#lastTime = next.time;
      }
    }
  }

  /**
   * The bars after the last delivered one through `closed`, from history; `closed` itself (built
   * from spots) only when the history does not have it. [] when the history could not be asked
   * (the connection went again): the next resync asks from the same place.
   */
  async #fromHistory(closed: Bar): Promise<Bar[]> {
    const epoch = this.#epoch;
    const from = (this.#lastTime === null ? closed.time : this.#lastTime + this.#seconds) * 1000;
    const to = (closed.time + this.#seconds) * 1000;
    let history: Bar[];
    try {
      history = await this.#source.trendbars(this.symbol, this.timeframe, from, to);
    } catch {
      return [];
    }
    const bars = history.filter(
      (bar) => bar.time <= closed.time && (this.#lastTime === null || bar.time > this.#lastTime),
    );
    this.backfilled += bars.length;
    if (bars.at(-1)?.time !== closed.time) bars.push(closed);
    if (epoch === this.#epoch) this.#resync = false;
    return bars;
  }
}
