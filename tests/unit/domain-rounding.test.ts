// The one rounding place per instrument: prices on the tick grid, quantities down to the step, and
// numbers printed at the instrument's decimals without float noise.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalsOf, noiseLevel } from '../../core/domain/decimals.ts';
import { defineInstrument, InstrumentError, type Instrument } from '../../core/domain/instrument.ts';
import {
  belowMinimum,
  formatPrice,
  formatQuantity,
  roundLimitPrice,
  roundPrice,
  roundQuantity,
} from '../../core/domain/rounding.ts';

const eurusd = defineInstrument({
  symbol: 'EURUSD',
  venue: 'simulated',
  tickSize: 0.00001,
  quantityStep: 1000,
});
const btc = defineInstrument({
  symbol: 'BTC/USDT',
  venue: 'binance',
  tickSize: 0.01,
  quantityStep: 0.00001,
  minNotional: 5,
});
const shares = defineInstrument({
  symbol: 'GOOG',
  venue: 'simulated',
  priceDecimals: 2,
  quantityDecimals: 4,
});

/** Increments of every shape venues use: decimal powers, and 0.25 / 0.5 / 5 style ticks. */
const increment = fc.oneof(
  fc.integer({ min: 0, max: 8 }).map((d) => Number((10 ** -d).toFixed(d))),
  fc.constantFrom(0.25, 0.5, 5, 0.005, 0.0025, 1000, 0.1),
);
const instrument = fc
  .record({ tickSize: increment, quantityStep: increment })
  .map((spec): Instrument => defineInstrument({ symbol: 'X', venue: 'v', ...spec }));
/** Values within a double's exact-integer range of grid steps (a venue never quotes beyond it). */
const value = fc.double({ min: 0, max: 1e6, noNaN: true });

/** Whether `x` is a whole number of `step`s, up to the noise of the decimal representation. */
function onGrid(x: number, step: number): boolean {
  const steps = x / step;
  return Math.abs(steps - Math.round(steps)) <= Math.max(1, steps) * 1e-9;
}

