// Parsing an uploaded CSV as a worker job. A million rows take about 2 s, which the host's event
// loop must not spend; the optimiser still needs the columns in the host, to share them with its
// threads, so the job hands them back (one structured-clone copy, a few tens of ms).
import type { CandleColumns } from '../storage/candle-columns.ts';
import { parseCandlesCsv } from './csv-candles.ts';

export interface ParseCandlesJobInput {
  csv: string;
}

export function run(input: ParseCandlesJobInput): CandleColumns {
  const { candles, length } = parseCandlesCsv(input.csv);
  // Exact-size copies: the parser's columns may be longer, and the clone would carry the spare room.
  return {
    time: candles.time.slice(0, length),
    open: candles.open.slice(0, length),
    high: candles.high.slice(0, length),
    low: candles.low.slice(0, length),
    close: candles.close.slice(0, length),
    volume: candles.volume.slice(0, length),
  };
}
