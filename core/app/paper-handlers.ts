// paper.* handlers: one bot forward-tested through the runtime, its orders journaled in the app's
// database (core/runtime/paper-run.ts).
import type { BacktestData } from '../backtest/backtest-job.ts';
import type { Handlers } from '../contract/dispatch.ts';
import { detectTimeframe } from '../data/detect-timeframe.ts';
import { symbolFromFileName } from '../data/symbol-from-file-name.ts';
import { runPaper } from '../runtime/paper-run.ts';
import type { CandleRepository } from '../storage/candle-repository.ts';
import type { Database } from '../storage/database.ts';
import { loadRunCandles } from './run-candles.ts';

export function paperHandlers(deps: {
  db: Database;
  candles: CandleRepository;
}): Pick<Handlers, 'paper.run'> {
  return {
    'paper.run': async (input) => {
      const data = input.data as BacktestData;
      const candles = await loadRunCandles(data, deps.candles);
      const symbol =
        data.source === 'stored' ? data.symbol : (symbolFromFileName(data.fileName ?? '') ?? 'CSV');
      const timeframe = data.source === 'stored' ? data.timeframe : (detectTimeframe(candles.time) ?? '1d');
      const run = await runPaper(candles, input.spec, {
        database: deps.db,
        symbol,
        timeframe,
        ...(input.botId !== undefined ? { botId: input.botId } : {}),
      });
      return run;
    },
  };
}
