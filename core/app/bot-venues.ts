// The real venues a host lends to bots whose venue is 'live' (core/bots/bot-supervisor.ts): the
// cTrader environment of a cTrader feed, the exchange of an exchange feed. One venue per exchange,
// REST base, test network and key, whatever number of bots use it: one ccxt instance, one limiter
// (exchange-registry.ts), one stream of order updates, and one Reconciler that settles the journal
// against it at connect, after every reconnect and every 30 s while orders are in flight
// (core/orders/reconciler.ts). The last bot to let go of an exchange venue disconnects it; a cTrader
// session belongs to the Account page and stays.
import type { BotRecord } from '../bots/bot-store.ts';
import type { LiveVenue } from '../bots/bot-supervisor.ts';
import { AutobotError } from '../domain/autobot-error.ts';
import type { Instrument } from '../domain/instrument.ts';
import type { OrderJournal } from '../orders/order-journal.ts';
import { Reconciler, type ReconcilerOptions } from '../orders/reconciler.ts';
import type { RiskGovernor } from '../risk/risk-governor.ts';
import type { ApiKeyVault } from '../secrets/api-key-vault.ts';
import type { Database } from '../storage/database.ts';
import { CcxtVenue } from '../venues/ccxt/ccxt-venue.ts';
import { connectedCTraderVenue } from './connected-ctrader-venue.ts';
import type { ExchangeRegistry } from '../venues/ccxt/exchange-registry.ts';
import type { CTraderAccounts } from '../venues/ctrader/ctrader-accounts.ts';
import type { Venue } from '../venues/venue.ts';

export interface BotVenuesOptions {
  ctrader: Pick<CTraderAccounts, 'venue'>;
  vault: Pick<ApiKeyVault, 'reveal'>;
  db: Database;
  /** The journal of record (the bots'). */
  journal: OrderJournal;
  /** Adoptions hold the account REDUCING until acknowledged (breaker `reconcile`). */
  governor?: Pick<RiskGovernor, 'trip' | 'rearm'> | undefined;
  /** Appends what reconciliation finds through the bot that owns the order (BotSupervisor.record). */
  record?: ReconcilerOptions['record'];
  /** Reconciliation while orders are in flight, ms (default 30,000); tests shorten it. */
  reconcileEveryMs?: number | undefined;
  /** The ccxt instances (default: the process-wide registry the feeds and Account page share). */
  registry?: ExchangeRegistry | undefined;
  /** REST poll of in-flight exchange orders, ms (the venue's default 2,000); tests shorten it. */
  pollIntervalMs?: number | undefined;
  log?: (message: string, detail?: unknown) => void;
}

interface Shared {
  venue: Venue;
  reconciler: Reconciler;
  /** The exchange symbols its bots trade: their base assets are its positions. */
  symbols: string[];
  users: number;
  /** Disconnects when the last user lets go (an exchange's); a cTrader session stays. */
  owned: boolean;
}

export class BotVenues {
  private readonly options: BotVenuesOptions;
  private readonly shared = new Map<string, Promise<Shared>>();
  /** The venues open now, for close() to stop at once. */
  private readonly open = new Set<Shared>();

  constructor(options: BotVenuesOptions) {
    this.options = options;
  }

  /** The venue a live bot trades on, connected, with its symbol as listed there. */
  async forBot(bot: BotRecord): Promise<LiveVenue> {
    const { feed } = bot.definition;
    if (feed.kind === 'replay')
      throw new AutobotError('invalid_input', `Bot ${bot.id} replays stored bars: it has no live venue.`);
    // A cTrader bot's session, checked for every bot (connected, on the account it names).
    const session = feed.kind === 'ctrader' ? connectedCTraderVenue(this.options.ctrader, bot).venue : null;
    const key =
      feed.kind === 'ctrader'
        ? `ctrader:${feed.environment}`
        : `${feed.exchange}|${feed.apiUrl ?? ''}|${feed.sandbox ? 'sandbox' : 'live'}`;
    let entry = this.shared.get(key);
    if (entry === undefined) {
      entry = session !== null ? this.reconciled(session, [], false) : this.openExchange(bot);
      this.shared.set(key, entry);
      entry.catch(() => this.shared.delete(key));
    }
    const shared = await entry;
    const symbol = feed.kind === 'exchange' ? feed.symbol : bot.definition.symbol;
    if (!shared.symbols.includes(symbol)) shared.symbols.push(symbol);
    shared.users++;
    let instrument: Instrument;
    try {
      instrument = await this.instrumentOf(shared.venue, symbol);
    } catch (error) {
      await this.release(key, shared);
      throw error;
    }
    let released = false;
    return {
      venue: shared.venue,
      instrument,
      release: () => {
        if (released) return;
        released = true;
        void this.release(key, shared);
      },
    };
  }

