// A host as core/app wires it for bots that trade on the loopback Binance: the supervisor, the
// exchange's live feeds, and the live venues (BotVenues) with the fake's key — over one data
// folder, so a test can kill it and open it again. With the BTC/USDT hours a bot warms up on and the
// definition of a bot whose orders go to the exchange.
import type { BotDefinitionInput } from '../../core/contract/bots-calls.ts';
import { BotVenues, type BotVenuesOptions } from '../../core/app/bot-venues.ts';
import { LiveFeeds } from '../../core/app/live-feeds.ts';
import { downloadCandles } from '../../core/data/download-candles.ts';
import { CandleRepository } from '../../core/storage/candle-repository.ts';
import { ExchangeRegistry } from '../../core/venues/ccxt/exchange-registry.ts';
import { openSupervisor, waveBot } from './bot-fixtures.ts';
import type { FakeBinance } from './fake-binance.ts';

const hour = 3_600;

/** BTC/USDT 1h from `first` (epoch s), `hours` bars, downloaded as the Chart page does. */
export async function downloadBtcHours(
  candles: CandleRepository,
  fake: FakeBinance,
  first: number,
  hours: number,
  registry: ExchangeRegistry,
): Promise<void> {
  await downloadCandles(
    candles,
    {
      exchange: 'binance',
      symbol: 'BTC/USDT',
      timeframe: '1h',
      since: first,
      until: first + (hours - 1) * hour,
      apiUrl: fake.url,
    },
    { registry },
  );
}

/** sma-cross(3, 8) on BTC/USDT 1h, 0.01 BTC an order, its orders to the fake exchange. */
export function liveBtcBot(fake: FakeBinance, name: string): BotDefinitionInput {
  return waveBot({
    name,
    symbol: 'binance:BTC/USDT',
    timeframe: '1h',
    params: { fast: 3, slow: 8 },
    venue: 'live',
    lotSize: 0.001,
    sizing: { mode: 'fixed', quantity: 0.01 },
    feed: { kind: 'exchange', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h', apiUrl: fake.url },
  });
}

export function openLiveExchangeHost(
  file: string,
  fake: FakeBinance,
  timings: Pick<BotVenuesOptions, 'pollIntervalMs' | 'reconcileEveryMs'>,
) {
  const registry = new ExchangeRegistry();
  let venues: BotVenues | null = null;
  let feeds: LiveFeeds | null = null;
  const { db, supervisor, log } = openSupervisor(file, {
    liveFeed: (bot, after) => feeds!.forBot(bot, after),
    liveVenue: (bot) => venues!.forBot(bot),
  });
  const candles = new CandleRepository(db);
  feeds = new LiveFeeds({
    candles,
    emit: log.emit,
    registry,
    tuning: { backoff: { initialMs: 20, maxMs: 200 } },
  });
  venues = new BotVenues({
    ctrader: { venue: () => null },
    vault: { reveal: async () => ({ key: fake.apiKey, secret: fake.secret }) },
    db,
    journal: supervisor.journal,
    record: (id, event, eventId) => supervisor.record(id, event, eventId),
    registry,
    ...timings,
  });
  const letGo = async () => {
    await venues!.close();
    await feeds!.close();
    await registry.closeAll();
    db.close();
  };
  return {
    db,
    supervisor,
    log,
    candles,
    registry,
    /** A bot's progress (throttled events, but the last of a burst always comes). */
    reached: (id: number, time: number) =>
      log.waitFor('bots.position', (p) => p.id === id && p.lastBarTime === time),
    /** The process dies: nothing is stopped or flushed on purpose, connections are just dropped. */
    async crash() {
      supervisor.closeNow();
      await letGo();
    },
    async close() {
      await supervisor.close();
      await letGo();
    },
  };
}
