// Loss streak: after `losses` losing trades in a row (default 3) the bot — or the account or the
// symbol, by `scope` — cools down for `cooldownMinutes` (default 60): only exits pass. A winning or
// break-even trade resets the count; the count restarts after a trip.
import {
  accountKey,
  type Breaker,
  type BreakerHost,
  type BreakerScope,
  type ClosedTrade,
} from './breaker.ts';

export interface LossStreakSettings {
  losses: number;
  cooldownMinutes: number;
  scope: BreakerScope;
}

export class LossStreakBreaker implements Breaker {
  readonly name = 'loss-streak';
  readonly scope: BreakerScope;
  private readonly settings: LossStreakSettings;
  private readonly streaks = new Map<string, number>();

  constructor(settings: LossStreakSettings) {
    this.settings = settings;
    this.scope = settings.scope;
  }

  onTrade(trade: ClosedTrade, host: BreakerHost): void {
    const key = this.scope === 'account' ? accountKey : this.scope === 'bot' ? trade.owner : trade.symbol;
    const streak = trade.pnl < 0 ? (this.streaks.get(key) ?? 0) + 1 : 0;
    if (streak < this.settings.losses) {
      this.setStreak(key, streak, host);
      return;
    }
    this.setStreak(key, 0, host);
    if (host.isTripped(this.name, key)) return;
    const until = host.now() + this.settings.cooldownMinutes * 60_000;
    const whom = this.scope === 'account' ? 'the account' : `${this.scope} ${key}`;
    host.trip({
      breaker: this.name,
      scope: this.scope,
      key,
      state: 'reducing',
      until,
      recovery: `after a ${this.settings.cooldownMinutes}-minute cooldown (${new Date(until).toISOString()})`,
      values: { losses: streak, limit: this.settings.losses, cooldownMinutes: this.settings.cooldownMinutes },
      message: `${streak} losing trades in a row: ${whom} cools down, exits only, until ${new Date(until).toISOString()}`,
    });
  }

  recall(name: string, value: number): void {
    if (name.startsWith('streak:')) this.streaks.set(name.slice('streak:'.length), value);
  }

  private setStreak(key: string, streak: number, host: BreakerHost): void {
    if ((this.streaks.get(key) ?? 0) === streak) return;
    this.streaks.set(key, streak);
    host.remember(this.name, `streak:${key}`, streak);
  }
}
