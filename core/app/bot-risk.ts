// A paper bot's circuit breakers, judged on its BARS' clock and journaled in the account's risk
// journal (issue #12). A replay's bars carry historical times: judged on the wall clock, a daily
// loss made in a 2024 replay would be "yesterday's" at once, and a trip made on the bars' clock
// must not halt the whole account on today's wall clock either. So each bot has a governor of its
// own (the account's breakers and settings, the clock set to the bar being processed), and its
// trips hold that bot only:
//
//  - journaled with scope 'bot', the bot's owner as key, clock 'bars' (migration 15); times are the
//    bars' (epoch ms), so the history shows when in the market it happened;
//  - inside the bot's governor every trip is the account's ('*' for owner and symbol): the governor
//    sees one bot on one symbol, so a trip of any scope holds all of its orders;
//  - the counters (start-of-day equity, peak, streak) are remembered under "<owner>/<name>", written
//    at the bot's checkpoints (`flush`), not per bar: a daily-bar replay starts a trading day every
//    bar, and the store's checkpoint is where a resumed bot carries on from, so the counters are
//    kept as they were there;
//  - restored at app start from the journal, and held until the bars' clock passes their time (the
//    bars' clock does not move while AUTOBOT is closed) or the user re-arms them.
//
// While a resumed bot re-runs the bars it had done (the quiet catch-up, runner-engine.ts) nothing is
// shown to the breakers: those bars were judged before the restart, and the journal holds the result.
import type { Bar } from '../domain/bar.ts';
import {
  accountKey,
  type BreakerMemory,
  type BreakerName,
  type RiskEvent,
  type Trip,
} from '../risk/breaker.ts';
import type { BreakerSettings } from '../risk/breaker-settings-schema.ts';
import { governorFromSettings } from '../risk/breaker-settings.ts';
import type { RiskJournal } from '../risk/risk-journal.ts';
import type { GovernorDecision, RiskContext, RiskGovernor, RiskIntent } from '../risk/risk-governor.ts';
import { nextTradingDay, parseDayStart } from '../risk/trading-day.ts';
import type { BarRiskFeed } from '../runtime/bar-risk-feed.ts';

/** A trip of a bot as the app shows it: held on the bot's bars' clock, reading `now` there. */
export interface BotTrip extends Omit<Trip, 'refusal'> {
  clock: 'bars';
  /** The bot's bars' clock (epoch ms): countdowns run from it. */
  now: number;
}

export class BotRisk implements BarRiskFeed {
  readonly owner: string;
  /** False while a resumed bot re-runs bars it had done: they are not shown to the breakers again. */
  live = true;
  private readonly journal: RiskJournal;
  private readonly onEvent: (event: RiskEvent) => void;
  private governor: RiskGovernor;
  private detach: () => void = () => {};
  /** Epoch ms of the bar being processed (the latest the bot reached). */
  private now: number;
  private seenTrades = 0;
  private shownEquity = Number.NaN;
  private nextDay = Number.NEGATIVE_INFINITY;
  private dayStart = 0;
  /** Counters changed since the last checkpoint, latest value per breaker and name. */
  private readonly unsaved = new Map<string, BreakerMemory>();

  constructor(options: {
    owner: string;
    settings: BreakerSettings;
    journal: RiskJournal;
    /** Every trip, recovery and re-arm, after it is journaled. */
    onEvent: (event: RiskEvent) => void;
    /** The bars' clock before the bot's next bar (epoch ms): its last journaled event's time. */
    now: number;
  }) {
    this.owner = options.owner;
    this.journal = options.journal;
    this.onEvent = options.onEvent;
    this.now = options.now;
    this.governor = this.build(options.settings);
  }

  /** The pre-trade check on the bars' clock: the bot's orders pass it after the account's. */
  admit(intent: RiskIntent, context: RiskContext): GovernorDecision {
    return this.governor.admit({ ...intent, owner: accountKey, symbol: accountKey }, context);
  }

  open(time: number): void {
    if (this.live) this.now = time * 1000;
  }

  trades(closed: readonly { pnl: number }[]): void {
    for (; this.seenTrades < closed.length; this.seenTrades++) {
      if (this.live)
        this.governor.onTrade({ owner: accountKey, symbol: accountKey, pnl: closed[this.seenTrades]!.pnl });
    }
  }

  close(bar: Bar, equity: number): void {
    if (!this.live) return;
    const now = this.now;
    this.governor.onBar(accountKey, bar);
    // As the backtest does: equity when it changed, and on each trading day's first bar.
    if (equity !== this.shownEquity || now >= this.nextDay) {
      this.shownEquity = equity;
      if (now >= this.nextDay) this.nextDay = nextTradingDay(now, this.dayStart);
      this.governor.onEquity(equity);
    }
  }

  /**
   * The bot's last finished bar (epoch ms), from its store at app start: the clock its countdowns
   * read until it runs again. Never moves the clock back.
   */
  reached(time: number): void {
    if (time > this.now) this.now = time;
  }

  /** A new run of the bot (a start or a resume): its trades are counted from the first again. */
  restart(): void {
    this.seenTrades = 0;
    this.shownEquity = Number.NaN;
    this.nextDay = Number.NEGATIVE_INFINITY;
  }

  /** The trips in force on the bot's bars' clock, as the app shows them. */
  trips(): BotTrip[] {
    return this.governor.activeTrips().map(({ refusal: _, ...trip }) => ({
      ...trip,
      scope: 'bot',
      key: this.owner,
      clock: 'bars',
      now: this.now,
    }));
  }

  rearm(breaker: BreakerName): number {
    const lifted = this.governor.rearm(breaker);
    // A re-arm is the user's: what it reset is kept at once, not at the next checkpoint.
    this.flush();
    return lifted;
  }

  /** The bot checkpointed: the counters as they are now are the ones a resume starts from. */
  flush(): void {
    if (this.unsaved.size === 0) return;
    this.journal.rememberAll(this.unsaved.values(), this.now);
    this.unsaved.clear();
  }

  /** New settings: the breakers are rebuilt, the trips in force stay (from the journal). */
  rebuild(settings: BreakerSettings): void {
    // The new breakers recall the counters from the journal: keep the latest first.
    this.flush();
    this.detach();
    this.governor = this.build(settings);
  }

  /** Stops journaling (the app closes). */
  dispose(): void {
    this.detach();
  }

  private build(settings: BreakerSettings): RiskGovernor {
    const governor = governorFromSettings(settings, () => this.now);
    this.dayStart = parseDayStart(settings.dailyLoss.dayStart);
    const prefix = `${this.owner}/`;
    governor.recall(
      this.journal
        .memories()
        .filter((memory) => memory.name.startsWith(prefix))
        .map((memory) => ({ ...memory, name: memory.name.slice(prefix.length) })),
    );
    const stopEvents = governor.onEvent((event) => {
      // Journal first, then tell: a listener reading the state sees the journaled event.
      this.journal.record({ ...event, scope: 'bot', key: this.owner }, 'bars');
      this.onEvent(event);
    });
    const stopMemory = governor.onMemory((memory) =>
      this.unsaved.set(`${memory.breaker}/${memory.name}`, { ...memory, name: `${prefix}${memory.name}` }),
    );
    governor.restore(
      this.journal
        .trips('bars')
        .filter((trip) => trip.key === this.owner)
        .map((trip) => ({ ...trip, scope: 'account', key: accountKey })),
    );
    this.detach = () => {
      stopEvents();
      stopMemory();
    };
    return governor;
  }
}
