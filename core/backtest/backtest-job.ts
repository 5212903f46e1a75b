// A backtest as a worker job: the thread reads its own candles (from the database file, read-only,
// which WAL allows beside the host's connection, or from the uploaded CSV) so neither the host's
// event loop nor a message copy carries a million bars.
import BetterSqlite3 from 'better-sqlite3';
import type { Timeframe } from '../domain/timeframe.ts';
import { parseCandlesCsv } from '../data/csv-candles.ts';
import type { JobContext } from '../jobs/job-protocol.ts';
import { CandleRepository } from '../storage/candle-repository.ts';
import { sliceCandles, type CandleColumns } from '../storage/candle-columns.ts';
import { AutobotError, withIssuePrefix } from '../domain/autobot-error.ts';
import { alignSentiment, type ScoredHeadlineTime } from '../sentiment/sentiment-series.ts';
import { runBacktest } from './run-backtest.ts';
import type { BacktestResult, BacktestSpecInput } from './spec.ts';
import { backtestSpecSchema } from './spec.ts';
import { thinEquityCurve } from './thin-equity-curve.ts';

export type BacktestData =
  | {
      source: 'stored';
      symbol: string;
      timeframe: Timeframe;
      from?: number | undefined;
      to?: number | undefined;
    }
  | { source: 'csv'; csv: string; fileName?: string | undefined };

export interface BacktestJobInput {
  data: BacktestData;
  spec: BacktestSpecInput;
  /** Where the candles are when data.source is "stored". */
  databaseFile?: string;
  /** Most equity-curve points to return (metrics always use every bar). */
  curvePoints: number;
  mode?: 'api' | 'kernel' | undefined;
  sentiment?: SentimentInput | undefined;
}

/** Scored headlines a `minSentiment` run aligns to its candles (core/sentiment/sentiment-series.ts). */
export interface SentimentInput {
  headlines: ScoredHeadlineTime[];
  barSeconds: number;
}

export function noCandlesError(): AutobotError {
  return new AutobotError('invalid_input', 'The chosen range holds no candles.', {
    issues: [{ path: 'data', message: 'the chosen range holds no candles' }],
  });
}

export function loadCsvCandles(csv: string): CandleColumns {
  const { candles, length } = parseCandlesCsv(csv);
  return sliceCandles(candles, 0, length);
}

function loadStoredCandles(
  databaseFile: string,
  data: Extract<BacktestData, { source: 'stored' }>,
): { candles: CandleColumns; priceDecimals: number } {
  const db = new BetterSqlite3(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const repository = new CandleRepository(db);
    return {
      candles: repository.read(data.symbol, data.timeframe, data.from, data.to),
      priceDecimals: repository.priceDecimals(data.symbol, data.timeframe),
    };
  } finally {
    db.close();
  }
}

/** Runs the backtest on already loaded candles: shared by the inline path and the worker. */
export function backtestCandles(
  candles: CandleColumns,
  spec: BacktestSpecInput,
  curvePoints: number,
  options: {
    onProgress?: (fraction: number) => void;
    signal?: AbortSignal;
    mode?: 'api' | 'kernel';
    /** Recorded with a stored series; detected from the candles when left out. */
    priceDecimals?: number;
    sentiment?: SentimentInput | undefined;
  } = {},
): BacktestResult {
  if (candles.time.length === 0) throw noCandlesError();
  try {
    const { sentiment, ...rest } = options;
    const series = sentiment
      ? { sentiment: alignSentiment(candles.time, sentiment.barSeconds, sentiment.headlines) }
      : undefined;
    const result = runBacktest(candles, backtestSpecSchema.parse(spec), {
      ...rest,
      ...(series ? { series } : {}),
    });
    return { ...result, equity: thinEquityCurve(result.equity, curvePoints) };
  } catch (error) {
    // The engine names fields within the spec ("params.slow"); callers see them within the call.
    throw withIssuePrefix(error, 'spec');
  }
}

export function run(input: BacktestJobInput, context: JobContext): BacktestResult {
  const { candles, priceDecimals } =
    input.data.source === 'csv'
      ? { candles: loadCsvCandles(input.data.csv), priceDecimals: undefined }
      : loadStoredCandles(input.databaseFile!, input.data);
  return backtestCandles(candles, input.spec, input.curvePoints, {
    ...(priceDecimals !== undefined ? { priceDecimals } : {}),
    onProgress: (fraction) => context.progress(fraction),
    signal: context.signal,
    ...(input.mode ? { mode: input.mode } : {}),
    sentiment: input.sentiment,
  });
}
