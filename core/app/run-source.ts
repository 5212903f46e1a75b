// Where a saved run's candles came from, and the label it is listed under unless the user gave one.
import path from 'node:path';
import type { BacktestData } from '../backtest/backtest-job.ts';
import type { RunSource } from '../storage/run-repository.ts';

const day = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString().slice(0, 10);

/** A run over part of a series says which part, so two runs of one series are told apart in the list. */
function period(from: number | undefined, to: number | undefined): string {
  if (from === undefined && to === undefined) return '';
  return `, ${from === undefined ? 'start' : day(from)} – ${to === undefined ? 'end' : day(to)}`;
}

/** `title` names the run ("sma-cross", "rsi optimisation"); the data says on what. */
export function runSource(data: BacktestData, label: string | undefined, title: string): RunSource {
  if (data.source === 'stored') {
    return {
      source: 'stored',
      symbol: data.symbol,
      timeframe: data.timeframe,
      label: label || `${title} on ${data.symbol} ${data.timeframe}${period(data.from, data.to)}`,
    };
  }
  const file = data.fileName ? path.basename(data.fileName) : 'uploaded CSV';
  return { source: 'csv', symbol: null, timeframe: null, label: label || `${title} on ${file}` };
}
