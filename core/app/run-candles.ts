// The candles a run asks for, loaded without stalling the host: stored ones straight from SQLite,
// an uploaded CSV inline when small and in a worker job when large. backtest.run hands large runs
// to a job that loads its own candles; optimize.run needs them here, to share with its threads.
import { loadCsvCandles, noCandlesError, type BacktestData } from '../backtest/backtest-job.ts';
import type { ParseCandlesJobInput } from '../data/parse-candles-job.ts';
import { detectCandleDecimals } from '../domain/detect-precision.ts';
import { runWorkerJob } from '../jobs/worker-job.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import type { CandleRepository } from '../storage/candle-repository.ts';

/** CSV bytes above which parsing moves to a worker thread (~1 MB ≈ 20k rows, a few ms inline). */
export const inlineCsvBytes = 1_000_000;

export async function loadRunCandles(
  data: BacktestData,
  stored: CandleRepository,
  signal?: AbortSignal,
): Promise<CandleColumns> {
  let candles: CandleColumns;
  if (data.source === 'stored') candles = stored.read(data.symbol, data.timeframe, data.from, data.to);
  else if (data.csv.length <= inlineCsvBytes) candles = loadCsvCandles(data.csv);
  else {
    const input: ParseCandlesJobInput = { csv: data.csv };
    candles = await runWorkerJob<CandleColumns>('parse-candles', input, signal ? { signal } : {});
  }
  if (candles.time.length === 0) throw noCandlesError();
  return candles;
}

/** The decimals of a run's prices: recorded with a stored series, read off an uploaded CSV's bars. */
export function runPriceDecimals(
  data: BacktestData,
  stored: CandleRepository,
  candles: CandleColumns,
): number {
  return data.source === 'stored'
    ? stored.priceDecimals(data.symbol, data.timeframe)
    : detectCandleDecimals(candles);
}
