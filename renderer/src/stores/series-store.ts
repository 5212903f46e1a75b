// Stored candle series, shared by the Chart and Backtest pages and refreshed whenever the core
// says candles changed (an import here, or one from another window or the CLI).
import { create } from 'zustand';
import type { SeriesMeta } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';

interface SeriesState {
  series: SeriesMeta[];
  loaded: boolean;
  error: string | null;
  refresh(): Promise<void>;
}

export const useSeries = create<SeriesState>((set) => ({
  series: [],
  loaded: false,
  error: null,
  async refresh() {
    try {
      const { series } = await api.call('candles.list', {});
      set({ series, loaded: true, error: null });
    } catch (error) {
      set({ error: describeError(error), loaded: true });
    }
  },
}));

export function seriesKey(series: { symbol: string; timeframe: string }): string {
  return `${series.symbol}|${series.timeframe}`;
}
