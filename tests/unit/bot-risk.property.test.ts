// A paper bot's breakers on its bars' clock (core/app/bot-risk.ts) as a state machine: random bars
// (time jumps of a minute to half a day, moves of up to ±6 %), losing and winning trades, kill
// switches, re-arms, new settings and restarts of the app. Whatever the sequence:
//  - an entry of the bot is refused whenever a trip holds it (its own or the account's), and
//    accepted when none does; an exit always passes;
//  - a restart or new settings change nothing: the same trips, with the same times (and a restart
//    journals no event).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccountRisk } from '../../core/app/account-risk.ts';
import type { BreakerName } from '../../core/risk/breaker.ts';
import { killSwitchTrip } from '../../core/risk/kill-switch.ts';
import { openDatabase } from '../../core/storage/database.ts';

const owner = 'bot-1';
const start = Date.UTC(2024, 2, 4) / 1000;
const entry = { owner, venue: 'paper', symbol: 'FALL', side: 'buy' as const, quantity: 1 };
const exit = { ...entry, side: 'sell' as const };

type Step =
  | { kind: 'bar'; minutes: number; move: number }
  | { kind: 'trade'; pnl: number }
  | { kind: 'kill' }
  | { kind: 'rearm'; breaker: BreakerName; own: boolean }
  | { kind: 'settings'; limitPct: number }
  | { kind: 'restart' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('bar' as const),
      minutes: fc.integer({ min: 1, max: 720 }),
      move: fc.double({ min: -0.06, max: 0.06, noNaN: true }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('trade' as const), pnl: fc.integer({ min: -100, max: 50 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'kill' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('rearm' as const),
      breaker: fc.constantFrom<BreakerName>(
        'daily-loss',
        'loss-streak',
        'volatility',
        'max-drawdown',
        'kill-switch',
      ),
      own: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('settings' as const), limitPct: fc.constantFrom(3, 5, 8) }),
  },
);

/** What holds the bot, as the app shows it: breaker, state and times. */
function holds(risk: AccountRisk) {
  return risk
    .breakers()
    .flatMap((breaker) => breaker.trips)
    .filter((trip) => trip.scope === 'account' || trip.key === owner)
    .map((trip) => ({
      breaker: trip.breaker,
      state: trip.state,
      at: trip.at,
      until: trip.until,
      clock: trip.clock,
    }))
    .sort((a, b) => a.breaker.localeCompare(b.breaker));
}

describe('a paper bot’s breakers on its bars’ clock', () => {
  it('refuse its entries exactly while a trip holds it, pass its exits, and come back the same after a restart', () => {
    // How often the runs held the bot on its bars' clock, and restarted while it was held.
    const seen = { botTrips: 0, heldRestarts: 0 };
    fc.assert(
      fc.property(fc.array(step, { minLength: 20, maxLength: 80 }), (steps) => {
        const db = openDatabase(':memory:');
        let risk = new AccountRisk({ db });
        // The throttle counts orders: the check is asked here many times a bar-second.
        risk.saveSettings({ orderRate: { enabled: false } });
        let seat = risk.forBot(owner);
        let time = start;
        let price = 100;
        let equity = 10_000;
        const trades: { pnl: number }[] = [];
        for (const s of steps) {
          if (s.kind === 'bar') {
            time += s.minutes * 60;
            const open = price;
            price *= 1 + s.move;
            equity *= 1 + s.move;
            seat.feed.open(time);
            seat.feed.trades(trades);
            seat.feed.close(
              {
                time,
                open,
                high: Math.max(open, price),
                low: Math.min(open, price),
                close: price,
                volume: 1,
              },
              equity,
            );
          } else if (s.kind === 'trade') {
            trades.push({ pnl: s.pnl });
          } else if (s.kind === 'kill') {
            risk.governor.trip(killSwitchTrip());
          } else if (s.kind === 'settings') {
            // New settings rebuild every breaker; the trips in force stay.
            const before = holds(risk);
            risk.saveSettings({ dailyLoss: { limitPct: s.limitPct }, orderRate: { enabled: false } });
            expect(holds(risk)).toEqual(before);
          } else if (s.kind === 'rearm') {
            risk.rearm(s.breaker, s.own ? owner : undefined);
          } else {
            const before = holds(risk);
            if (before.some((trip) => trip.clock === 'bars')) seen.heldRestarts++;
            const events = risk.history(10_000).length;
            // The bot's engine checkpoints when its run ends: the counters are kept there.
            seat.feed.flush();
            risk.close();
            risk = new AccountRisk({ db });
            risk.botReached(owner, time * 1000);
            seat = risk.forBot(owner);
            // The runner's next run counts its trades from the first again; these are done.
            seat.feed.restart();
            seat.feed.live = false;
            seat.feed.trades(trades);
            seat.feed.live = true;
            expect(holds(risk)).toEqual(before);
            expect(risk.history(10_000)).toHaveLength(events);
          }
          const held = holds(risk).length > 0;
          if (holds(risk).some((trip) => trip.clock === 'bars')) seen.botTrips++;
          expect(seat.governor.admit(entry, { position: 0 }).accepted).toBe(!held);
          expect(seat.governor.admit(exit, { position: 1 }).accepted).toBe(true);
        }
        risk.close();
        db.close();
      }),
      { numRuns: 100 },
    );
    expect(seen.botTrips).toBeGreaterThan(100);
    expect(seen.heldRestarts).toBeGreaterThan(10);
  });
});
