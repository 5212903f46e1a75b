// A bot on the runtime's StrategyRunner (core/runtime/strategy-runner.ts): the same bar rules,
// sizing, risk and order path as a backtest, so a paper bot's trades are its backtest's. This engine
// owns the feed and drives `runner.step(bar)` itself, for three reasons the runner alone does not
// cover:
//  - resume: the runner resumes by re-running the bot's bars from the first one (the journal's
//    signal keys make those bars send nothing again). The catch-up up to the store's checkpoint runs
//    here at full speed, whatever the bot's replay speed, and its events are not re-announced;
//  - ghosts: each ghost is a runner of its own (its own account, costs and sizing) stepped with the
//    same bars, from the bar its original was at when it was made;
//  - the watchdog names the strategy and the bar that threw.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Bar } from '../domain/bar.ts';
import type { MarketFeed } from '../feeds/market-feed.ts';
import { barAt, firstAfter, ReplayFeed } from '../feeds/replay-feed.ts';
import { ReplayThenLiveFeed } from '../feeds/replay-then-live-feed.ts';
import { timeframeSeconds } from '../storage/timeframe-seconds.ts';
import type { EngineEnd, EngineOptions } from './bot-engine.ts';
import type { BotRecord } from './bot-store.ts';
import { PaperBotEngine } from './paper-bot-engine.ts';
import { checkpointSeat, endedStatuses, openPaperSeat, type PaperSeat } from './paper-seat.ts';

type Seat = PaperSeat & {
  /** The bot takes bars after this time (its start, or where its ghost joined). */
  after: number;
};

export class RunnerBotEngine extends PaperBotEngine<EngineOptions, Seat> {
  private feed: MarketFeed | null = null;

  halt(): void {
    this.halted = true;
    this.feed?.stop();
  }

  async run(): Promise<EngineEnd> {
    const { bot, candles } = this.options;
    const own = await this.seat(bot);
    for (const ghost of this.options.ghosts) await this.seat(ghost);
    const checkpoint = bot.lastBarTime;
    const first = firstAfter(candles.time, own.after);
    const resumeAt = checkpoint === null ? first : firstAfter(candles.time, checkpoint);
    let failure: string | null = null;
    // Catch-up: the bars before the checkpoint again, at full speed and quietly (docs/bots.md).
    for (let i = first; i < resumeAt && failure === null && !this.halted; i++) {
      failure = await this.stepAll(barAt(candles, i), i, false);
      // Let the host breathe (serve must come up, other bots and calls go on) every few bars.
      if ((i - first) % 16 === 15) await yieldToLoop();
    }
    for (const seat of this.seats.values()) seat.live = true;
    if (failure === null && !this.halted) {
      const { definition } = bot;
      const speed =
        definition.barsPerSecond === null
          ? 'max'
          : timeframeSeconds(definition.timeframe) * definition.barsPerSecond;
      const replay = new ReplayFeed(
        [{ symbol: definition.symbol, timeframe: definition.timeframe, candles }],
        {
          speed,
          startAfter: resumeAt > 0 ? candles.time[resumeAt - 1] : undefined,
          // Small batches at full speed: other bots and the host's calls get the event loop often.
          batch: 16,
        },
      );
      // An exchange-fed bot goes on with the live bars after the stored ones (docs/bots.md).
      const { liveFeed } = this.options;
      const had = [candles.time.at(-1), checkpoint, definition.startAfter].filter(
        (t): t is number => typeof t === 'number',
      );
      const feed: MarketFeed =
        liveFeed === undefined
          ? replay
          : new ReplayThenLiveFeed(replay, liveFeed, had.length > 0 ? Math.max(...had) : null);
      this.feed = feed;
      let index = resumeAt;
      feed.onBar(async ({ bar }) => {
        for (const ghost of this.pendingGhosts.splice(0)) await this.seat(ghost, true);
        failure = await this.stepAll(bar, index++, true);
        if (failure !== null) feed.stop();
      });
      try {
        const result = await feed.run();
        if (failure === null && !result.stopped && !this.halted) {
          for (const seat of this.seats.values()) await seat.runner.finish();
          for (const seat of this.seats.values()) checkpointSeat(this.options, seat);
          return { kind: 'finished' };
        }
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
    }
    for (const seat of this.seats.values()) checkpointSeat(this.options, seat);
    return failure !== null ? { kind: 'failed', error: failure } : { kind: 'halted' };
  }

  /** One bar to every bot that takes it; the original's failure (the watchdog's case) ends the run. */
  private async stepAll(bar: Bar, index: number, live: boolean): Promise<string | null> {
    for (const seat of this.seats.values()) {
      if (bar.time <= seat.after || endedStatuses.includes(seat.runner.status)) continue;
      // The catch-up's bars were judged by the breakers before the restart (core/app/bot-risk.ts).
      if (seat.risk !== undefined) seat.risk.feed.live = live;
      const taken = await this.takeBar(seat, bar, index);
      if (taken.kind === 'end') return taken.end;
      if (taken.kind === 'threw' || !live) continue;
      if (taken.traded || seat.bars % (this.options.checkpointEvery ?? 64) === 0)
        checkpointSeat(this.options, seat);
      this.announceBar(seat, bar, taken.traded);
    }
    return null;
  }

  /** A ghost that joins mid-run announces from its first bar: it has no catch-up. */
  private async seat(bot: BotRecord, joining = false): Promise<Seat> {
    const { candles } = this.options;
    const { definition } = bot;
    const seat = await openPaperSeat(
      this.options,
      bot,
      {
        candles,
        reinvestment: definition.reinvestment,
        bars: 0,
        lastBarTime: null,
        live: joining,
      },
      { after: definition.startAfter ?? Number.NEGATIVE_INFINITY },
    );
    this.seats.set(bot.id, seat);
    return seat;
  }
}
