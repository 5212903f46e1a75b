// Price decimals for data without a venue to describe it (an imported CSV): the decimals the prices
// actually carry. EURUSD quotes carry 5 (1.07219), BTCUSD daily closes 2, GOOG 2. Float noise from
// a spreadsheet or a resample (39.682500000000005) does not count as digits, and a run of computed
// values (an average, 1/3) cannot push the display past `cap`.
import { decimalsOf, noiseLevel } from './decimals.ts';
import { defineInstrument, type Instrument } from './instrument.ts';

export interface PrecisionOptions {
  /** Never show fewer decimals than this (shares and fiat are quoted to the cent). Default 2. */
  min?: number;
  /** Never more than this: beyond 8 (a satoshi) the digits are computation, not quotes. Default 8. */
  cap?: number;
}

/**
 * The most decimals any finite price in `prices` carries, between `min` and `cap`. The maximum, not
 * a typical value: a quote that drops a trailing zero (1.0716 for 1.07160) must not hide the fifth
 * decimal of the others, and a single real price with more decimals is a price the chart must show.
 * Empty input gives `min`.
 */
export function detectPriceDecimals(prices: ArrayLike<number>, options: PrecisionOptions = {}): number {
  const min = options.min ?? 2;
  const cap = Math.max(options.cap ?? 8, min);
  let decimals = min;
  let scale = 10 ** decimals;
  for (let i = 0; i < prices.length && decimals < cap; i++) {
    const price = prices[i]!;
    // The common case first, one multiplication instead of decimalsOf's toFixed per digit (a million
    // bars are read on every import): the price is a whole number of units of the decimals so far,
    // up to the same relative noise decimalsOf allows. Only a price that is not asks decimalsOf.
    const scaled = price * scale;
    if (Math.abs(scaled - Math.round(scaled)) <= Math.abs(scaled) * noiseLevel) continue;
    if (!Number.isFinite(price)) continue;
    const carried = decimalsOf(price, cap);
    if (carried > decimals) {
      decimals = carried;
      scale = 10 ** decimals;
    }
  }
  return decimals;
}

/** Decimals for a candle series: the prices of all four columns (a low can carry a digit the closes lack). */
export function detectCandleDecimals(
  candles: {
    open: ArrayLike<number>;
    high: ArrayLike<number>;
    low: ArrayLike<number>;
    close: ArrayLike<number>;
  },
  options: PrecisionOptions = {},
): number {
  let decimals = options.min ?? 2;
  for (const column of [candles.open, candles.high, candles.low, candles.close]) {
    decimals = Math.max(decimals, detectPriceDecimals(column, { ...options, min: decimals }));
  }
  return decimals;
}

/**
 * The instrument of imported data traded on the simulator: its tick is one unit of the detected
 * decimals, its quantity step the backtest's lot size. What a paper bot or a chart uses when no
 * venue describes the symbol.
 */
export function instrumentFromData(
  symbol: string,
  candles: {
    open: ArrayLike<number>;
    high: ArrayLike<number>;
    low: ArrayLike<number>;
    close: ArrayLike<number>;
  },
  quantityStep = 1,
  venue = 'simulated',
): Instrument {
  return defineInstrument({ symbol, venue, priceDecimals: detectCandleDecimals(candles), quantityStep });
}
