// A bot on a live feed (cTrader's spots today): the same StrategyRunner, sizing, risk and paper
// order path as a replayed bot (runner-engine.ts), but the bars come when the market closes them.
// So there is no catch-up and no replay speed: a (re)started bot trades from the next closed bar,
// and its position and cash come back from the journal (the runner books its journaled fills at
// that bar). Ghosts ride along as they do on a replay. When the venue is disconnected for good the
// run ends, and the bot stops saying why.
import { simulationConfig } from '../backtest/engine.ts';
import { backtestSpecSchema } from '../backtest/spec.ts';
import type { Bar } from '../domain/bar.ts';
import { defineInstrument } from '../domain/instrument.ts';
import type { MarketFeed } from '../feeds/market-feed.ts';
import type { AccountPortfolio } from '../portfolio/account-portfolio.ts';
import { StrategyRunner } from '../runtime/strategy-runner.ts';
import type { BotEngine, EngineEnd, EngineOptions } from './bot-engine.ts';
import { botOwner, type BotRecord } from './bot-store.ts';

/** What the host hands a live bot: its feed, and the price digits its venue quotes the symbol with. */
export interface LiveFeed {
  feed: MarketFeed & { readonly endReason?: string | null };
  priceDecimals: number;
}

export type FeedEngineOptions = Omit<EngineOptions, 'candles'> & LiveFeed;

const ended: readonly string[] = ['stopped', 'finished', 'ruined', 'failed'];

interface Seat {
  bot: BotRecord;
  runner: StrategyRunner;
  bars: number;
  lastBarTime: number | null;
  fills: number;
  /** The account's risk feed of this bot, and the kill switch's hold on its router. */
  risk: ReturnType<NonNullable<EngineOptions['risk']>['forBot']> | undefined;
  unregister: () => void;
}

export class FeedBotEngine implements BotEngine {
  private readonly options: FeedEngineOptions;
  private readonly seats = new Map<number, Seat>();
  private readonly pendingGhosts: BotRecord[] = [];
  private halted = false;

  constructor(options: FeedEngineOptions) {
    this.options = options;
  }

  attach(ghost: BotRecord): void {
    if (!this.seats.has(ghost.id)) this.pendingGhosts.push(ghost);
  }

  detach(ghostId: number): void {
    if (ghostId === this.options.bot.id) return;
    const seat = this.seats.get(ghostId);
    seat?.runner.stop('detached');
    seat?.unregister();
    this.seats.delete(ghostId);
  }

  portfolio(botId: number): AccountPortfolio | undefined {
    return this.seats.get(botId)?.runner.portfolio;
  }

  lastBarTime(botId: number): number | null {
    return this.seats.get(botId)?.lastBarTime ?? null;
  }

  halt(): void {
    this.halted = true;
    this.options.feed.stop();
  }

  async run(): Promise<EngineEnd> {
    const { bot, feed } = this.options;
    await this.seat(bot);
    for (const ghost of this.options.ghosts) await this.seat(ghost);
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

  async cancelWorking(): Promise<void> {
    const { journal } = this.options;
    for (const seat of this.seats.values()) {
      const owner = botOwner(seat.bot.id);
      for (const order of journal.openOrders()) {
        if (order.intent.owner === owner && order.isOpen)
          await seat.runner.router.cancel(order.intent.clientOrderId);
      }
    }
  }

  close(): void {
    for (const seat of this.seats.values()) {
      seat.runner.stop('closed');
      seat.unregister();
    }
  }

  /** One closed bar to every seat; the original's failure (the watchdog's case) ends the run. */
  private async stepAll(bar: Bar, index: number): Promise<string | null> {
    const { listener, strategy } = this.options;
    for (const seat of this.seats.values()) {
      if (ended.includes(seat.runner.status)) continue;
      const fills = seat.fills;
      await seat.runner.step(bar);
      const own = seat.bot.id === this.options.bot.id;
      if (seat.runner.status === 'failed') {
        const why = seat.runner.error?.message ?? 'unknown error';
        if (own)
          return `${strategy.name} threw on bar ${index} (${new Date(bar.time * 1000).toISOString()}): ${why}`;
        continue;
      }
      if (seat.runner.status === 'ruined' && own) {
        const ruin = seat.runner.ruin;
        return `account ruined: equity reached ${ruin?.equity.toFixed(2) ?? '0'} at the close of ${new Date(bar.time * 1000).toISOString()}; the position was closed and the bot stopped trading`;
      }
      seat.bars++;
      seat.lastBarTime = bar.time;
      const traded = seat.fills !== fills;
      // Every live bar is checkpointed: they come minutes apart, and the count is what the page shows.
      this.checkpoint(seat);
      listener.bar(seat.bot.id, {
        bars: seat.bars,
        lastBarTime: bar.time,
        portfolio: seat.runner.portfolio,
        traded,
      });
    }
    return null;
  }

  private async seat(bot: BotRecord): Promise<Seat> {
    const { journal, ids, db, listener, strategy, params, priceDecimals } = this.options;
    const { definition } = bot;
    const spec = backtestSpecSchema.parse({
      strategy: definition.strategy,
      params: definition.params,
      cash: definition.cash,
      commission: definition.commission,
      fixedFee: definition.fixedFee,
      slippage: definition.slippage,
      lotSize: definition.lotSize,
      sizing: definition.sizing,
    });
    const money = simulationConfig(spec);
    // Every bar of a live feed is news to the account's breakers: none is a catch-up.
    const risk = this.options.risk?.forBot(botOwner(bot.id));
    risk?.feed.restart();
    if (risk !== undefined) risk.feed.live = true;
    const runner = await StrategyRunner.create({
      botId: botOwner(bot.id),
      strategy,
      params,
      symbol: definition.symbol,
      timeframe: definition.timeframe,
      feed: this.options.feed,
      // The venue's digits, the bot's lot as the step: what a replay detects from stored candles.
      instrument: defineInstrument({
        symbol: definition.symbol,
        venue: 'simulated',
        priceDecimals,
        quantityStep: money.lotSize,
      }),
      money,
      journal,
      ids,
      database: db,
      batch: 'bar',
      governor: risk?.governor,
      barRisk: risk?.feed,
    });
    // As on a replay (runner-engine.ts): the kill switch's closing orders fill at the last close.
    const unregister =
      this.options.risk?.registry.register({
        flattenAll: async () => {
          const report = await runner.router.flattenAll();
          runner.venue.fillAtClose(definition.symbol);
          return report;
        },
      }) ?? (() => {});
    const seat: Seat = {
      bot,
      runner,
      bars: bot.bars,
      lastBarTime: bot.lastBarTime,
      fills: 0,
      risk,
      unregister,
    };
    runner.on('order', ({ order }) => listener.order(bot.id, order));
    runner.on('fill', (fill) => {
      seat.fills++;
      const order = journal.get(fill.clientOrderId);
      if (order !== undefined) listener.fill(bot.id, order, fill);
    });
    this.seats.set(bot.id, seat);
    return seat;
  }

  private checkpoints(): void {
    for (const seat of this.seats.values()) this.checkpoint(seat);
  }

  /** The bar reached, with the breakers' counters as at that bar when the account's risk is on. */
  private checkpoint(seat: Seat): void {
    const { store, db } = this.options;
    const time = seat.lastBarTime;
    if (time === null) return;
    const risk = seat.risk;
    if (risk === undefined) return store.checkpoint(seat.bot.id, time, seat.bars);
    db.transaction(() => {
      store.checkpoint(seat.bot.id, time, seat.bars);
      risk.feed.flush();
    })();
  }
}
