// What the supervisor needs from whatever runs a bot: run it until the data ends, it is halted or
// its strategy fails, and report orders, fills and bars as they happen. RunnerBotEngine
// (runner-engine.ts, on the runtime's StrategyRunner) is the implementation; a live-venue engine
// would be another.
import type { MarketFeed } from '../feeds/market-feed.ts';
import type { ClientOrderIds } from '../orders/client-order-ids.ts';
import type { Fill, OrderEvent } from '../orders/order-events.ts';
import type { AppendResult, OrderJournal } from '../orders/order-journal.ts';
import type { ClientOrderId } from '../domain/client-order-id.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import type { Database } from '../storage/database.ts';
import type { Strategy, StrategyParams } from '../strategies/strategy.ts';
import type { BotStore } from './bot-store.ts';
import type { Order } from '../orders/order.ts';
import type { AccountPortfolio } from '../portfolio/account-portfolio.ts';
import type { BotRecord } from './bot-store.ts';
import type { Flattener } from '../orders/router-registry.ts';
import type { RiskGovernor } from '../risk/risk-governor.ts';
import type { BarRiskFeed } from '../runtime/bar-risk-feed.ts';

/**
 * The account's risk as a bot meets it (core/app/account-risk.ts): a governor its router consults
 * on every order, a feed of its equity, trades and bars on its bars' clock, and the registry the
 * kill switch walks.
 */
export interface BotRiskHost {
  forBot(owner: string): {
    governor: Pick<RiskGovernor, 'admit'>;
    /**
     * `live` false: the bar is a resumed bot's catch-up, already judged; `restart`: a new run;
     * `flush`: the bot checkpointed, keep the breakers' counters as they are.
     */
    feed: BarRiskFeed & { live: boolean; restart(): void; flush(): void };
  };
  registry: { register(router: Flattener): () => void };
}

export interface EngineOptions {
  bot: BotRecord;
  /** Ghosts that run with it from the start. */
  ghosts: readonly BotRecord[];
  candles: CandleColumns;
  strategy: Strategy<StrategyParams, unknown>;
  /** Validated by the strategy's schema. */
  params: StrategyParams;
  db: Database;
  journal: OrderJournal;
  ids: ClientOrderIds;
  store: BotStore;
  listener: BotEngineListener;
  /** Quiet bars between two checkpoints (a bar that traded is always checkpointed). Default 64. */
  checkpointEvery?: number;
  /** An exchange-fed bot: the live feed that follows the stored bars, from the last one it had. */
  liveFeed?: ((after: number | null) => MarketFeed) | undefined;
  /** The account's risk; without it the bot is judged by nothing but its own risk engine. */
  risk?: BotRiskHost | undefined;
}

export type EngineEnd =
  /** The replay delivered its last bar, or a live feed ended (`message` says why). */
  | { kind: 'finished'; message?: string }
  /** halt() was called (pause or stop). */
  | { kind: 'halted' }
  /** The strategy threw (the watchdog's case) or the engine could not go on. */
  | { kind: 'failed'; error: string };

export interface BarProgress {
  bars: number;
  lastBarTime: number;
  portfolio: AccountPortfolio;
  /** Whether the bar filled or placed an order of any account. */
  traded: boolean;
}

export interface BotEngineListener {
  order(botId: number, order: Order): void;
  fill(botId: number, order: Order, fill: Fill): void;
  bar(botId: number, progress: BarProgress): void;
}

export interface BotEngine {
  /** Runs until the end of the data, halt(), or a failure; never rejects. */
  run(): Promise<EngineEnd>;
  /** Ends the run after the bar being processed. */
  halt(): void;
  /** A ghost joins at the next bar: the same bars and signals, its own account. */
  attach(ghost: BotRecord): void;
  detach(ghostId: number): void;
  /** The live account of the bot or one of its attached ghosts. */
  portfolio(botId: number): AccountPortfolio | undefined;
  /** The last bar the bot (or an attached ghost) finished in this run, or null. */
  lastBarTime(botId: number): number | null;
  /** Cancels every working order of the bot and its ghosts (stop, unlike pause, leaves none). */
  cancelWorking(): Promise<void>;
  /**
   * An event reconciliation found for an order of the bot (or an attached ghost): through its
   * runner, so its account books it; null when that bot has no seat in this run.
   */
  record?(
    botId: number,
    clientOrderId: ClientOrderId,
    event: OrderEvent,
    eventId?: string,
  ): AppendResult | null;
  /** Lets go of the venue connections; after run() has returned. */
  close(): void;
}
