// The Tech page's screener: for each stored series, where its latest bar stands on the usual
// indicators. Computed over the last `lookbackBars` bars only — enough for every indicator here to
// settle (EMA and MACD need a few times their period) without reading a million-bar series.
import type { Timeframe } from '../contract/calls.ts';
import { timeframeSeconds } from '../contract/timeframe-seconds.ts';
import { atr, bollinger, ema, macd, rsi, sma } from '../indicators/index.ts';
import type { CandleColumns, CandleRepository } from '../storage/candle-repository.ts';

export const lookbackBars = 400;

export interface ScreenRow {
  symbol: string;
  timeframe: Timeframe;
  bars: number;
  time: number;
  close: number;
  rsi: number | null;
  macdHistogram: number | null;
  bollingerPosition: number | null;
  atrPct: number | null;
  cross: 'above' | 'below' | null;
  barsSinceCross: number | null;
}

function finite(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}

export function screenSeries(candles: CandleRepository, timeframe: Timeframe): ScreenRow[] {
  const rows: ScreenRow[] = [];
  for (const series of candles.listSeries()) {
    if (series.timeframe !== timeframe || series.count === 0 || series.last === null) continue;
    const from = Math.max(0, series.last - lookbackBars * timeframeSeconds(timeframe));
    const row = screenCandles(
      series.symbol,
      timeframe,
      series.count,
      candles.read(series.symbol, timeframe, from),
    );
    if (row) rows.push(row);
  }
  return rows;
}

/** One series' row from its latest bars (the last `lookbackBars` or fewer), or null when it has none. */
export function screenCandles(
  symbol: string,
  timeframe: Timeframe,
  count: number,
  bars: Pick<CandleColumns, 'time' | 'high' | 'low' | 'close'>,
): ScreenRow | null {
  {
    const n = bars.close.length;
    if (n === 0) return null;
    const last = n - 1;
    const close = bars.close[last]!;
    const bands = n >= 20 ? bollinger(bars.close, 20, 2) : null;
    const width = bands ? bands.upper[last]! - bands.lower[last]! : NaN;
    const fast = n >= 20 ? ema(bars.close, 20) : null;
    const slow = n >= 50 ? sma(bars.close, 50) : null;
    let cross: ScreenRow['cross'] = null;
    let barsSinceCross: number | null = null;
    if (fast && slow && Number.isFinite(slow[last]!)) {
      cross = fast[last]! >= slow[last]! ? 'above' : 'below';
      for (let i = last; i > 0 && Number.isFinite(slow[i - 1]!); i -= 1) {
        const before = fast[i - 1]! >= slow[i - 1]! ? 'above' : 'below';
        if (before !== cross) {
          barsSinceCross = last - i;
          break;
        }
      }
    }
    return {
      symbol,
      timeframe,
      bars: count,
      time: bars.time[last]!,
      close,
      rsi: n > 14 ? finite(rsi(bars.close, 14)[last]) : null,
      macdHistogram: n >= 35 ? finite(macd(bars.close, 12, 26, 9).histogram[last]) : null,
      bollingerPosition: width > 0 ? (close - bands!.lower[last]!) / width : null,
      atrPct:
        n >= 14
          ? mapFinite(atr(bars.high, bars.low, bars.close, 14)[last], (value) => (value / close) * 100)
          : null,
      cross,
      barsSinceCross,
    };
  }
}

function mapFinite(value: number | undefined, map: (value: number) => number): number | null {
  const checked = finite(value);
  return checked === null ? null : map(checked);
}
