// The app's one governor through the contract, as a host sees it: settings saved in SQLite and
// validated by field, trips rebuilt from the journal at start (a cooldown that ran out while the
// app was closed recovers with an event saying so), every router the app makes holding to it, and
// the kill switch closing two bots' positions on two symbols on two venues in one call.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../core/app/app.ts';
import { openGate } from '../../core/contract/dispatch.ts';
import type { Bar } from '../../core/domain/bar.ts';
import { defineInstrument } from '../../core/domain/instrument.ts';
import { ClientOrderIds } from '../../core/orders/client-order-ids.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { SimulatedExchange } from '../../core/venues/simulated/simulated-exchange.ts';
import { MemorySecretStore } from '../support/memory-secret-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const minute = 60_000;
const t0 = Date.UTC(2026, 0, 5, 9);

let temp: ReturnType<typeof makeTempDir>;
const apps: App[] = [];
beforeEach(() => {
  temp = makeTempDir('autobot-risk-app-');
});
afterEach(() => {
  for (const app of apps.splice(0)) app.close();
  temp.cleanup();
});

/** One start of the app at `now` on the test's data directory. */
function start(now: number) {
  const clock = { now };
  const app = createApp({
    dataDir: temp.dir,
    host: 'test',
    secretStore: new MemorySecretStore(),
    gate: openGate,
    checkOutputs: true,
    log: () => {},
    riskClock: () => clock.now,
  });
  apps.push(app);
  const call = async <T>(name: string, input: unknown = {}) => {
    const result = await app.dispatch(name, input);
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    return result.value as T;
  };
  return { app, clock, call };
}

const bar = (time: number, price: number): Bar => ({
  time,
  open: price,
  high: price,
  low: price,
  close: price,
  volume: 1,
});

