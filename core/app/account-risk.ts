// The app's ONE risk governor (issue #12). Made once per app by createApp: its breakers come from
// the settings saved in SQLite (risk_settings), its trips in force from the risk journal
// (RiskJournal.attach: a trip from before a crash holds; one whose time ran out while the app was
// closed recovers now, with an event saying so). Every order router the app makes comes from
// `router()`, which wires this governor into it and registers it, so the kill switch reaches every
// bot on every venue. New settings rebuild the breakers (a breaker's class is fixed at construction)
// and re-attach the journal, so the trips in force carry over; routers hold a door to whichever
// governor is current, never the object itself.
//
// Paper bots (core/bots) are held twice: by this governor on the wall clock (the kill switch, an
// account trip), and by a governor of their own on their bars' clock (bot-risk.ts), which their
// equity, closed trades and bars feed. `forBot` makes or finds that one; its trips are journaled
// here and shown with the account's.
import type { Database } from '../storage/database.ts';
import { OrderRouter, type FlattenReport, type OrderRouterOptions } from '../orders/order-router.ts';
import { RouterRegistry } from '../orders/router-registry.ts';
import type { BreakerName, RiskEvent, Trip } from '../risk/breaker.ts';
import { breakerNames } from '../risk/breaker-settings-schema.ts';
import { breakerSettings, governorFromSettings, type BreakerSettings } from '../risk/breaker-settings.ts';
import { killSwitchTrip } from '../risk/kill-switch.ts';
import { RiskJournal, type JournaledRiskEvent } from '../risk/risk-journal.ts';
import type {
  GovernorDecision,
  RiskContext,
  RiskGovernor,
  RiskIntent,
  TradingState,
} from '../risk/risk-governor.ts';
import { BotRisk, type BotTrip } from './bot-risk.ts';

export interface AccountRiskOptions {
  db: Database;
  /** Epoch ms; tests inject one and move it instead of waiting. */
  clock?: () => number;
  /** Every trip, recovery, re-arm and settings change, after it is journaled. */
  onChange?: (change: { kind: RiskEvent['kind'] | 'settings'; breaker?: BreakerName }) => void;
}

/** A trip as the app shows it: on the wall clock (the account's governor) or a bot's bars' clock. */
export type TripView = (Omit<Trip, 'refusal'> & { clock: 'wall' }) | BotTrip;

export interface BreakerView {
  name: BreakerName;
  enabled: boolean;
  state: TradingState;
  trips: TripView[];
}

/** What a bot's order router consults, and what its runner feeds (core/bots/runner-engine.ts). */
export interface BotRiskSeat {
  /** The account's governor (wall clock), then the bot's own (its bars' clock). */
  governor: { admit(intent: RiskIntent, context: RiskContext): GovernorDecision };
  feed: BotRisk;
}

/** Setting-less breakers are always on: the kill switch cannot be disabled. */
function enabled(settings: BreakerSettings, name: BreakerName): boolean {
  switch (name) {
    case 'daily-loss':
      return settings.dailyLoss.enabled;
    case 'loss-streak':
      return settings.lossStreak.enabled;
    case 'volatility':
      return settings.volatility.enabled;
    case 'max-drawdown':
      return settings.maxDrawdown.enabled;
    case 'order-rate':
      return settings.orderRate.enabled;
    case 'kill-switch':
    case 'reconcile':
      return true;
  }
}

/** Longest a timer may wait in Node (about 24.8 days); a later recovery re-arms the timer. */
const maxTimerMs = 2 ** 31 - 1;

export class AccountRisk {
  readonly registry = new RouterRegistry();
  readonly clock: () => number;
  private readonly db: Database;
  private readonly journal: RiskJournal;
  private readonly onChange: AccountRiskOptions['onChange'];
  private current: RiskGovernor;
  private currentSettings: BreakerSettings;
  private detach: () => void;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  /** Each bot's breakers on its bars' clock, by owner: made at start for the trips in force, else on first use. */
  private readonly bots = new Map<string, BotRisk>();

  constructor(options: AccountRiskOptions) {
    this.db = options.db;
    this.clock = options.clock ?? Date.now;
    this.onChange = options.onChange;
    this.journal = new RiskJournal(options.db);
    this.currentSettings = this.loadSettings();
    const { governor, detach } = this.build(this.currentSettings);
    this.current = governor;
    this.detach = detach;
    this.schedule();
    // Bots with a bars-clock trip in force show it from the start, before they run again.
    const last = new Map<string, number>();
    for (const event of this.journal.events())
      if (event.clock === 'bars') last.set(event.key, Math.max(last.get(event.key) ?? 0, event.time));
    for (const trip of this.journal.trips('bars')) this.botRisk(trip.key, last.get(trip.key) ?? trip.at);
  }

  /**
   * The seat of a bot's order router: the account's governor on the wall clock first (a kill
   * switch or an account trip refuses here, named), then the bot's breakers on its bars' clock. The
   * account's governor is only asked (`check`): its order-rate throttle counts wall-clock orders,
   * and a replay's orders are counted on the bars' clock by the bot's own.
   */
  forBot(owner: string): BotRiskSeat {
    const feed = this.botRisk(owner, 0);
    return {
      feed,
      governor: {
        admit: (intent, context) => {
          const account = this.current.check(intent, context);
          return account.accepted ? feed.admit(intent, context) : account;
        },
      },
    };
  }

  /**
   * At start: where a bot's replay stopped (epoch ms), so a bars-clock trip rebuilt from the journal
   * counts down from there rather than from its last event. Only bots with such a trip are kept.
   */
  botReached(owner: string, time: number): void {
    this.bots.get(owner)?.reached(time);
  }

