// Re-arming the daily-loss breaker restarts the day's count (issue #12): the loss already made no
// longer trips it at the next mark, a new 5 % from the equity at re-arm does — and a restart of the
// app between the re-arm and that mark keeps the restarted count.
import { describe, expect, it } from 'vitest';
import { breakerSettings, governorFromSettings } from '../../core/risk/breaker-settings.ts';
import { RiskJournal } from '../../core/risk/risk-journal.ts';
import { openDatabase } from '../../core/storage/database.ts';

const monday9 = Date.UTC(2026, 0, 5, 9, 0);
const entry = { owner: 'bot-1', venue: 'sim', symbol: 'EURUSD', side: 'buy' as const, quantity: 1 };
const flat = { position: 0 };

describe('re-arming daily loss', () => {
  it('restarts the day from the next equity heard, across a restart too', () => {
    const db = openDatabase(':memory:');
    const settings = breakerSettings({ dailyLoss: { limitPct: 5 } });
    const clock = { now: monday9 };
    const first = governorFromSettings(settings, () => clock.now);
    const detach = new RiskJournal(db).attach(first);
    first.onEquity(10_000);
    first.onEquity(9_400);
    expect(first.check(entry, flat)).toMatchObject({ accepted: false, breaker: 'daily-loss' });
    expect(first.rearm('daily-loss')).toBe(1);
    detach();

    // The app restarts before the next mark: the restarted count is what it recalls.
    const second = governorFromSettings(settings, () => clock.now);
    new RiskJournal(db).attach(second);
    clock.now += 60_000;
    second.onEquity(9_400);
    second.onEquity(9_000);
    expect(second.check(entry, flat)).toEqual({ accepted: true });
    second.onEquity(8_930); // 5 % below 9,400, the equity when the count restarted
    expect(second.check(entry, flat)).toMatchObject({ accepted: false, breaker: 'daily-loss' });
    db.close();
  });
});
