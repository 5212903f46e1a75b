// The risk journal across restarts of the app, with a real SQLite file and an injected clock: a
// trip from before a crash still holds after it, a cooldown that ran out while the app was closed
// is recovered at start with an event saying so, and the history keeps every trip, recovery and
// re-arm with what tripped it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { governorFromSettings } from '../../core/risk/breaker-settings.ts';
import { killSwitchTrip } from '../../core/risk/kill-switch.ts';
import { RiskJournal } from '../../core/risk/risk-journal.ts';
import type { RiskIntent } from '../../core/risk/risk-governor.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';

const minute = 60_000;
const t0 = Date.UTC(2026, 0, 5, 9, 0);
const entry: RiskIntent = { owner: 'bot-1', venue: 'sim', symbol: 'EURUSD', side: 'buy', quantity: 1 };

let dir: string;
const opened: Database[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'autobot-risk-'));
});
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One start of the app at `now`: the file opened, the governor built and its trips restored. */
function start(now: number) {
  const db = openDatabase(path.join(dir, 'autobot.db'));
  opened.push(db);
  const clock = { now };
  const governor = governorFromSettings({}, () => clock.now);
  const journal = new RiskJournal(db);
  journal.attach(governor);
  return { db, clock, governor, journal };
}

function threeLosses(governor: ReturnType<typeof start>['governor']): void {
  for (let i = 0; i < 3; i++) governor.onTrade({ owner: 'bot-1', symbol: 'EURUSD', pnl: -10 });
}

describe('risk journal', () => {
  it('a cooldown tripped before a crash still holds after a restart inside it', () => {
    const first = start(t0);
    threeLosses(first.governor);
    expect(first.governor.check(entry, { position: 0 }).accepted).toBe(false);
    // A crash: nothing is shut down cleanly, the next start just opens the file again.
    const second = start(t0 + 30 * minute);
    expect(second.governor.check(entry, { position: 0 })).toMatchObject({
      accepted: false,
      code: 'reducing',
      breaker: 'loss-streak',
    });
    expect(second.journal.events().map((event) => event.kind)).toEqual(['trip']);
    // …and it still ends on time.
    second.clock.now = t0 + 60 * minute;
    second.governor.tick();
    expect(second.governor.check(entry, { position: 0 }).accepted).toBe(true);
    expect(second.journal.events().map((event) => event.kind)).toEqual(['trip', 'recover']);
  });

  it('a cooldown that ran out while the app was closed is recovered at start, with an event saying so', () => {
    const first = start(t0);
    threeLosses(first.governor);
    first.db.close();
    const later = t0 + 3 * 60 * minute;
    const second = start(later);
    expect(second.governor.check(entry, { position: 0 }).accepted).toBe(true);
    const [trip, recovery] = second.journal.events();
    expect(trip).toMatchObject({
      kind: 'trip',
      breaker: 'loss-streak',
      key: 'bot-1',
      until: t0 + 60 * minute,
    });
    expect(recovery).toMatchObject({ kind: 'recover', breaker: 'loss-streak', key: 'bot-1', time: later });
    expect(recovery!.message).toMatch(/while AUTOBOT was closed/);
    // The next start finds nothing to recover.
    start(later + minute);
    expect(second.journal.events()).toHaveLength(2);
  });

  it('keeps a kill switch across restarts until re-armed, and journals the re-arm', () => {
    const first = start(t0);
    first.governor.trip(killSwitchTrip());
    const second = start(t0 + 10 * 24 * 60 * minute);
    expect(second.governor.state).toBe('halted');
    second.governor.rearm('kill-switch');
    const third = start(t0 + 11 * 24 * 60 * minute);
    expect(third.governor.state).toBe('active');
    expect(third.journal.events().map((event) => `${event.kind} ${event.breaker}`)).toEqual([
      'trip kill-switch',
      'rearm kill-switch',
    ]);
  });

  it('records what tripped a breaker and when it is expected to recover', () => {
    const { governor, journal } = start(t0);
    governor.onEquity(10_000);
    governor.onEquity(9_400);
    const [trip] = journal.events();
    expect(trip).toMatchObject({
      kind: 'trip',
      breaker: 'daily-loss',
      scope: 'account',
      state: 'halted',
      time: t0,
      until: Date.UTC(2026, 0, 6),
      values: { lossPct: 6, limitPct: 5, dayStartEquity: 10_000, equity: 9_400 },
    });
  });
});

describe('remembered counters', () => {
  it('a drawdown counts from the peak reached before the restart', () => {
    const first = start(t0);
    first.governor.onEquity(10_000);
    first.governor.onEquity(12_500);
    first.governor.onEquity(11_000);
    const second = start(t0 + 2 * 24 * 60 * minute);
    second.governor.onEquity(10_000);
    expect(second.governor.check(entry, { position: 0 })).toMatchObject({ breaker: 'max-drawdown' });
    expect(second.journal.events()[0]!.values).toMatchObject({ peak: 12_500, equity: 10_000 });
  });

  it('after a re-arm the restart counts from the re-armed equity, not the old peak', () => {
    const first = start(t0);
    first.governor.onEquity(10_000);
    first.governor.onEquity(7_900);
    first.governor.rearm('max-drawdown');
    const second = start(t0 + minute);
    second.governor.onEquity(7_800);
    // (The day's loss still holds the account; the drawdown does not trip again.)
    expect(second.governor.activeTrips().map((trip) => trip.breaker)).toEqual(['daily-loss']);
  });

  it('the day’s loss and a loss streak in progress carry over a restart within the day', () => {
    const first = start(t0);
    first.governor.onEquity(10_000);
    first.governor.onEquity(9_700);
    first.governor.onTrade({ owner: 'bot-1', symbol: 'EURUSD', pnl: -10 });
    first.governor.onTrade({ owner: 'bot-1', symbol: 'EURUSD', pnl: -10 });
    const second = start(t0 + 60 * minute);
    second.governor.onTrade({ owner: 'bot-1', symbol: 'EURUSD', pnl: -10 });
    expect(second.governor.check(entry, { position: 0 })).toMatchObject({ breaker: 'loss-streak' });
    second.governor.onEquity(9_500);
    expect(second.governor.check(entry, { position: 0 })).toMatchObject({ breaker: 'daily-loss' });
    expect(second.journal.events().at(-1)!.values).toMatchObject({ dayStartEquity: 10_000 });
  });
});