  private botRisk(owner: string, now: number): BotRisk {
    let bot = this.bots.get(owner);
    if (bot === undefined) {
      bot = new BotRisk({
        owner,
        settings: this.currentSettings,
        journal: this.journal,
        now,
        onEvent: (event) => this.onChange?.({ kind: event.kind, breaker: event.breaker }),
      });
      this.bots.set(owner, bot);
    }
    return bot;
  }

  /** The governor in force: read it per use, as new settings replace it. */
  get governor(): RiskGovernor {
    return this.current;
  }

  get settings(): BreakerSettings {
    return this.currentSettings;
  }

  /**
   * An order router for the app, consulting the account's governor and registered for the kill
   * switch; `close()` on the returned router's handle unregisters it.
   */
  router(options: Omit<OrderRouterOptions, 'governor'>): { router: OrderRouter; close(): void } {
    const router = new OrderRouter({
      ...options,
      governor: { admit: (intent, context) => this.current.admit(intent, context) },
    });
    const unregister = this.registry.register(router);
    return {
      router,
      close: () => {
        unregister();
        router.close();
      },
    };
  }

  /** Validates (invalid_input naming the field), saves, and rebuilds the breakers; trips in force stay. */
  saveSettings(input: unknown): BreakerSettings {
    const settings = breakerSettings(input);
    this.db
      .prepare(
        `INSERT INTO risk_settings (id, settings, updated_at) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
      )
      .run(JSON.stringify(settings), this.clock());
    this.detach();
    const { governor, detach } = this.build(settings);
    this.current = governor;
    this.detach = detach;
    this.currentSettings = settings;
    for (const bot of this.bots.values()) bot.rebuild(settings);
    this.schedule();
    this.onChange?.({ kind: 'settings' });
    return settings;
  }

  /** Ends the trips whose time is up (each with its recovery event), then the account's state. */
  state(): TradingState {
    this.current.tick();
    return this.current.state;
  }

  /** Each breaker, its trips in force and the state they hold it in, after a tick. */
  breakers(): BreakerView[] {
    this.current.tick();
    const trips: TripView[] = this.current
      .activeTrips()
      .map(({ refusal: _, ...trip }) => ({ ...trip, clock: 'wall' as const }));
    for (const bot of this.bots.values()) trips.push(...bot.trips());
    return breakerNames.map((name) => {
      const own = trips.filter((trip) => trip.breaker === name);
      const state: TradingState = own.some((trip) => trip.state === 'halted')
        ? 'halted'
        : own.length > 0
          ? 'reducing'
          : 'active';
      return { name, enabled: enabled(this.currentSettings, name), state, trips: own };
    });
  }

  /** The journal, newest first, each event with the clock it was judged on. */
  history(limit: number): JournaledRiskEvent[] {
    return this.journal.events().reverse().slice(0, limit);
  }

  /**
   * The kill switch: HALTED first (so no entry slips in while it works), then every registered
   * router cancels its owner's open orders and closes its positions. Returns each router's report.
   */
  async killSwitch(reason?: string): Promise<FlattenReport[]> {
    this.current.trip(killSwitchTrip(reason === undefined || reason === '' ? undefined : reason));
    const reports: FlattenReport[] = [];
    for (const router of this.registry.list()) reports.push(await router.flattenAll());
    return reports;
  }

  /**
   * Lifts a breaker's trips by hand; how many were lifted. A bot's owner as `key` lifts that bot's
   * bars-clock trips; no key lifts the breaker everywhere, the bots' included.
   */
  rearm(breaker: BreakerName, key?: string): number {
    const bot = key === undefined ? undefined : this.bots.get(key);
    if (bot !== undefined) return bot.rearm(breaker) + this.current.rearm(breaker, key);
    let lifted = this.current.rearm(breaker, key);
    if (key === undefined) for (const each of this.bots.values()) lifted += each.rearm(breaker);
    return lifted;
  }

  close(): void {
    this.closed = true;
    for (const bot of this.bots.values()) bot.dispose();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.detach();
  }

  private loadSettings(): BreakerSettings {
    const row = this.db.prepare('SELECT settings FROM risk_settings WHERE id = 1').get() as
      { settings: string } | undefined;
    // Validated on the way out too: a row an older version wrote gains the new defaults.
    return breakerSettings(row === undefined ? {} : JSON.parse(row.settings));
  }

  private build(settings: BreakerSettings): { governor: RiskGovernor; detach: () => void } {
    const governor = governorFromSettings(settings, this.clock);
    // Journal first (attach), then tell: a listener that reads the state sees the journaled event.
    const detachJournal = this.journal.attach(governor);
    const stopListening = governor.onEvent((event) => {
      this.onChange?.({ kind: event.kind, breaker: event.breaker });
      this.schedule();
    });
    return {
      governor,
      detach: () => {
        stopListening();
        detachJournal();
      },
    };
  }

  /**
   * Wakes at the nearest expected recovery so it is journaled and announced when it is due, even
   * with no order or market data flowing. Unref'd: a pending recovery never keeps a host alive.
   */
  private schedule(): void {
    if (this.closed) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    let next = Infinity;
    for (const trip of this.current.activeTrips()) if (trip.until !== null) next = Math.min(next, trip.until);
    if (next === Infinity) return;
    const wait = Math.min(Math.max(next - this.clock(), 0), maxTimerMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.current.tick();
      this.schedule();
    }, wait);
    this.timer.unref?.();
  }
}
