// Paper bots under the account's risk (issue #12), as a trader meets them: a bot replaying a falling
// market trips the daily-loss breaker on its bars' clock — the trip holds that bot, not the account
// on today's clock; its next entry is refused naming the breaker while its exit goes through; the
// trip outlives a restart of the app; and the kill switch leaves a running bot flat.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../core/app/app.ts';
import { openGate } from '../../core/contract/dispatch.ts';
import type { BotOrderJson, BotPositionJson, BotSummaryJson } from '../../core/contract/bots-calls.ts';
import type { RiskEventJson, RiskStateJson } from '../../core/contract/risk-calls.ts';
import { fallingMarketCsv, fallingMarketStart } from '../support/falling-market.ts';
import { createLicensedTestApp } from '../support/licensed-app.ts';
import { makeTempDir } from '../support/temp-dir.ts';

let temp: ReturnType<typeof makeTempDir>;
const apps: App[] = [];
beforeEach(() => {
  temp = makeTempDir('autobot-risk-bots-');
});
afterEach(() => {
  for (const app of apps.splice(0)) app.close();
  temp.cleanup();
});

/** One start of the app on the test's data directory, licensed (bots need maxInstances). */
async function start() {
  const { app } = await createLicensedTestApp({ dataDir: temp.dir, gate: openGate, maxRuns: 1 });
  apps.push(app);
  const call = async <T>(name: string, input: unknown = {}) => {
    const result = await app.dispatch(name, input);
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    return result.value as T;
  };
  return { app, call };
}

const definition = (symbol: string, barsPerSecond: number | null) => ({
  name: `rsi on ${symbol}`,
  strategy: 'rsi',
  params: {},
  symbol,
  timeframe: '5m',
  venue: 'paper',
  cash: 10_000,
  commission: 0,
  barsPerSecond,
});

