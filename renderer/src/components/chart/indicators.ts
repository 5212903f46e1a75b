// The chart's indicator overlays, computed in the page over the loaded window of closes. The engines'
// own library (core/indicators) is off-limits to the renderer (lint rule: renderer imports only
// core/contract, which holds schemas and shared constants, not maths), so these are the textbook
// formulas again, kept small; tests/unit/chart-indicators.property.test.ts checks that they agree with
// core/indicators on random series. NaN marks a bar still warming up.

export interface IndicatorSettings {
  sma: { on: boolean; period: number };
  ema: { on: boolean; period: number };
  bollinger: { on: boolean; period: number; k: number };
  rsi: { on: boolean; period: number };
  macd: { on: boolean; fast: number; slow: number; signal: number };
}

export const defaultIndicators: IndicatorSettings = {
  sma: { on: false, period: 20 },
  ema: { on: false, period: 50 },
  bollinger: { on: false, period: 20, k: 2 },
  rsi: { on: false, period: 14 },
  macd: { on: false, fast: 12, slow: 26, signal: 9 },
};

/** The enabled indicators' names, in display order (for `data-indicators`). */
export function enabledIndicators(settings: IndicatorSettings): (keyof IndicatorSettings)[] {
  return (Object.keys(settings) as (keyof IndicatorSettings)[]).filter((name) => settings[name].on);
}

export function sma(values: ArrayLike<number>, period: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(NaN);
  // Each window summed afresh: O(n·period) but free of running-sum drift, and windows hold a few
  // thousand bars at most.
  for (let i = period - 1; i < n; i++) {
    let sum = 0;
    for (let j = i - period + 1; j <= i; j++) sum += values[j]!;
    out[i] = sum / period;
  }
  return out;
}

/** EMA seeded with the SMA of the first `period` values (TA-Lib), as core/indicators does. */
export function ema(values: ArrayLike<number>, period: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(NaN);
  if (n < period) return out;
  let value = 0;
  for (let i = 0; i < period; i++) value += values[i]!;
  value /= period;
  out[period - 1] = value;
  const alpha = 2 / (period + 1);
  for (let i = period; i < n; i++) {
    value += alpha * (values[i]! - value);
    out[i] = value;
  }
  return out;
}

export function bollinger(
  values: ArrayLike<number>,
  period: number,
  k: number,
): { middle: Float64Array; upper: Float64Array; lower: Float64Array } {
  const middle = sma(values, period);
  const n = values.length;
  const upper = new Float64Array(n).fill(NaN);
  const lower = new Float64Array(n).fill(NaN);
  for (let i = period - 1; i < n; i++) {
    const mean = middle[i]!;
    let squares = 0;
    for (let j = i - period + 1; j <= i; j++) squares += (values[j]! - mean) ** 2;
    const width = k * Math.sqrt(squares / period); // population σ
    upper[i] = mean + width;
    lower[i] = mean - width;
  }
  return { middle, upper, lower };
}

/** Wilder's RSI; the first value lands at index `period`; a flat stretch reads 50. */
export function rsi(values: ArrayLike<number>, period: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(NaN);
  if (n <= period) return out;
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const d = values[i]! - values[i - 1]!;
    if (d > 0) gain += d;
    else loss -= d;
  }
  gain /= period;
  loss /= period;
  const value = () => (gain + loss === 0 ? 50 : (100 * gain) / (gain + loss));
  out[period] = value();
  for (let i = period + 1; i < n; i++) {
    const d = values[i]! - values[i - 1]!;
    gain = (gain * (period - 1) + Math.max(d, 0)) / period;
    loss = (loss * (period - 1) + Math.max(-d, 0)) / period;
    out[i] = value();
  }
  return out;
}

export function macd(
  values: ArrayLike<number>,
  fast: number,
  slow: number,
  signalPeriod: number,
): { macd: Float64Array; signal: Float64Array; histogram: Float64Array } {
  const n = values.length;
  const fastLine = ema(values, fast);
  const slowLine = ema(values, slow);
  const line = new Float64Array(n);
  for (let i = 0; i < n; i++) line[i] = fastLine[i]! - slowLine[i]!;
  const start = Math.max(fast, slow) - 1;
  const signal = new Float64Array(n).fill(NaN);
  if (n > start) signal.set(ema(line.subarray(start), signalPeriod), start);
  const histogram = new Float64Array(n);
  for (let i = 0; i < n; i++) histogram[i] = line[i]! - signal[i]!;
  return { macd: line, signal, histogram };
}
