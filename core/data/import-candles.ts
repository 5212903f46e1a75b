import type { Timeframe } from '../contract/calls.ts';
import type { CandleRepository } from '../storage/candle-repository.ts';
import { parseCandlesCsv } from './csv-candles.ts';

export interface CandleImport {
  symbol: string;
  timeframe: Timeframe;
  csv: string;
}

export interface CandleImportResult {
  symbol: string;
  timeframe: Timeframe;
  rows: number;
  inserted: number;
  existing: number;
  first: number;
  last: number;
}

/** Validates the whole file before the database is touched, then stores it in one transaction. */
export function importCandlesCsv(repository: CandleRepository, request: CandleImport): CandleImportResult {
  const { candles, length } = parseCandlesCsv(request.csv);
  const inserted = repository.upsert(request.symbol, request.timeframe, candles, length);
  return {
    symbol: request.symbol,
    timeframe: request.timeframe,
    rows: length,
    inserted,
    existing: length - inserted,
    first: candles.time[0]!,
    last: candles.time[length - 1]!,
  };
}
