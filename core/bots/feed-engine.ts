// A bot on a live feed (cTrader's spots today): the same StrategyRunner, sizing, risk and paper
// order path as a replayed bot (runner-engine.ts), but the bars come when the market closes them.
// So there is no catch-up and no replay speed: a (re)started bot trades from the next closed bar,
// and its position and cash come back from the journal (the runner books its journaled fills at
// that bar). Ghosts ride along as they do on a replay. When the venue is disconnected for good the
// run ends, and the bot stops saying why.
//
// A bot whose venue is 'live' runs here too, whatever its feed: its own orders go to the real venue
// (`orders`), its ghosts stay on paper beside it. It never replays: its strategy warms up on the
// stored bars before the feed's first (`warmup`), ordering nothing, and trades from the first bar
// that closes while it runs (docs/bots.md).
import type { Bar } from '../domain/bar.ts';
import { defineInstrument, type Instrument } from '../domain/instrument.ts';
import type { Venue } from '../venues/venue.ts';
import type { MarketFeed } from '../feeds/market-feed.ts';
import type { EngineEnd, EngineOptions } from './bot-engine.ts';
import type { BotRecord } from './bot-store.ts';
import { PaperBotEngine } from './paper-bot-engine.ts';
import { checkpointSeat, endedStatuses, openPaperSeat, type PaperSeat } from './paper-seat.ts';

/** What the host hands a live bot: its feed, and the price digits its venue quotes the symbol with. */
export interface LiveFeed {
  feed: MarketFeed & { readonly endReason?: string | null };
  priceDecimals: number;
  /**
   * A bot whose venue is 'live': the venue its own orders go to, and the instrument as that venue
   * lists it (symbol, precision, limits). The bot trades the instrument's symbol there.
   */
  orders?: { venue: Venue; instrument: Instrument } | undefined;
  /** Stored bars before the feed's first, oldest first: every seat's strategy warms up on them. */
  warmup?: readonly Bar[] | undefined;
}

export type FeedEngineOptions = Omit<EngineOptions, 'candles'> & LiveFeed;

export class FeedBotEngine extends PaperBotEngine<FeedEngineOptions, PaperSeat> {
  halt(): void {
    this.halted = true;
    this.options.feed.stop();
  }

  async run(): Promise<EngineEnd> {
    const { bot, feed } = this.options;
    await this.seat(bot);
    for (const ghost of this.options.ghosts) await this.seat(ghost);
    for (const bar of this.options.warmup ?? [])
      for (const seat of this.seats.values()) seat.runner.warm(bar);
    let failure: string | null = null;
    let index = 0;
    const unsubscribe = feed.onBar(async ({ symbol, bar }) => {
      if (symbol !== bot.definition.symbol || failure !== null) return;
      for (const ghost of this.pendingGhosts.splice(0)) await this.seat(ghost);
      failure = await this.stepAll(bar, index++);
      if (failure !== null) feed.stop();
    });
    try {
      const result = await feed.run();
      if (failure === null && !result.stopped && !this.halted) {
        this.checkpoints();
        return { kind: 'finished', message: `The feed ended: ${feed.endReason ?? 'no more bars'}.` };
      }
    } catch (error) {
      failure ??= error instanceof Error ? error.message : String(error);
    } finally {
      unsubscribe();
    }
    this.checkpoints();
    return failure !== null ? { kind: 'failed', error: failure } : { kind: 'halted' };
  }

  /** One closed bar to every seat; the original's failure (the watchdog's case) ends the run. */
  private async stepAll(bar: Bar, index: number): Promise<string | null> {
    for (const seat of this.seats.values()) {
      if (endedStatuses.includes(seat.runner.status)) continue;
      const taken = await this.takeBar(seat, bar, index);
      if (taken.kind === 'end') return taken.end;
      if (taken.kind === 'threw') continue;
      // Every live bar is checkpointed: they come minutes apart, and the count is what the page shows.
      checkpointSeat(this.options, seat);
      this.announceBar(seat, bar, taken.traded);
    }
    return null;
  }

  private async seat(bot: BotRecord): Promise<PaperSeat> {
    const { feed, priceDecimals } = this.options;
    const { definition } = bot;
    // The bot itself on a real venue; a ghost (and a paper bot) on the simulator.
    const real = bot.id === this.options.bot.id ? this.options.orders : undefined;
    // A live bot carries on from its checkpoint: there is no catch-up, so every event is news,
    // to the listener and to the account's breakers alike. It takes no reinvestment policy (as
    // before the seat was shared with the replay engine).
    const seat = await openPaperSeat(
      this.options,
      bot,
      {
        feed,
        // The venue's digits, the bot's lot as the step: what a replay detects from stored candles.
        instrument: (lotSize) =>
          real?.instrument ??
          defineInstrument({
            symbol: definition.symbol,
            venue: 'simulated',
            priceDecimals,
            quantityStep: lotSize,
          }),
        venue: real?.venue,
        riskAlwaysLive: true,
        bars: bot.bars,
        lastBarTime: bot.lastBarTime,
        live: true,
      },
      {},
    );
    // No replay brings the bot's past fills back bar by bar: its account is the journal's now
    // (quietly: they are old news to the page and the breakers).
    seat.live = false;
    seat.runner.bookJournal();
    seat.live = true;
    this.seats.set(bot.id, seat);
    return seat;
  }

  private checkpoints(): void {
    for (const seat of this.seats.values()) checkpointSeat(this.options, seat);
  }
}
