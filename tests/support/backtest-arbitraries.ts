// fast-check arbitraries for backtests: valid random candles and random money settings (costs,
// lot size, sizing), shared by the engine's property tests.
import fc from 'fast-check';
import { backtestSpecSchema } from '../../core/backtest/spec.ts';
import { allocateCandleColumns, type CandleColumns } from '../../core/storage/candle-columns.ts';

const move = (max: number) => fc.oneof(fc.constant(0), fc.double({ min: -max, max, noNaN: true }));
const wickUpTo = (max: number) => fc.oneof(fc.constant(0), fc.double({ min: 0, max, noNaN: true }));

/**
 * Valid OHLC: a random walk of opens and closes, wicks around them, prices rounded to cents. The
 * scale shrinks every move: calm bars that stay inside a bracket, which the engine may skip.
 */
export const candlesArbScaled = (scale: number, minLength = 1) =>
  fc
    .record({
      start: fc.double({ min: 1, max: 5_000, noNaN: true }),
      bars: fc.array(
        fc.tuple(move(0.02 * scale), move(0.04 * scale), wickUpTo(0.03 * scale), wickUpTo(0.03 * scale)),
        { minLength, maxLength: 160 },
      ),
    })
    .map(({ start, bars }): CandleColumns => {
      const candles = allocateCandleColumns(bars.length);
      const cents = (value: number) => Math.max(0.01, Math.round(value * 100) / 100);
      let price = start;
      bars.forEach(([gap, change, up, down], i) => {
        const open = cents(price * (1 + gap));
        const close = cents(open * (1 + change));
        candles.time[i] = 1_600_000_000 + i * 3_600;
        candles.open[i] = open;
        candles.close[i] = close;
        candles.high[i] = cents(Math.max(open, close) * (1 + up));
        candles.low[i] = Math.min(open, close, cents(Math.min(open, close) * (1 - down)));
        price = close;
      });
      return candles;
    });

/** fast-check keeps arrays short by default (a handful of bars); half the cases get 60 or more. */
export const candlesArb = fc.oneof(candlesArbScaled(1), candlesArbScaled(1, 60));

const sizingArb = fc.oneof(
  fc.constant({ mode: 'all-in' as const }),
  fc.record({
    mode: fc.constant('fraction' as const),
    fraction: fc.double({ min: 0.01, max: 1, noNaN: true }),
  }),
  fc.record({
    mode: fc.constant('fixed' as const),
    quantity: fc.double({ min: 0.001, max: 500, noNaN: true }),
  }),
  fc.record({
    mode: fc.constant('risk' as const),
    riskFraction: fc.double({ min: 0.001, max: 0.5, noNaN: true }),
  }),
);

export const specArb = fc
  .record({
    cash: fc.double({ min: 10, max: 1e6, noNaN: true }),
    commission: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.05, noNaN: true })),
    fixedFee: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 10, noNaN: true })),
    slippage: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.02, noNaN: true })),
    lotSize: fc.constantFrom(1, 0.1, 0.001, 10),
    sizing: sizingArb,
    closeAtEnd: fc.boolean(),
  })
  .map((costs) => backtestSpecSchema.parse({ strategy: 'x', ...costs }));
