// A paper bot's seat: one StrategyRunner with its own account, costs and sizing, tied to the
// account's risk, the kill switch and the supervisor's listener. A replayed bot (runner-engine.ts)
// and a bot on a live feed (feed-engine.ts) take their seats here, so both trade through the same
// order path with the same risk; where the bars come from, and when a seat is checkpointed, stay in
// each engine.
import { simulationConfig } from '../backtest/engine.ts';
import { backtestSpecSchema } from '../backtest/spec.ts';
import type { Instrument } from '../domain/instrument.ts';
import type { MarketFeed } from '../feeds/market-feed.ts';
import type { OrderJournal } from '../orders/order-journal.ts';
import type { ReinvestmentSettings } from '../reinvestment/reinvestment-schema.ts';
import { StrategyRunner } from '../runtime/strategy-runner.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import type { Venue } from '../venues/venue.ts';
import type { BotRiskHost, EngineOptions } from './bot-engine.ts';
import { botOwner, type BotRecord } from './bot-store.ts';

/** A runner that has stopped taking bars. */
export const endedStatuses: readonly string[] = ['stopped', 'finished', 'ruined', 'failed'];

export interface PaperSeat {
  bot: BotRecord;
  runner: StrategyRunner;
  bars: number;
  lastBarTime: number | null;
  /** Orders and fills are announced only while live: a replay's catch-up re-runs old news. */
  live: boolean;
  fills: number;
  /** The account's risk feed of this bot, and the kill switch's hold on its router. */
  risk: ReturnType<BotRiskHost['forBot']> | undefined;
  unregister: () => void;
}

export type SeatHost = Pick<
  EngineOptions,
  'journal' | 'ids' | 'db' | 'listener' | 'strategy' | 'params' | 'risk'
>;

/** How one engine seats its bots: where the bars come from and where the seat starts. */
export interface SeatPlace {
  /** Stored bars to replay (the runner reads the instrument's precision from them)... */
  candles?: CandleColumns | undefined;
  /** ...or a live feed, with the instrument the venue quotes. */
  feed?: MarketFeed | undefined;
  instrument?: (lotSize: number) => Instrument;
  /** The bot's reinvestment policy, when its engine applies one. */
  reinvestment?: ReinvestmentSettings | undefined;
  /**
   * A real venue for the seat's orders (a bot whose `venue` is 'live'), with `instrument` read from
   * it; absent: the in-process simulator. A ghost never has one: it shadows on paper.
   */
  venue?: Venue | undefined;
  /** Every bar is news to the breakers (a live feed has no catch-up); set before the runner exists. */
  riskAlwaysLive?: boolean;
  bars: number;
  lastBarTime: number | null;
  live: boolean;
}

/**
 * Opens a bot's runner and seats it; `extra` is the engine's own per-seat state, kept on the same
 * object the listeners update.
 */
export async function openPaperSeat<Extra extends object>(
  host: SeatHost,
  bot: BotRecord,
  place: SeatPlace,
  extra: Extra,
): Promise<PaperSeat & Extra> {
  const { journal, ids, db, listener, strategy, params } = host;
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
    reinvestment: place.reinvestment,
  });
  const money = simulationConfig(spec);
  const risk = host.risk?.forBot(botOwner(bot.id));
  risk?.feed.restart();
  if (risk !== undefined && place.riskAlwaysLive === true) risk.feed.live = true;
  const instrument = place.instrument?.(money.lotSize);
  const runner = await StrategyRunner.create({
    botId: botOwner(bot.id),
    strategy,
    params,
    // As the venue lists it: a real exchange's "BTC/USDT" where the bars come as "binance:BTC/USDT".
    symbol: instrument?.symbol ?? definition.symbol,
    timeframe: definition.timeframe,
    candles: place.candles,
    feed: place.feed,
    instrument,
    money,
    journal,
    ids,
    database: db,
    venue: place.venue,
    // One transaction per bar: the simulator lives in this process, so an order it "executed"
    // dies with a crash just as the uncommitted intent does (docs/runtime.md). A real venue's
    // order outlives us: its intent is committed before it is sent, one write at a time.
    batch: place.venue === undefined ? 'bar' : 'write',
    governor: risk?.governor,
    barRisk: risk?.feed,
  });
  // The kill switch's closing orders fill at the last close: a paper venue has no market between
  // bars, and a running bot's position must be flat when the kill switch answers.
  const unregister =
    host.risk?.registry.register({
      flattenAll: async () => {
        const report = await runner.router.flattenAll();
        runner.fillAtClose();
        return report;
      },
    }) ?? (() => {});
  const seat: PaperSeat & Extra = {
    ...extra,
    bot,
    runner,
    bars: place.bars,
    lastBarTime: place.lastBarTime,
    live: place.live,
    fills: 0,
    risk,
    unregister,
  };
  runner.on('order', ({ order }) => {
    if (seat.live) listener.order(bot.id, order);
  });
  runner.on('fill', (fill) => {
    seat.fills++;
    const order = journal.get(fill.clientOrderId);
    if (seat.live && order !== undefined) listener.fill(bot.id, order, fill);
  });
  return seat;
}

/**
 * The bar a seat reached, with the breakers' counters as at that bar when the account's risk is on,
 * in one commit: where a resume carries on from (core/app/bot-risk.ts).
 */
export function checkpointSeat({ store, db }: Pick<EngineOptions, 'store' | 'db'>, seat: PaperSeat): void {
  const time = seat.lastBarTime;
  if (time === null) return;
  const risk = seat.risk;
  if (risk === undefined) {
    store.checkpoint(seat.bot.id, time, seat.bars);
    return;
  }
  db.transaction(() => {
    store.checkpoint(seat.bot.id, time, seat.bars);
    risk.feed.flush();
  })();
}

/** Cancels every working order of the seated bots (stop, unlike pause, leaves none). */
export async function cancelWorkingOrders(journal: OrderJournal, seats: Iterable<PaperSeat>): Promise<void> {
  for (const seat of seats) {
    const owner = botOwner(seat.bot.id);
    for (const order of journal.openOrders()) {
      if (order.intent.owner === owner && order.isOpen)
        await seat.runner.router.cancel(order.intent.clientOrderId);
    }
  }
}

/** Stops a seat's runner and lets go of the kill switch's hold on it. */
export function leaveSeat(seat: PaperSeat | undefined, why: string): void {
  seat?.runner.stop(why);
  seat?.unregister();
}
