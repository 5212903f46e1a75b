// A bot that trades on cTrader Demo (venue 'live'): its orders reach the loopback Open API peer
// under our client order ids, the peer's deals come back as the bot's fills — each once, one of
// them found by reconciliation after its execution event was lost — and the bot's position is the
// peer's. Stopped and reopened, the bot's account is rebuilt from the journal. Real money (cTrader
// Live) without the live-trading licence is refused before anything is sent.
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BotVenues } from '../../core/app/bot-venues.ts';
import { ctraderLiveFeed } from '../../core/app/ctrader-live-feed.ts';
import type { BotRecord } from '../../core/bots/bot-store.ts';
import type { LiveFeed } from '../../core/bots/feed-engine.ts';
import type { BotSupervisor, SupervisorOptions } from '../../core/bots/bot-supervisor.ts';
import { tradesRealMoney } from '../../core/contract/bots-calls.ts';
import { AutobotError } from '../../core/domain/autobot-error.ts';
import { CandleRepository } from '../../core/storage/candle-repository.ts';
import type { Database } from '../../core/storage/database.ts';
import { openSupervisor, waveBot, type EventLog } from '../support/bot-fixtures.ts';
import { startCTraderSetup, type CTraderSetup } from '../support/ctrader-setup.ts';
import { swingBars } from '../support/eurusd-swing.ts';
import { FinishedBars } from '../support/finished-bars.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { makeTestCertificates, type TestCertificates } from '../support/test-certificates.ts';

