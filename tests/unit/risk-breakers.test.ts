// The original design's scenarios, each with an injected clock: the governor with its default
// breakers is fed what the runtime would feed it (equity, closed trades, bars, orders) and asked
// what a user would ask — may this bot enter, may it exit, what holds it, when does it resume.
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../core/domain/bar.ts';
import type { RiskEvent } from '../../core/risk/breaker.ts';
import { breakerSettings, governorFromSettings } from '../../core/risk/breaker-settings.ts';
import { killSwitchTrip } from '../../core/risk/kill-switch.ts';
import type { RiskGovernor, RiskIntent } from '../../core/risk/risk-governor.ts';

const minute = 60_000;
const monday9 = Date.UTC(2026, 0, 5, 9, 0);

function setup(settings: unknown = {}) {
  const clock = { now: monday9 };
  const governor = governorFromSettings(settings, () => clock.now);
  const events: RiskEvent[] = [];
  governor.onEvent((event) => events.push(event));
  return { clock, governor, events };
}

const entry = (owner = 'bot-1', symbol = 'EURUSD'): RiskIntent => ({
  owner,
  venue: 'sim',
  symbol,
  side: 'buy',
  quantity: 1,
});
const exitLong = (owner = 'bot-1', symbol = 'EURUSD'): RiskIntent => ({
  ...entry(owner, symbol),
  side: 'sell',
});
const flat = { position: 0 };
const long1 = { position: 1 };

function bar(close: number, previousClose: number, time = 0): Bar {
  return {
    time,
    open: previousClose,
    high: Math.max(close, previousClose),
    low: Math.min(close, previousClose),
    close,
    volume: 1,
  };
}

function lose(governor: RiskGovernor, owner = 'bot-1', pnl = -100): void {
  governor.onTrade({ owner, symbol: 'EURUSD', pnl });
}

describe('daily loss', () => {
  it('five losing trades take the account to −5 %: HALTED, entries refused naming daily-loss, exits pass', () => {
    const { clock, governor, events } = setup();
    let equity = 10_000;
    governor.onEquity(equity);
    for (let trade = 1; trade <= 5; trade++) {
      clock.now += 10 * minute;
      equity -= 100;
      // Each bot loses once, so the loss streak (per bot) never trips: the day's loss alone halts.
      lose(governor, `bot-${trade}`);
      governor.onEquity(equity);
      if (trade < 5) expect(governor.state).toBe('active');
    }
    expect(governor.state).toBe('halted');
    expect(governor.check(entry('bot-9'), flat)).toMatchObject({
      accepted: false,
      code: 'halted',
      breaker: 'daily-loss',
    });
    expect(governor.check(exitLong('bot-1'), long1)).toEqual({ accepted: true });
    const trip = events.find((event) => event.kind === 'trip')!;
    expect(trip).toMatchObject({ breaker: 'daily-loss', scope: 'account', until: Date.UTC(2026, 0, 6) });
    expect(trip.values.lossPct).toBeCloseTo(5);
    expect(trip.values.dayStartEquity).toBe(10_000);
  });

  it('holds until the next trading day, then recovers with an event', () => {
    const { clock, governor, events } = setup();
    governor.onEquity(10_000);
    governor.onEquity(9_400);
    clock.now = Date.UTC(2026, 0, 5, 23, 59);
    expect(governor.check(entry(), flat).accepted).toBe(false);
    clock.now = Date.UTC(2026, 0, 6, 0, 0);
    expect(governor.check(entry(), flat).accepted).toBe(true);
    governor.tick();
    expect(events.map((event) => `${event.kind} ${event.breaker}`)).toEqual([
      'trip daily-loss',
      'recover daily-loss',
    ]);
    // The new day starts from today's equity: the same equity no longer trips it.
    governor.onEquity(9_400);
    expect(governor.state).toBe('active');
  });

  it('takes the day boundary from the settings', () => {
    const { governor, events } = setup({ dailyLoss: { dayStart: '22:00' } });
    governor.onEquity(10_000);
    governor.onEquity(9_000);
    expect(events[0]!.until).toBe(Date.UTC(2026, 0, 5, 22, 0));
  });
});