describe('paper bots under the account’s risk', () => {
  it('a falling replay trips daily loss for that bot on its bars’ clock: entries refused by name, exits pass, and it survives a restart', async () => {
    const first = await start();
    await first.call('candles.import', {
      symbol: 'FALL',
      timeframe: '5m',
      csv: fallingMarketCsv({ bounce: true }),
    });
    const { bot: created } = await first.call<{ bot: BotSummaryJson }>('bots.create', {
      definition: definition('FALL', null),
    });
    await first.call('bots.start', { id: created.id });
    await first.app.bots.settled(created.id);
    expect((await first.call<{ bot: BotSummaryJson }>('bots.get', { id: created.id })).bot.status).toBe(
      'stopped',
    );

    const { events } = await first.call<{ events: RiskEventJson[] }>('risk.history');
    const trips = events.filter((event) => event.kind === 'trip' && event.breaker === 'daily-loss');
    expect(trips).toHaveLength(1);
    // Judged on the replay's clock, held on the bot: its time is the bar's, in March 2024.
    expect(trips[0]).toMatchObject({ scope: 'bot', key: `bot-${created.id}`, clock: 'bars' });
    expect(trips[0]!.time).toBeGreaterThan(fallingMarketStart * 1000);
    expect(trips[0]!.time).toBeLessThan((fallingMarketStart + 86_400) * 1000);
    expect(trips[0]!.values['lossPct']).toBeGreaterThanOrEqual(5);

    const orders = (
      await first.call<{ orders: BotOrderJson[] }>('bots.orders', { id: created.id })
    ).orders.reverse();
    const tripTime = trips[0]!.trippedAt;
    const buys = orders.filter((order) => order.side === 'buy');
    // The first entry filled before the trip; the second, after it, was refused naming the breaker.
    expect(buys[0]).toMatchObject({ status: 'FILLED' });
    expect(buys[1]).toMatchObject({ status: 'DENIED' });
    expect(buys[1]!.reason).toMatch(/^halted by daily-loss: daily loss \d+\.\d\d % of start-of-day equity/);
    // The exit in between went through although the breaker held the bot.
    const exit = orders.find((order) => order.side === 'sell');
    expect(exit).toMatchObject({ status: 'FILLED' });
    const fills = await first.call<{ fills: { clientOrderId: string; time: number }[] }>('bots.fills', {
      id: created.id,
    });
    expect(fills.fills.find((fill) => fill.clientOrderId === exit!.clientOrderId)!.time).toBeGreaterThan(
      tripTime,
    );

    // The account itself trades on: the trip is the bot's, not a halt on today's clock.
    const state = await first.call<RiskStateJson>('risk.state');
    expect(state.state).toBe('active');
    const daily = state.breakers.find((breaker) => breaker.name === 'daily-loss')!;
    expect(daily.state).toBe('halted');
    expect(daily.trips).toEqual([
      expect.objectContaining({
        scope: 'bot',
        key: `bot-${created.id}`,
        clock: 'bars',
        until: Date.UTC(2024, 2, 5),
      }),
    ]);
    // Its countdown runs on the bot's clock: where the replay stopped, before the next trading day.
    expect(daily.trips[0]!.now).toBeLessThan(Date.UTC(2024, 2, 5));

    // A restart: the trip still holds the bot, with no recovery on the way.
    first.app.close();
    apps.length = 0;
    const second = await start();
    const after = await second.call<RiskStateJson>('risk.state');
    // Its countdown still reads the bot's clock where its replay stopped: the last bar.
    expect(after.breakers.find((breaker) => breaker.name === 'daily-loss')!.trips[0]!.now).toBe(
      (fallingMarketStart + 119 * 300) * 1000,
    );
    expect(after.breakers.find((breaker) => breaker.name === 'daily-loss')!.trips).toEqual([
      expect.objectContaining({ key: `bot-${created.id}`, clock: 'bars' }),
    ]);
    const history = await second.call<{ events: RiskEventJson[] }>('risk.history');
    expect(history.events.filter((event) => event.kind === 'recover')).toEqual([]);
    // The same day goes on (more of the fall): the bot resumes after its last bar and buys again,
    // refused by the breaker that held it before the restart.
    const more = fallingMarketCsv({ bounce: true })
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => {
        const [time, ...rest] = line.split(',');
        return [Number(time) + 120 * 300, ...rest.map((value) => Number(value) * 0.95)].join(',');
      });
    await second.call('candles.import', {
      symbol: 'FALL',
      timeframe: '5m',
      csv: `time,open,high,low,close,volume\n${more.join('\n')}\n`,
    });
    await second.call('bots.start', { id: created.id });
    await second.app.bots.settled(created.id);
    const later = (await second.call<{ orders: BotOrderJson[] }>('bots.orders', { id: created.id })).orders;
    const refused = later.filter((order) => order.side === 'buy' && order.status === 'DENIED');
    expect(refused.length).toBeGreaterThan(1);
    expect(refused[0]!.reason).toMatch(/^halted by daily-loss/);
    const again = await second.call<{ events: RiskEventJson[] }>('risk.history');
    expect(
      again.events.filter((event) => event.kind === 'trip' && event.breaker === 'daily-loss'),
    ).toHaveLength(1);

    // Re-arming restarts the day's count: the loss already made no longer trips it.
    const rearmed = await second.call<{ rearmed: number }>('risk.rearm', {
      breaker: 'daily-loss',
      key: `bot-${created.id}`,
    });
    expect(rearmed.rearmed).toBe(1);
    const cleared = await second.call<RiskStateJson>('risk.state');
    expect(cleared.breakers.find((breaker) => breaker.name === 'daily-loss')!.trips).toEqual([]);
  });

  it('the kill switch leaves a running paper bot flat, and its next entry is refused by the kill switch', async () => {
    const { app, call } = await start();
    await call('candles.import', {
      symbol: 'SLIDE',
      timeframe: '5m',
      csv: fallingMarketCsv({ bounce: false }),
    });
    const { bot: created } = await call<{ bot: BotSummaryJson }>('bots.create', {
      definition: definition('SLIDE', 20),
    });
    // The bot's first fill is its long: the kill switch is pressed while it holds it.
    const filled = new Promise<void>((resolve) => {
      const stop = app.events.subscribe((name) => {
        if (name !== 'bots.fill') return;
        stop();
        resolve();
      });
    });
    await call('bots.start', { id: created.id });
    await filled;
    const before = await call<{ positions: BotPositionJson[] }>('bots.positions', { id: created.id });
    expect(before.positions[0]!.quantity).toBeGreaterThan(0);

    const killed = await call<{ state: string; routers: { owner: string; closed: unknown[] }[] }>(
      'risk.killSwitch',
    );
    expect(killed.state).toBe('halted');
    expect(killed.routers).toEqual([
      expect.objectContaining({
        owner: `bot-${created.id}`,
        closed: [expect.objectContaining({ symbol: 'SLIDE' })],
      }),
    ]);
    const after = await call<{ positions: BotPositionJson[] }>('bots.positions', { id: created.id });
    expect(after.positions.every((position) => position.quantity === 0)).toBe(true);
    expect((await call<{ bot: BotSummaryJson }>('bots.get', { id: created.id })).bot.status).toBe('running');

    // Still falling, RSI still low: the bot wants back in, and the kill switch says no.
    const refused = new Promise<BotOrderJson>((resolve) => {
      const stop = app.events.subscribe((name, payload) => {
        const { order } = payload as { order?: BotOrderJson };
        if (name !== 'bots.order' || order?.status !== 'DENIED') return;
        stop();
        resolve(order);
      });
    });
    expect((await refused).reason).toMatch(/^halted by kill-switch/);
    await call('bots.stop', { id: created.id });
  });
});
