import type { Timeframe } from '../domain/timeframe.ts';
import type { CandleRepository } from '../storage/candle-repository.ts';
import { importCsvText, type CandleImportResult } from './candle-importer.ts';

export type { CandleImportResult } from './candle-importer.ts';

export interface CandleImport {
  symbol: string;
  timeframe: Timeframe;
  csv: string;
  confirm?: boolean;
  fileName?: string;
}

/**
 * Validates every row and stores all of them or none. Bars of a different spacing or price level
 * than the series they join are refused with needs_confirmation unless `confirm` is set.
 */
export function importCandlesCsv(repository: CandleRepository, request: CandleImport): CandleImportResult {
  return importCsvText(repository, request, request.csv);
}