describe('loss streak', () => {
  it('3 consecutive losses: the bot cools down 60 minutes, exits only, then resumes', () => {
    const { clock, governor, events } = setup();
    lose(governor);
    lose(governor);
    expect(governor.check(entry(), flat).accepted).toBe(true);
    lose(governor);
    expect(governor.check(entry(), flat)).toMatchObject({
      accepted: false,
      code: 'reducing',
      breaker: 'loss-streak',
    });
    expect(governor.stateFor('bot-1', 'EURUSD')).toBe('reducing');
    expect(governor.check(exitLong(), long1).accepted).toBe(true);
    // Another bot is not held by bot-1's streak.
    expect(governor.check(entry('bot-2'), flat).accepted).toBe(true);
    clock.now += 59 * minute;
    expect(governor.check(entry(), flat).accepted).toBe(false);
    clock.now += minute;
    expect(governor.check(entry(), flat).accepted).toBe(true);
    governor.tick();
    expect(events.at(-1)).toMatchObject({ kind: 'recover', breaker: 'loss-streak', key: 'bot-1' });
  });

  it('a winning trade resets the count', () => {
    const { governor } = setup();
    lose(governor);
    lose(governor);
    lose(governor, 'bot-1', 50);
    lose(governor);
    expect(governor.check(entry(), flat).accepted).toBe(true);
  });
});

describe('volatility', () => {
  it('a bar beyond 3 % pauses entries on its symbol until 5 calm bars', () => {
    const { governor } = setup();
    governor.onBar('EURUSD', bar(100, 100));
    governor.onBar('EURUSD', bar(103.5, 100));
    expect(governor.check(entry(), flat)).toMatchObject({ accepted: false, breaker: 'volatility' });
    expect(governor.check(exitLong(), long1).accepted).toBe(true);
    expect(governor.check(entry('bot-1', 'BTCUSD'), flat).accepted).toBe(true);
    for (let calm = 1; calm <= 4; calm++) {
      governor.onBar('EURUSD', bar(103.5, 103.5));
      expect(governor.check(entry(), flat).accepted).toBe(false);
    }
    governor.onBar('EURUSD', bar(103.6, 103.5));
    expect(governor.check(entry(), flat).accepted).toBe(true);
  });

  it('a new spike while paused starts the calm count again', () => {
    const { governor } = setup();
    governor.onBar('EURUSD', bar(100, 100));
    governor.onBar('EURUSD', bar(104, 100));
    for (let calm = 1; calm <= 4; calm++) governor.onBar('EURUSD', bar(104, 104));
    governor.onBar('EURUSD', bar(100, 104));
    for (let calm = 1; calm <= 4; calm++) governor.onBar('EURUSD', bar(100, 100));
    expect(governor.check(entry(), flat).accepted).toBe(false);
    governor.onBar('EURUSD', bar(100, 100));
    expect(governor.check(entry(), flat).accepted).toBe(true);
  });

  it('measures the range when asked to', () => {
    const wide: Bar = { time: 0, open: 100, high: 103, low: 99.5, close: 100, volume: 1 };
    const byClose = setup();
    byClose.governor.onBar('EURUSD', wide);
    expect(byClose.governor.state).toBe('active');
    const byRange = setup({ volatility: { measure: 'range' } });
    byRange.governor.onBar('EURUSD', wide);
    expect(byRange.governor.check(entry(), flat)).toMatchObject({ accepted: false, breaker: 'volatility' });
  });
});

