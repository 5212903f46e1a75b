// One interface per kind of data a provider can supply. Pages, the CLI and storage speak these;
// each adapter (alphavantage.ts, fred.ts…) and the demo generator (demo-data.ts) implements them.
import type { ProviderId } from './provider-ids.ts';

/** Bar sizes the providers offer; each maps to a stored timeframe (data-kinds → candles storage). */
export const candleIntervals = ['5m', '15m', '30m', '1h', '1d'] as const;
export type CandleInterval = (typeof candleIntervals)[number];

export type AssetClass = 'stock' | 'fx' | 'crypto';

export interface CandleRequest {
  /** A ticker ("GOOG"), an FX pair ("EUR/USD") or a coin id ("bitcoin"). */
  symbol: string;
  interval: CandleInterval;
  asset: AssetClass;
}

/** Bars oldest first, times in epoch seconds (UTC) at the bar's open. */
export interface ProviderCandles {
  symbol: string;
  interval: CandleInterval;
  time: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

export interface CandleSource {
  readonly id: ProviderId;
  candles(request: CandleRequest): Promise<ProviderCandles>;
}

export interface Quote {
  id: string;
  symbol: string;
  name: string;
  price: number;
  change24hPct: number | null;
  marketCap: number | null;
  volume24h: number | null;
}

export interface QuoteSource {
  readonly id: ProviderId;
  quotes(request: { vsCurrency: string; limit: number }): Promise<Quote[]>;
}

export interface MacroPoint {
  /** ISO date of the observation (FRED's "date"). */
  date: string;
  value: number;
}

export interface MacroSeries {
  id: string;
  title: string;
  units: string;
  points: MacroPoint[];
}

export interface MacroSource {
  readonly id: ProviderId;
  series(seriesId: string, options: { from?: string }): Promise<MacroSeries>;
}

export interface Headline {
  title: string;
  source: string;
  url: string | null;
  /** ISO instant. */
  publishedAt: string;
}

export interface NewsSource {
  readonly id: ProviderId;
  headlines(query: string, options: { from?: string; limit: number }): Promise<Headline[]>;
}

export interface RevenueDay {
  /** ISO date (UTC) of the orders. */
  date: string;
  revenue: number;
  orders: number;
}

export interface StoreRevenue {
  currency: string;
  days: RevenueDay[];
}

export interface RevenueSource {
  readonly id: ProviderId;
  dailyRevenue(range: { from: string; to: string }): Promise<StoreRevenue>;
}