describe('an instrument', () => {
  it('derives decimals from its increments and defaults to whole units and a one-step minimum', () => {
    expect(eurusd.priceDecimals).toBe(5);
    expect(eurusd.quantityDecimals).toBe(0);
    expect(btc.priceDecimals).toBe(2);
    expect(btc.quantityDecimals).toBe(5);
    expect(btc.minQuantity).toBe(0.00001);
    expect(shares.tickSize).toBe(0.01);
    expect(shares.quantityStep).toBe(0.0001);
    const plain = defineInstrument({ symbol: 'X', venue: 'v', tickSize: 0.25 });
    expect(plain.priceDecimals).toBe(2);
    expect(plain.quantityStep).toBe(1);
    expect(plain.minNotional).toBe(0);
  });

  it('refuses a bad spec naming every offending field', () => {
    let caught: unknown;
    try {
      defineInstrument({ symbol: ' ', venue: 'v', tickSize: -1, quantityDecimals: 2.5, minNotional: -3 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InstrumentError);
    expect((caught as InstrumentError).issues.map((issue) => issue.path)).toEqual([
      'symbol',
      'tickSize',
      'quantityDecimals',
      'minNotional',
    ]);
    expect(() => defineInstrument({ symbol: 'X', venue: 'v' })).toThrow(
      /tickSize or priceDecimals is required/,
    );
    expect(() => defineInstrument({ symbol: 'X', venue: 'v', tickSize: 0.001, priceDecimals: 2 })).toThrow(
      /priceDecimals 2 cannot show a tickSize of 0.001/,
    );
  });
});

describe('rounding', () => {
  it('prints quantities and prices at the instrument decimals without float noise', () => {
    expect(formatQuantity(shares, 39.682500000000005)).toBe('39.6825');
    expect(formatPrice(eurusd, 1.14)).toBe('1.14000');
    expect(formatPrice(eurusd, 1.07 + 0.00219)).toBe('1.07219');
    expect(formatPrice(btc, 43_250.5)).toBe('43250.50');
    expect(formatPrice(btc, -0.001)).toBe('0.00');
  });

  it('rounds a price to the nearest tick and a limit price to the trader’s side', () => {
    expect(roundPrice(btc, 100.004)).toBe(100);
    expect(roundPrice(btc, 100.006)).toBe(100.01);
    expect(roundPrice(eurusd, 0.1 + 0.2)).toBe(0.3);
    expect(roundLimitPrice(btc, 'buy', 100.019)).toBe(100.01);
    expect(roundLimitPrice(btc, 'sell', 100.011)).toBe(100.02);
    expect(roundLimitPrice(btc, 'sell', 100.01)).toBe(100.01);
  });

  it('rounds quantities down to the step, reading float noise as the grid point it is', () => {
    expect(roundQuantity(btc, 0.123456)).toBe(0.12345);
    expect(roundQuantity(btc, 3 * 0.1)).toBe(0.3);
    expect(roundQuantity(shares, 0.7 * 3)).toBe(2.1);
    expect(roundQuantity(eurusd, 12_999)).toBe(12_000);
    expect(roundQuantity(btc, 0)).toBe(0);
    expect(roundQuantity(btc, -1)).toBe(0);
    expect(roundQuantity(btc, Number.NaN)).toBe(0);
  });

  it('says when an order is below the venue minimums', () => {
    expect(belowMinimum(btc, 0.00001, 100)?.code).toBe('below_min_notional');
    expect(belowMinimum(btc, 0.000001, 100_000)?.code).toBe('below_min_quantity');
    expect(belowMinimum(btc, 0.001, 10_000)).toBeNull();
  });

  it('is idempotent and lands on the grid (property)', () => {
    fc.assert(
      fc.property(instrument, value, (instr, x) => {
        const price = roundPrice(instr, x);
        expect(roundPrice(instr, price)).toBe(price);
        expect(onGrid(price, instr.tickSize)).toBe(true);
        expect(Math.abs(price - x)).toBeLessThanOrEqual(instr.tickSize / 2 + Math.abs(x) * noiseLevel);
        const quantity = roundQuantity(instr, x);
        expect(roundQuantity(instr, quantity)).toBe(quantity);
        expect(onGrid(quantity, instr.quantityStep)).toBe(true);
      }),
    );
  });

  it('never rounds a quantity up past the requested size, and loses less than one step (property)', () => {
    fc.assert(
      fc.property(instrument, value, (instr, x) => {
        const quantity = roundQuantity(instr, x);
        // Above only by float noise: 2.0999999999999996 is 21 steps of 0.1.
        expect(quantity - x).toBeLessThanOrEqual(x * noiseLevel);
        expect(x - quantity).toBeLessThan(instr.quantityStep);
      }),
    );
  });

  it('never lets a limit price pay more or receive less than asked (property)', () => {
    fc.assert(
      fc.property(instrument, value, (instr, x) => {
        const buy = roundLimitPrice(instr, 'buy', x);
        const sell = roundLimitPrice(instr, 'sell', x);
        expect(buy - x).toBeLessThanOrEqual(x * noiseLevel);
        expect(x - sell).toBeLessThanOrEqual(x * noiseLevel);
        // One tick apart at most (the subtraction of two large prices carries its own float error).
        expect(sell - buy).toBeLessThanOrEqual(instr.tickSize + x * 1e-15 * 4);
        expect(onGrid(buy, instr.tickSize) && onGrid(sell, instr.tickSize)).toBe(true);
      }),
    );
  });

  it('formats so that reading the text back gives the rounded value (property)', () => {
    fc.assert(
      fc.property(instrument, value, (instr, x) => {
        const price = roundPrice(instr, x);
        const quantity = roundQuantity(instr, x);
        expect(Number(formatPrice(instr, price))).toBe(price);
        expect(Number(formatQuantity(instr, quantity))).toBe(quantity);
        expect(decimalsOf(price)).toBeLessThanOrEqual(instr.priceDecimals);
      }),
    );
  });
});

describe('a step finer than the decimals a quantity is shown at', () => {
  it('one step is one step, not 0 (found by spec-bounds: a lot of 0.0035893407675 reported a trade of size 0)', () => {
    const instrument = defineInstrument({
      symbol: 'X',
      venue: 'simulated',
      priceDecimals: 2,
      quantityStep: 0.0035893407675,
    });
    expect(instrument.quantityDecimals).toBe(12);
    expect(roundQuantity(instrument, 0.0035893407675)).toBe(0.003589340768);
    expect(roundQuantity(instrument, 2 * 0.0035893407675)).toBe(0.007178681535);
    expect(roundQuantity(instrument, 0.0035893407674)).toBe(0);
  });
});