describe('the app’s risk governor', () => {
  it('saves settings in the database, refuses a bad one by field, and keeps them across a restart', async () => {
    const first = start(t0);
    const bad = await first.app.dispatch('risk.settings.set', { settings: { dailyLoss: { limitPct: 0 } } });
    expect(bad).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        issues: [{ path: 'settings.dailyLoss.limitPct', message: 'must be above 0 %' }],
      },
    });
    const saved = await first.call<{ settings: { lossStreak: { losses: number; cooldownMinutes: number } } }>(
      'risk.settings.set',
      { settings: { lossStreak: { losses: 2, cooldownMinutes: 30, scope: 'account' } } },
    );
    expect(saved.settings.lossStreak).toMatchObject({ losses: 2, cooldownMinutes: 30 });
    first.app.close();
    apps.length = 0;

    const second = start(t0 + minute);
    const { settings } = await second.call<{ settings: Record<string, Record<string, unknown>> }>(
      'risk.settings.get',
    );
    expect(settings.lossStreak).toEqual({ enabled: true, losses: 2, cooldownMinutes: 30, scope: 'account' });
    expect(settings.dailyLoss!.limitPct).toBe(5);
    // The new settings are the governor's: two losses now cool the whole account down.
    second.app.risk.governor.onTrade({ owner: 'bot-1', symbol: 'EURUSD', pnl: -1 });
    second.app.risk.governor.onTrade({ owner: 'bot-2', symbol: 'BTCUSD', pnl: -1 });
    const state = await second.call<{
      state: string;
      breakers: { name: string; state: string; trips: { until: number }[] }[];
    }>('risk.state');
    expect(state.state).toBe('reducing');
    const streak = state.breakers.find((breaker) => breaker.name === 'loss-streak')!;
    expect(streak.state).toBe('reducing');
    expect(streak.trips[0]!.until).toBe(t0 + minute + 30 * minute);
  });

  it('a cooldown that ran out while the app was closed recovers at start, with an event saying so', async () => {
    const first = start(t0);
    const changes: string[] = [];
    first.app.events.subscribe((name, payload) => {
      if (name === 'risk.changed')
        changes.push(`${(payload as { kind: string }).kind}:${(payload as { state: string }).state}`);
    });
    await first.call('risk.settings.set', { settings: { lossStreak: { scope: 'account' } } });
    for (let i = 0; i < 3; i++)
      first.app.risk.governor.onTrade({ owner: 'bot-1', symbol: 'EURUSD', pnl: -5 });
    expect(changes).toEqual(['settings:active', 'trip:reducing']);
    first.app.close();
    apps.length = 0;

    // Inside the cooldown the trip still holds…
    const during = start(t0 + 30 * minute);
    expect((await during.call<{ state: string }>('risk.state')).state).toBe('reducing');
    during.app.close();
    apps.length = 0;

    // …and after it, the start itself recovers it and journals why.
    const after = start(t0 + 90 * minute);
    expect((await after.call<{ state: string }>('risk.state')).state).toBe('active');
    const { events } = await after.call<{
      events: { kind: string; breaker: string; message: string; time: number }[];
    }>('risk.history');
    expect(events[0]).toMatchObject({
      kind: 'recover',
      breaker: 'loss-streak',
      time: t0 + 90 * minute,
      message: expect.stringContaining('recovered while AUTOBOT was closed'),
    });
    expect(events.map((event) => event.kind)).toEqual(['recover', 'trip']);
  });

  it('the kill switch closes two bots’ positions on two symbols and venues and leaves no open order; re-arm lifts it', async () => {
    const { app, clock, call } = start(t0);
    const journal = new OrderJournal(app.db, { durability: 'normal' });
    const ids = ClientOrderIds.open(app.db);
    const eurusd = defineInstrument({ symbol: 'EURUSD', venue: 'fx', tickSize: 0.00001, quantityStep: 1000 });
    const btcusd = defineInstrument({
      symbol: 'BTCUSD',
      venue: 'crypto',
      tickSize: 0.01,
      quantityStep: 0.001,
    });
    const bots = [];
    for (const [bot, instrument, price, quantity] of [
      ['bot-fx', eurusd, 1.1, 5000],
      ['bot-btc', btcusd, 40_000, 0.5],
    ] as const) {
      const venue = new SimulatedExchange({
        id: instrument.venue,
        instruments: [instrument],
        fees: { commission: 0, fixedFee: 0 },
        slippage: 0,
        cash: 1_000_000,
      });
      await venue.connect();
      venue.pushBar(instrument.symbol, bar(0, price));
      const { router } = app.risk.router({
        journal,
        venue,
        ids,
        instruments: [instrument],
        owner: bot,
        now: () => clock.now,
      });
      expect(
        (await router.submit({ symbol: instrument.symbol, side: 'buy', type: 'market', quantity })).status,
      ).toBe('sent');
      venue.pushBar(instrument.symbol, bar(60, price));
      // A resting order the kill switch must cancel.
      const resting = await router.submit({
        symbol: instrument.symbol,
        side: 'buy',
        type: 'limit',
        quantity,
        price: price / 2,
      });
      expect(resting.status).toBe('sent');
      bots.push({ venue, router, instrument, price });
    }
    expect(journal.positions()).toHaveLength(2);
    expect(journal.openOrders()).toHaveLength(2);

    const pressed = await call<{
      state: string;
      routers: { owner: string; cancelled: number; closed: unknown[]; failures: string[] }[];
    }>('risk.killSwitch', { reason: 'test' });
    expect(pressed.state).toBe('halted');
    expect(pressed.routers).toEqual([
      {
        owner: 'bot-fx',
        venue: 'fx',
        cancelled: 1,
        closed: [{ symbol: 'EURUSD', quantity: 5000 }],
        failures: [],
      },
      {
        owner: 'bot-btc',
        venue: 'crypto',
        cancelled: 1,
        closed: [{ symbol: 'BTCUSD', quantity: 0.5 }],
        failures: [],
      },
    ]);
    for (const { venue, instrument, price } of bots) venue.pushBar(instrument.symbol, bar(120, price));
    expect(journal.positions()).toEqual([]);
    expect(journal.openOrders()).toEqual([]);
    for (const { venue } of bots) expect(await venue.openOrders()).toEqual([]);

    // HALTED until re-armed: a new entry is denied, naming the kill switch.
    const entry = await bots[0]!.router.submit({
      symbol: 'EURUSD',
      side: 'buy',
      type: 'market',
      quantity: 1000,
    });
    expect(entry).toMatchObject({
      status: 'denied',
      reason: expect.stringMatching(/^halted by kill-switch/),
    });
    expect(await call('risk.rearm', { breaker: 'kill-switch' })).toEqual({ rearmed: 1, state: 'active' });
    const again = await bots[0]!.router.submit({
      symbol: 'EURUSD',
      side: 'buy',
      type: 'market',
      quantity: 1000,
    });
    expect(again.status).toBe('sent');
    const { events } = await call<{ events: { kind: string; breaker: string }[] }>('risk.history');
    expect(events.map((event) => `${event.kind}:${event.breaker}`)).toEqual([
      'rearm:kill-switch',
      'trip:kill-switch',
    ]);
  });

  it('a runaway strategy on an app router is throttled to the per-bot limit', async () => {
    const { app, clock } = start(t0);
    const eurusd = defineInstrument({
      symbol: 'EURUSD',
      venue: 'simulated',
      tickSize: 0.00001,
      quantityStep: 1000,
    });
    const venue = new SimulatedExchange({
      instruments: [eurusd],
      fees: { commission: 0, fixedFee: 0 },
      slippage: 0,
      cash: 1e9,
    });
    await venue.connect();
    venue.pushBar('EURUSD', bar(0, 1.1));
    const { router } = app.risk.router({
      journal: new OrderJournal(app.db, { durability: 'normal' }),
      venue,
      ids: ClientOrderIds.open(app.db),
      instruments: [eurusd],
      owner: 'runaway',
      now: () => clock.now,
    });
    const statuses: string[] = [];
    // 500 orders inside one second of the injected clock: 2 ms apart.
    for (let i = 0; i < 500; i++) {
      statuses.push(
        (await router.submit({ symbol: 'EURUSD', side: 'buy', type: 'limit', quantity: 1000, price: 1 }))
          .status,
      );
      clock.now += 2;
    }
    expect(statuses.filter((status) => status === 'sent')).toHaveLength(10);
    expect(statuses.filter((status) => status === 'denied')).toHaveLength(490);
  });
});