  /**
   * Stops every reconciler and disconnects the exchanges (the host is closing). The timers stop
   * before this returns its promise: a host closing its database right after starts no new run.
   */
  async close(): Promise<void> {
    this.shared.clear();
    const open = [...this.open];
    this.open.clear();
    // Each stop() clears its timer before its first await, so all are stopped when this returns.
    await Promise.all(
      open.map(async (shared) => {
        await shared.reconciler.stop();
        if (shared.owned) await shared.venue.disconnect().catch(() => undefined);
      }),
    );
  }

  private async release(key: string, shared: Shared): Promise<void> {
    if (--shared.users > 0 || this.shared.get(key) === undefined) return;
    this.shared.delete(key);
    this.open.delete(shared);
    await shared.reconciler.stop();
    if (shared.owned) await shared.venue.disconnect();
  }

  private async openExchange(bot: BotRecord): Promise<Shared> {
    const { feed } = bot.definition;
    if (feed.kind !== 'exchange') throw new RangeError('not an exchange bot');
    const credential = await this.options.vault.reveal(feed.exchange);
    const symbols: string[] = [];
    const venue = new CcxtVenue({
      exchange: feed.exchange,
      apiKey: credential.key,
      secret: credential.secret,
      password: credential.passphrase,
      apiUrl: feed.apiUrl,
      sandbox: feed.sandbox,
      registry: this.options.registry,
      // Order updates by stream where the exchange has one; REST polling stays the safety net.
      streams: true,
      // Read on every reconciliation: bots that join later add theirs.
      symbols,
      symbolOf: (id) => this.options.journal.get(id)?.intent.symbol,
      ...(this.options.pollIntervalMs !== undefined ? { pollIntervalMs: this.options.pollIntervalMs } : {}),
    });
    try {
      await venue.connect();
    } catch (error) {
      await venue.disconnect().catch(() => undefined);
      const why = error instanceof Error ? error.message : String(error);
      // Unreachable now is a wait, not a fault: a resumed bot is paused saying so (bot-supervisor.ts).
      throw new AutobotError(
        'conflict',
        `${venue.id} could not be reached (${why}): check the key on the Account page, then start bot ${bot.id} again.`,
      );
    }
    return this.reconciled(venue, symbols, true);
  }

  /**
   * The connect reconciliation before any bot trades: what the venue did while we were away is in
   * the journal first (fills, cancels, orders lost or never sent).
   */
  private async reconciled(venue: Venue, symbols: string[], owned: boolean): Promise<Shared> {
    const reconciler = new Reconciler({
      db: this.options.db,
      journal: this.options.journal,
      venue,
      // cTrader has no acknowledgement on the Account page yet: its adoptions are saved and shown,
      // but do not hold the account REDUCING (an exchange's do, until Acknowledge).
      governor: owned ? this.options.governor : undefined,
      record: this.options.record,
      ...(this.options.reconcileEveryMs !== undefined ? { intervalMs: this.options.reconcileEveryMs } : {}),
    });
    const run = await reconciler.start();
    if (run.error !== null) this.options.log?.(`reconciliation of ${venue.id} could not finish`, run.error);
    const shared: Shared = { venue, reconciler, symbols, users: 0, owned };
    this.open.add(shared);
    return shared;
  }

  private async instrumentOf(venue: Venue, symbol: string): Promise<Instrument> {
    const found = (await venue.instruments()).find((instrument) => instrument.symbol === symbol);
    if (found !== undefined) return found;
    const message = `${venue.id} does not list "${symbol}"`;
    throw new AutobotError('invalid_input', message, { issues: [{ path: 'symbol', message }] });
  }
}
