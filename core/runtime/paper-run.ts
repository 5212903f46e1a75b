// A forward test of one bot on stored candles: `autobot paper`. It runs through the runtime — a
// replay feed as fast as possible → strategy → risk → OrderRouter → simulated venue → order journal
// in SQLite → portfolio — not through the backtest engine, and answers in the backtest's result
// shape, so the two can be compared figure for figure (tests/integration/paper-parity.test.ts).
import { simulationConfig } from '../backtest/engine.ts';
import { backtestResult, parseBacktestSpec } from '../backtest/run-backtest.ts';
import type { BacktestResult, BacktestSpecInput } from '../backtest/spec.ts';
import type { Timeframe } from '../domain/timeframe.ts';
import { AutobotError } from '../domain/autobot-error.ts';
import { ClientOrderIds } from '../orders/client-order-ids.ts';
import { OrderJournal } from '../orders/order-journal.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import type { Database } from '../storage/database.ts';
import { getStrategy } from '../strategies/registry.ts';
import type { SeriesSet } from '../strategies/strategy.ts';
import { StrategyRunner, type RunnerStatus } from './strategy-runner.ts';

export interface PaperRunOptions {
  /** Where the journal lives (migrated). */
  database: Database;
  symbol: string;
  timeframe: Timeframe;
  /** The bot's id in the journal; default "paper-<time>". */
  botId?: string;
  series?: SeriesSet;
}

export interface PaperRun {
  result: BacktestResult;
  status: RunnerStatus;
  botId: string;
  /** Orders the bot journaled. */
  orders: number;
}

export async function runPaper(
  candles: CandleColumns,
  specInput: BacktestSpecInput,
  options: PaperRunOptions,
): Promise<PaperRun> {
  const spec = parseBacktestSpec(specInput);
  const entry = getStrategy(spec.strategy);
  const params = entry.parseParams(spec.params);
  if (candles.close.length === 0) {
    const message = 'the chosen range holds no candles';
    throw new AutobotError('invalid_input', message, { issues: [{ path: 'range', message }] });
  }
  const db = options.database;
  const journal = new OrderJournal(db);
  const botId = options.botId ?? `paper-${Date.now().toString(36)}`;
  const runner = await StrategyRunner.create({
    botId,
    strategy: entry.strategy,
    params,
    symbol: options.symbol,
    timeframe: options.timeframe,
    candles,
    speed: 'max',
    series: options.series,
    money: simulationConfig(spec),
    journal,
    ids: ClientOrderIds.open(db),
    database: db,
    batch: 'bar',
    breakers: spec.breakers,
  });
  const status = await runner.start();
  if (status === 'failed') throw runner.error!;
  const orders = journal.all().filter((order) => order.intent.owner === botId).length;
  const output = runner.output();
  const n = candles.close.length;
  if (output.equity.length < n) {
    // Ruined: nothing traded after, so equity stays where the ruin left it to the last bar.
    const equity = new Float64Array(n);
    equity.set(output.equity);
    equity.fill(output.equity.at(-1) ?? spec.cash, output.equity.length);
    output.equity = equity;
  }
  return {
    result: backtestResult(candles, spec, entry.prepare(spec.params).params, output),
    status,
    botId,
    orders,
  };
}