let certs: TestCertificates;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(() => {
  certs = makeTestCertificates();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const start = Date.UTC(2026, 11, 2, 9, 0) / 1000;

interface Host {
  supervisor: BotSupervisor;
  db: Database;
  log: EventLog;
  venues: BotVenues;
  /** Resolves once the bot has finished `n` bars of this host's run. */
  barsDone(n: number): Promise<void>;
}

/** A supervisor over the peer's Demo session, with the host's live venues, as core/app wires them. */
function openHost(s: CTraderSetup, file: string, options: Partial<SupervisorOptions> = {}): Host {
  const finished = new FinishedBars();
  let sink: Parameters<typeof ctraderLiveFeed>[2] | null = null;
  const venueFeed = (bot: BotRecord): LiveFeed =>
    finished.wrap(ctraderLiveFeed({ venue: () => s.venue }, bot, sink!));
  let venues: BotVenues | null = null;
  const opened = openSupervisor(file, {
    venueFeed,
    liveVenue: (bot) => venues!.forBot(bot),
    ...options,
  });
  const { supervisor, db, log } = opened;
  sink = { candles: new CandleRepository(db), emit: log.emit };
  venues = new BotVenues({
    ctrader: { venue: () => s.venue },
    vault: { reveal: () => Promise.reject(new Error('no exchange keys in this test')) },
    db,
    journal: supervisor.journal,
    record: (id, event, eventId) => supervisor.record(id, event, eventId),
    // Reconciliation every 50 ms while orders are in flight: the lost execution event is found soon.
    reconcileEveryMs: 50,
  });
  const host: Host = {
    supervisor,
    db,
    log,
    venues,
    barsDone: (n) => finished.reached(n),
  };
  cleanups.push(async () => {
    await supervisor.close();
    await venues!.close();
    db.close();
  });
  return host;
}

const liveBot = waveBot({
  name: 'eurusd on demo',
  symbol: 'EURUSD',
  timeframe: '1m',
  params: { fast: 3, slow: 8 },
  sizing: { mode: 'fraction', fraction: 0.5 },
  venue: 'live',
  feed: { kind: 'ctrader', environment: 'demo', accountId: 1001 },
  cash: 100_000,
  lotSize: 1000,
  commission: 0.00002,
});

describe('a bot trading on cTrader Demo', () => {
  it("sends its orders to the venue, books the venue's deals once each (one whose execution event was lost), holds the venue's position, and keeps it across a restart", async () => {
    const s = await startCTraderSetup(certs);
    cleanups.push(() => s.close());
    const { dir, cleanup } = makeTempDir('autobot-ctrader-live-bot-');
    cleanups.push(cleanup);
    const file = path.join(dir, 'bots.db');
    const host = openHost(s, file);
    const { supervisor } = host;

    const bot = supervisor.create(liveBot);
    expect(bot.definition.venue).toBe('live');
    await supervisor.start(bot.id);

    const bars = swingBars(start, 40);
    for (const bar of bars.slice(0, 20)) s.peer.pushBar(1, bar, '1m');
    await host.barsDone(19);
    // The next execution event never arrives: reconciliation must find the deal.
    s.peer.dropExecutions = 1;
    for (const bar of bars.slice(20)) s.peer.pushBar(1, bar, '1m');
    s.peer.pushSpot(1, 108_500, 108_502, (start + 40 * 60) * 1000);
    await host.barsDone(40);

    const orders = supervisor.orders(bot.id);
    const sent = orders.filter((order) => order.status !== 'DENIED');
    expect(sent.length).toBeGreaterThanOrEqual(3);
    // Every order the bot sent is at the peer under our client order id, as a market order.
    const atPeer = [...s.peer.orders.values()];
    for (const order of sent)
      expect(atPeer.some((o) => o.clientOrderId === order.clientOrderId && o.orderType === 1)).toBe(true);

    // Every deal of the peer is one fill of the bot: same volume (hundredths of a unit) and price.
    // The lost one is found (by reconciliation, through the bot's runner: a bots.fill like any other).
    await host.log.waitFor('bots.fill', () => supervisor.fills(bot.id).length === s.peer.deals.length);
    expect(s.peer.dropExecutions).toBe(0);
    const deals = s.peer.deals.map((deal) => ({
      quantity: (deal.volume as number) / 100,
      price: deal.executionPrice as number,
    }));
    const fills = supervisor
      .fills(bot.id)
      .reverse()
      .map((fill) => ({ quantity: fill.quantity, price: fill.price }));
    expect(fills).toEqual(deals);
    expect(new Set(supervisor.fills(bot.id).map((fill) => fill.tradeId)).size).toBe(deals.length);

    // The bot's position is the peer's net one (a buy deal adds, a sell deal takes away).
    const net = s.peer.deals.reduce(
      (sum, deal) => sum + ((deal.tradeSide as number) === 1 ? 1 : -1) * ((deal.volume as number) / 100),
      0,
    );
    const held = () => supervisor.positions(bot.id).find((p) => p.symbol === 'EURUSD')?.quantity ?? 0;
    expect(held()).toBeCloseTo(net, 6);

    // Stopped, closed and reopened: the account comes back from the journal.
    await supervisor.stop(bot.id);
    const equity = supervisor.get(bot.id).equity;
    await host.supervisor.close();
    await host.venues.close();
    host.db.close();
    cleanups.pop();
    const again = openHost(s, file);
    expect(again.supervisor.positions(bot.id).find((p) => p.symbol === 'EURUSD')?.quantity ?? 0).toBeCloseTo(
      net,
      6,
    );
    expect(again.supervisor.get(bot.id).equity).toBeCloseTo(equity, 6);
  });

  it('refuses a bot on cTrader Live without the live-trading licence, before anything is sent', async () => {
    const s = await startCTraderSetup(certs);
    cleanups.push(() => s.close());
    const { dir, cleanup } = makeTempDir('autobot-ctrader-live-bot-');
    cleanups.push(cleanup);
    const refusal = new AutobotError('license_required', 'Live trading needs a licence with live-trading.');
    const host = openHost(s, path.join(dir, 'bots.db'), {
      liveAccess: async (bot) => (tradesRealMoney(bot.definition) ? refusal : null),
    });
    const real = host.supervisor.create({
      ...liveBot,
      feed: { kind: 'ctrader', environment: 'live', accountId: null },
    });
    await expect(host.supervisor.start(real.id)).rejects.toThrow(
      'Live trading needs a licence with live-trading.',
    );
    expect(host.supervisor.get(real.id).status).toBe('created');
    expect(s.peer.orders.size).toBe(0);
    // Demo is not real money: the same bot on Demo is not the licence's business.
    expect(
      tradesRealMoney({ venue: 'live', feed: { kind: 'ctrader', environment: 'demo', accountId: null } }),
    ).toBe(false);
    expect(
      tradesRealMoney({ venue: 'paper', feed: { kind: 'ctrader', environment: 'live', accountId: null } }),
    ).toBe(false);
  });
});
