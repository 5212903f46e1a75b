// OHLCV from an exchange into the candle store, page by page, resumable. Each page is one upsert
// (one transaction: all its bars or none), so a download killed at any moment leaves whole pages;
// the next run starts one bar after the last stored one, and a page that overlaps stored bars
// replaces them at the same times — never a gap, never a duplicate. Only closed bars are stored
// (an exchange also sends the one still forming). Derived timeframes follow as for an import
// (CandleRepository.upsert rebuilds them over the span each page touched).
import type { Exchange } from 'ccxt';
import type { Timeframe } from '../domain/timeframe.ts';
import { AutobotError } from '../domain/autobot-error.ts';
import { timeframeSeconds } from '../domain/timeframe-seconds.ts';
import { allocateCandleColumns } from '../storage/candle-columns.ts';
import type { CandleRepository } from '../storage/candle-repository.ts';
import { exchanges, type ExchangeRegistry } from '../venues/ccxt/exchange-registry.ts';

export interface CandleDownload {
  exchange: string;
  /** As the exchange lists it: "BTC/USDT". */
  symbol: string;
  timeframe: Timeframe;
  /** Epoch seconds: the first bar wanted. */
  since: number;
  /** Epoch seconds: no bar opening after it (default: up to the last closed bar). */
  until?: number | undefined;
  /** Another REST base (a mirror, a local simulator). */
  apiUrl?: string | undefined;
  /** The stored series' name (default "<exchange>:<symbol>": two exchanges' prices never mix). */
  series?: string | undefined;
}

export interface CandleDownloadResult {
  series: string;
  timeframe: Timeframe;
  /** Bars written by this run (new or replaced). */
  bars: number;
  /** Bars new to the store. */
  inserted: number;
  pages: number;
  /** Where this run started: `since`, or one bar after what an earlier run stored. */
  startedAt: number;
  /** The series' span after the run (epoch seconds), null when nothing is stored. */
  first: number | null;
  last: number | null;
}

export interface DownloadOptions {
  registry?: ExchangeRegistry;
  /** Fraction done (0…1) and the last bar stored, after each page. */
  onProgress?: (fraction: number, last: number) => void;
  signal?: AbortSignal;
  /** Bars asked per request (default 1,000, Binance's maximum). */
  pageLimit?: number;
  now?: () => number;
}

export function seriesName(exchange: string, symbol: string): string {
  return `${exchange}:${symbol}`;
}

export async function downloadCandles(
  repository: CandleRepository,
  request: CandleDownload,
  options: DownloadOptions = {},
): Promise<CandleDownloadResult> {
  const now = options.now ?? Date.now;
  const series = request.series ?? seriesName(request.exchange, request.symbol);
  const step = timeframeSeconds(request.timeframe);
  if (request.until !== undefined && request.until < request.since)
    throw invalid('until', `until (${iso(request.until)}) is before since (${iso(request.since)})`);
  const exchange = await (options.registry ?? exchanges)
    .get({ exchange: request.exchange, apiUrl: request.apiUrl })
    .catch((error: unknown) => {
      throw invalid(
        'exchange',
        error instanceof Error ? error.message.replace(/^exchange: /, '') : String(error),
      );
    });
  await exchange.loadMarkets();
  if (exchange.markets?.[request.symbol] === undefined)
    throw invalid('symbol', `${request.exchange} does not list ${request.symbol}`);
  if (exchange.has['fetchOHLCV'] !== true)
    throw invalid('exchange', `${request.exchange} offers no candles (fetchOHLCV) in ccxt`);
  if (exchange.timeframes?.[request.timeframe] === undefined)
    throw invalid('timeframe', `${request.exchange} has no ${request.timeframe} candles`);

  const start = resumePoint(repository, series, request.timeframe, request.since);
  let cursor = start;
  let bars = 0;
  let inserted = 0;
  let pages = 0;
  // Never more than the exchange serves in one answer (ccxt's features: Binance 1,000, OKX 300).
  const limit = Math.min(options.pageLimit ?? 1000, pageMaximum(exchange));
  for (;;) {
    options.signal?.throwIfAborted();
    // The last bar that may be stored: closed by now, and not after `until`.
    const lastClosed = Math.floor(now() / 1000 / step) * step - step;
    const end = Math.min(request.until ?? lastClosed, lastClosed);
    if (cursor > end) break;
    const rows = await fetchPage(
      exchange,
      request,
      cursor,
      Math.min(end, cursor + (limit - 1) * step),
      limit,
    );
    const page = rows.filter((row) => row[0] / 1000 >= cursor && row[0] / 1000 <= end);
    if (page.length === 0) break;
    const columns = allocateCandleColumns(page.length);
    page.forEach(([time, open, high, low, close, volume], i) => {
      columns.time[i] = time / 1000;
      columns.open[i] = open;
      columns.high[i] = high;
      columns.low[i] = low;
      columns.close[i] = close;
      columns.volume[i] = volume;
    });
    inserted += repository.upsert(series, request.timeframe, columns);
    bars += page.length;
    pages++;
    const last = page.at(-1)![0] / 1000;
    // One second past the last bar, not one bar: months are not all one length.
    cursor = last + 1;
    options.onProgress?.(Math.min(1, (cursor - start) / (end + 1 - start)), last);
  }
  const summary = repository
    .listSeries()
    .find((s) => s.symbol === series && s.timeframe === request.timeframe);
  return {
    series,
    timeframe: request.timeframe,
    bars,
    inserted,
    pages,
    startedAt: start,
    first: summary?.first ?? null,
    last: summary?.last ?? null,
  };
}

/**
 * Where a run starts: just after the stored series' last bar when the stored bars already cover
 * `since` (a resumed or extended download), else `since` itself.
 */
export function resumePoint(
  repository: CandleRepository,
  series: string,
  timeframe: Timeframe,
  since: number,
): number {
  const stored = repository.listSeries().find((s) => s.symbol === series && s.timeframe === timeframe);
  if (stored?.first == null || stored.last == null || stored.first > since) return since;
  return Math.max(since, stored.last + 1);
}

type Row = [number, number, number, number, number, number];

/** The most bars `exchange` returns to one fetchOHLCV (ccxt's features table), 1,000 when it does not say. */
function pageMaximum(exchange: Exchange): number {
  const features = exchange.features as { spot?: { fetchOHLCV?: { limit?: number } } } | undefined;
  const limit = features?.spot?.fetchOHLCV?.limit;
  return typeof limit === 'number' && limit > 0 ? limit : 1000;
}

async function fetchPage(
  exchange: Exchange,
  request: CandleDownload,
  from: number,
  end: number,
  limit: number,
): Promise<Row[]> {
  // `until` bounds the page to the bars asked for: an exchange that answers newest first within
  // [since, until] (OKX) would otherwise send the last bars of the whole span and leave a gap.
  const rows = await exchange.fetchOHLCV(request.symbol, request.timeframe, from * 1000, limit, {
    until: (end + timeframeSeconds(request.timeframe)) * 1000 - 1,
  });
  return rows.map((r) => [r[0]!, r[1]!, r[2]!, r[3]!, r[4]!, r[5] ?? 0]);
}

function invalid(field: string, message: string): AutobotError {
  return new AutobotError('invalid_input', `${field}: ${message}`, { issues: [{ path: field, message }] });
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}