describe('max drawdown', () => {
  it('20 % below the peak halts the account until the user re-arms it', () => {
    const { clock, governor, events } = setup();
    governor.onEquity(10_000);
    governor.onEquity(12_000);
    clock.now += 1_000 * minute;
    governor.onEquity(9_600);
    expect(governor.check(entry(), flat)).toMatchObject({ code: 'halted', breaker: 'max-drawdown' });
    clock.now += 30 * 24 * 60 * minute;
    governor.tick();
    expect(governor.state).toBe('halted');
    expect(governor.rearm('max-drawdown')).toBe(1);
    expect(governor.state).toBe('active');
    governor.onEquity(9_500);
    expect(governor.state).toBe('active');
    expect(events.map((event) => event.kind)).toEqual(['trip', 'rearm']);
  });
});

describe('order-rate throttle and kill switch', () => {
  it('a runaway bot sending 500 orders in a second gets 10 through; the next second 10 more', () => {
    const { clock, governor } = setup();
    let through = 0;
    for (let i = 0; i < 500; i++) {
      clock.now += 1;
      const decision = governor.admit(entry(), flat);
      if (decision.accepted) through++;
      else expect(decision).toMatchObject({ code: 'rate_limited', breaker: 'order-rate' });
    }
    expect(through).toBe(10);
    clock.now += 1_000;
    let next = 0;
    for (let i = 0; i < 500; i++) if (governor.admit(entry(), flat).accepted) next++;
    expect(next).toBe(10);
  });

  it('a venue connection takes 50 orders a second whatever the number of bots', () => {
    const { clock, governor } = setup();
    let through = 0;
    for (let bot = 0; bot < 100; bot++) {
      for (let i = 0; i < 5; i++) {
        clock.now += 1;
        if (governor.admit(entry(`bot-${bot}`), flat).accepted) through++;
      }
    }
    expect(through).toBe(50);
  });

  it('cancels pass while HALTED and while throttled; the kill switch holds until re-armed', () => {
    const { clock, governor } = setup();
    for (let i = 0; i < 20; i++) governor.admit(entry(), flat);
    governor.trip(killSwitchTrip());
    expect(governor.check(entry(), flat)).toMatchObject({ code: 'halted', breaker: 'kill-switch' });
    expect(governor.check({ ...entry(), action: 'cancel' }, flat).accepted).toBe(true);
    clock.now += 7 * 24 * 60 * minute;
    governor.tick();
    expect(governor.state).toBe('halted');
    expect(governor.check(exitLong(), long1).accepted).toBe(true);
    governor.rearm('kill-switch');
    expect(governor.check(entry(), flat).accepted).toBe(true);
  });
});

describe('settings', () => {
  it('fills in the original design’s defaults', () => {
    expect(breakerSettings()).toEqual({
      dailyLoss: { enabled: true, limitPct: 5, dayStart: '00:00' },
      lossStreak: { enabled: true, losses: 3, cooldownMinutes: 60, scope: 'bot' },
      volatility: { enabled: true, movePct: 3, calmBars: 5, measure: 'close-to-close' },
      maxDrawdown: { enabled: true, limitPct: 20 },
      orderRate: { enabled: true, perBot: 10, perVenue: 50 },
    });
  });

  it('refuses a bad value naming the field and the reason', () => {
    expect(() => breakerSettings({ dailyLoss: { limitPct: -1 } })).toThrow(
      expect.objectContaining({ code: 'invalid_input', message: 'dailyLoss.limitPct: must be above 0 %' }),
    );
    expect(() => breakerSettings({ dailyLoss: { dayStart: '24:00' } })).toThrow(/dailyLoss\.dayStart/);
    expect(() => breakerSettings({ volatility: { calmBars: 2.5 } })).toThrow(/volatility\.calmBars/);
  });

  it('a disabled breaker never trips', () => {
    const { governor } = setup({ dailyLoss: { enabled: false }, maxDrawdown: { enabled: false } });
    governor.onEquity(10_000);
    governor.onEquity(5_000);
    expect(governor.state).toBe('active');
  });
});
