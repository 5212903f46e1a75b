// The live exchange feeds of a host: one CcxtLiveFeed per running exchange-fed bot, through the
// shared exchange registry (one instance, one rate limiter per exchange and key). Each closed bar
// is stored into the bot's series before the bot sees it — so the chart, the bot's equity curve
// and a resume after a restart read it like any stored bar — and announced as `candles.live`;
// the forming bar is announced too (closed: false), for a chart to draw, never stored.
import type { Exchange } from 'ccxt';
import type { BotRecord } from '../bots/bot-store.ts';
import type { EmitEvent } from '../bots/bot-supervisor.ts';
import { CcxtLiveFeed, type CcxtLiveFeedOptions } from '../feeds/ccxt-live-feed.ts';
import type { MarketFeed } from '../feeds/market-feed.ts';
import type { CandleRepository } from '../storage/candle-repository.ts';
import { exchanges, type ExchangeRegistry } from '../venues/ccxt/exchange-registry.ts';
import { storeClosedBar } from './store-closed-bar.ts';

export interface LiveFeedsOptions {
  candles: Pick<CandleRepository, 'upsert'>;
  emit: EmitEvent;
  registry?: ExchangeRegistry;
  /** Backoff, polling period, transport: tests shorten them. */
  tuning?: Pick<CcxtLiveFeedOptions, 'backoff' | 'pollMs' | 'transport' | 'sleep'>;
}

export class LiveFeeds {
  private readonly options: LiveFeedsOptions;
  private readonly running = new Set<CcxtLiveFeed>();
  private readonly used = new Set<Promise<Exchange>>();

  constructor(options: LiveFeedsOptions) {
    this.options = options;
  }

  /** The live feed of an exchange-fed bot, delivering bars after `after` (epoch s) under its series. */
  forBot(bot: BotRecord, after: number | null): MarketFeed {
    const { feed: source, symbol: series, timeframe } = bot.definition;
    if (source.kind !== 'exchange') throw new RangeError(`bot ${bot.id} is not fed by an exchange`);
    const registry = this.options.registry ?? exchanges;
    const { emit, candles } = this.options;
    const feed = new CcxtLiveFeed({
      exchange: () => {
        // A sandbox feed reads the test network's market, where its orders fill.
        const instance = registry.get({
          exchange: source.exchange,
          apiUrl: source.apiUrl,
          sandbox: source.sandbox,
        });
        this.used.add(instance);
        return instance;
      },
      symbol: source.symbol,
      timeframe,
      deliverAs: series,
      after,
      ...this.options.tuning,
    });
    feed.onBar(({ bar }) => storeClosedBar({ candles, emit }, series, timeframe, bar));
    feed.onForming((bar) => emit('candles.live', { series, timeframe, closed: false, bar }));
    feed.onStatus(({ state, detail }) => {
      if (state === 'stopped') this.running.delete(feed);
      emit('candles.live.status', { series, timeframe, state, detail: detail ?? null });
    });
    this.running.add(feed);
    return feed;
  }

  /** Stops every feed and closes the streams they opened (REST use of the instances goes on). */
  async close(): Promise<void> {
    for (const feed of this.running) feed.stop();
    this.running.clear();
    for (const instance of this.used) {
      const exchange = await instance.catch(() => undefined);
      await exchange?.close().catch(() => undefined);
    }
    this.used.clear();
  }
}
