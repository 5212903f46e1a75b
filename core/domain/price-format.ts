// THE one way a price or a quantity becomes text, at a given number of decimals: the CLI, the
// Backtest page's trade table, the chart's price axis and legend and the Optimizer use it
// (through core/contract/price-format.ts, since the renderer may import only the contract), so
// EURUSD reads "1.14012 → 1.14187" everywhere and never "1.14 → 1.14", and a size reads 39.6825,
// never 39.682500000000005. Decimals come from the instrument (rounding.ts) or, for imported data,
// from the prices themselves (detect-precision.ts; candles.list and every result carry them).
import { z } from 'zod';
import { maxDecimals } from './decimals.ts';

/** Decimals of an instrument's prices as results and series carry them: 0 … 12. */
export const priceDecimalsSchema = z.number().int().min(0).max(maxDecimals);

export interface FormatOptions {
  /** Thousands separated by commas ("43,210.55"), as tables show money-sized prices. Default false. */
  grouping?: boolean;
}

/**
 * `value` with exactly `decimals` decimals (0 … 20), rounded as toFixed rounds the double it holds;
 * never "-0.00" for a value that rounds to zero. Non-finite values print as JavaScript spells them.
 */
export function formatAtDecimals(value: number, decimals: number, options: FormatOptions = {}): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = Math.min(20, Math.max(0, Math.trunc(decimals)));
  let text = value.toFixed(digits);
  if (/^-0(\.0*)?$/.test(text)) text = text.slice(1);
  if (!options.grouping) return text;
  const point = text.indexOf('.');
  const whole = point < 0 ? text : text.slice(0, point);
  // toFixed switches to exponent notation from 1e21 on; such a number is left as it is.
  if (!/^-?\d+$/.test(whole)) return text;
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (point < 0 ? '' : text.slice(point));
}
