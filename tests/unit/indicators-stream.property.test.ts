// Batch and streaming forms of every indicator, fed the same random series, must agree at every index:
// warm-up NaN exactly where the stream is not ready, and equal values afterwards. Both forms perform the
// same floating-point operations in the same order, so "agree" is checked to 1e-9 relative but in practice
// holds bit for bit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  atr,
  bollinger,
  ema,
  macd,
  rsi,
  sma,
  stochastic,
  AtrStream,
  BollingerStream,
  EmaStream,
  MacdStream,
  RsiStream,
  SmaStream,
  StochasticStream,
} from '../../core/indicators/index.ts';

// 'large' spreads lengths over 0..300, so long periods get past their warm-up.
const price = fc.double({ min: 0.01, max: 1e6, noNaN: true, noDefaultInfinity: true });
const series = fc
  .array(price, { minLength: 0, maxLength: 300, size: 'large' })
  .map((xs) => Float64Array.from(xs));
const period = fc.integer({ min: 1, max: 40 });
/** Bars with low ≤ close ≤ high. */
const bars = fc
  .array(
    fc.tuple(
      price,
      fc.double({ min: 0, max: 1000, noNaN: true }),
      fc.double({ min: 0, max: 1000, noNaN: true }),
    ),
    { maxLength: 300, size: 'large' },
  )
  .map((rows) => ({
    high: Float64Array.from(rows, ([c, up]) => c + up),
    low: Float64Array.from(rows, ([c, , down]) => c - down),
    close: Float64Array.from(rows, ([c]) => c),
  }));

function agree(streamValue: number, batchValue: number, where: string): void {
  if (Number.isNaN(batchValue)) {
    expect(streamValue, where).toBeNaN();
    return;
  }
  const scale = Math.max(1, Math.abs(batchValue));
  expect(
    Math.abs(streamValue - batchValue) / scale,
    `${where}: ${streamValue} vs ${batchValue}`,
  ).toBeLessThanOrEqual(1e-9);
}

interface Stream {
  ready: boolean;
  value: number;
}

/** The primary line: value NaN ⇔ not ready ⇔ batch NaN, and the update's return value is `value`. */
function checkPrimary(stream: Stream, returned: number, batchValue: number, i: number): void {
  agree(returned, batchValue, `index ${i}`);
  expect(stream.ready, `ready at ${i}`).toBe(!Number.isNaN(batchValue));
  expect(Object.is(stream.value, returned), `value at ${i}`).toBe(true);
}

describe('batch and stream agree', () => {
  it('SMA', () => {
    fc.assert(
      fc.property(series, period, (values, p) => {
        const batch = sma(values, p);
        const stream = new SmaStream(p);
        expect(stream.ready).toBe(false);
        values.forEach((x, i) => checkPrimary(stream, stream.update(x), batch[i]!, i));
        batch.forEach((x, i) => expect(Number.isNaN(x)).toBe(i < p - 1));
      }),
    );
  });

  it('EMA', () => {
    fc.assert(
      fc.property(series, period, (values, p) => {
        const batch = ema(values, p);
        const stream = new EmaStream(p);
        values.forEach((x, i) => checkPrimary(stream, stream.update(x), batch[i]!, i));
        batch.forEach((x, i) => expect(Number.isNaN(x)).toBe(i < p - 1));
      }),
    );
  });

  it('RSI', () => {
    fc.assert(
      fc.property(series, fc.integer({ min: 2, max: 40 }), (values, p) => {
        const batch = rsi(values, p);
        const stream = new RsiStream(p);
        values.forEach((x, i) => checkPrimary(stream, stream.update(x), batch[i]!, i));
        batch.forEach((x, i) => {
          expect(Number.isNaN(x)).toBe(i < p);
          if (i >= p) expect(x >= 0 && x <= 100).toBe(true);
        });
      }),
    );
  });

  it('ATR', () => {
    fc.assert(
      fc.property(bars, period, ({ high, low, close }, p) => {
        const batch = atr(high, low, close, p);
        const stream = new AtrStream(p);
        close.forEach((c, i) => checkPrimary(stream, stream.update(high[i]!, low[i]!, c), batch[i]!, i));
        batch.forEach((x, i) => expect(Number.isNaN(x)).toBe(i < p - 1));
      }),
    );
  });

  it('Bollinger Bands', () => {
    fc.assert(
      fc.property(series, period, fc.double({ min: 0, max: 4, noNaN: true }), (values, p, k) => {
        const batch = bollinger(values, p, k);
        const stream = new BollingerStream(p, k);
        values.forEach((x, i) => {
          checkPrimary(stream, stream.update(x), batch.middle[i]!, i);
          agree(stream.middle, batch.middle[i]!, `middle ${i}`);
          agree(stream.upper, batch.upper[i]!, `upper ${i}`);
          agree(stream.lower, batch.lower[i]!, `lower ${i}`);
          if (i >= p - 1)
            expect(batch.lower[i]! <= batch.middle[i]! && batch.middle[i]! <= batch.upper[i]!).toBe(true);
          else expect(batch.upper[i]).toBeNaN();
        });
      }),
    );
  });

  it('MACD', () => {
    fc.assert(
      fc.property(series, period, period, fc.integer({ min: 1, max: 15 }), (values, fast, slow, signal) => {
        const batch = macd(values, fast, slow, signal);
        const stream = new MacdStream(fast, slow, signal);
        const start = Math.max(fast, slow) - 1;
        values.forEach((x, i) => {
          checkPrimary(stream, stream.update(x), batch.macd[i]!, i);
          agree(stream.signal, batch.signal[i]!, `signal ${i}`);
          agree(stream.histogram, batch.histogram[i]!, `histogram ${i}`);
          expect(Number.isNaN(batch.macd[i]!)).toBe(i < start);
          expect(Number.isNaN(batch.signal[i]!)).toBe(i < start + signal - 1);
          expect(Number.isNaN(batch.histogram[i]!)).toBe(i < start + signal - 1);
        });
      }),
    );
  });

  it('Stochastic', () => {
    const smoothing = fc.integer({ min: 1, max: 5 });
    fc.assert(
      fc.property(bars, period, smoothing, smoothing, ({ high, low, close }, p, ks, dp) => {
        const batch = stochastic(high, low, close, p, ks, dp);
        const stream = new StochasticStream(p, ks, dp);
        close.forEach((c, i) => {
          checkPrimary(stream, stream.update(high[i]!, low[i]!, c), batch.k[i]!, i);
          agree(stream.k, batch.k[i]!, `k ${i}`);
          agree(stream.d, batch.d[i]!, `d ${i}`);
          expect(Number.isNaN(batch.k[i]!)).toBe(i < p + ks - 2);
          expect(Number.isNaN(batch.d[i]!)).toBe(i < p + ks + dp - 3);
          // Raw %K is exactly within [0, 100]; its SMA may stray by rounding only.
          const slack = ks === 1 ? 0 : 1e-9;
          if (i >= p + ks - 2) expect(batch.k[i]! >= -slack && batch.k[i]! <= 100 + slack).toBe(true);
        });
      }),
    );
  });

  it('Stochastic window extremes match a brute-force scan', () => {
    fc.assert(
      fc.property(bars, period, ({ high, low, close }, p) => {
        const { k } = stochastic(high, low, close, p, 1, 1);
        for (let i = p - 1; i < close.length; i++) {
          const hh = Math.max(...high.subarray(i - p + 1, i + 1));
          const ll = Math.min(...low.subarray(i - p + 1, i + 1));
          expect(k[i]).toBe(hh === ll ? 50 : 100 * ((close[i]! - ll) / (hh - ll)));
        }
      }),
    );
  });

  it('batch results do not depend on a reused out buffer', () => {
    fc.assert(
      fc.property(series, fc.integer({ min: 2, max: 40 }), (values, p) => {
        const dirty = new Float64Array(values.length).fill(123);
        expect(Array.from(sma(values, p, dirty))).toEqual(Array.from(sma(values, p)));
        dirty.fill(-5);
        expect(Array.from(rsi(values, p, dirty))).toEqual(Array.from(rsi(values, p)));
        dirty.fill(9);
        expect(Array.from(ema(values, p, dirty))).toEqual(Array.from(ema(values, p)));
      }),
    );
  });
});

describe('parameter validation', () => {
  const values = Float64Array.from([1, 2, 3]);
  const bad = [0, -1, 1.5, NaN, Infinity];

  it.each(bad)('period %s is refused with a RangeError naming the parameter', (p) => {
    const message = new RegExp(`^period must be an integer ≥ 1, got ${p}$`);
    for (const call of [
      () => sma(values, p),
      () => new SmaStream(p),
      () => ema(values, p),
      () => new EmaStream(p),
      () => atr(values, values, values, p),
      () => new AtrStream(p),
      () => bollinger(values, p),
      () => new BollingerStream(p),
      () => stochastic(values, values, values, p),
      () => new StochasticStream(p),
    ]) {
      expect(call).toThrow(RangeError);
      expect(call).toThrow(message);
    }
  });

  it('RSI needs period ≥ 2', () => {
    for (const p of [1, 0, 2.5, NaN]) {
      expect(() => rsi(values, p)).toThrow(RangeError);
      expect(() => new RsiStream(p)).toThrow(new RangeError(`period must be an integer ≥ 2, got ${p}`));
    }
    expect(() => rsi(values, 2)).not.toThrow();
  });

  it('names the offending parameter of multi-parameter indicators', () => {
    expect(() => macd(values, 0)).toThrow('fastPeriod must be an integer ≥ 1, got 0');
    expect(() => new MacdStream(12, 2.5)).toThrow('slowPeriod must be an integer ≥ 1, got 2.5');
    expect(() => macd(values, 12, 26, -1)).toThrow('signalPeriod must be an integer ≥ 1, got -1');
    expect(() => stochastic(values, values, values, 14, 0)).toThrow(
      'kSmoothing must be an integer ≥ 1, got 0',
    );
    expect(() => new StochasticStream(14, 3, 0)).toThrow('dPeriod must be an integer ≥ 1, got 0');
    expect(() => bollinger(values, 20, -1)).toThrow('k must be a finite number ≥ 0, got -1');
    expect(() => new BollingerStream(20, NaN)).toThrow(RangeError);
  });

  it('refuses an out buffer of the wrong length', () => {
    expect(() => sma(values, 2, new Float64Array(2))).toThrow(RangeError);
    expect(() => rsi(values, 2, new Float64Array(4))).toThrow(RangeError);
  });

  it('property: any non-integer or too-small period throws, never returns', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ max: 0 }),
          fc.double({ noNaN: true }).filter((x) => !Number.isInteger(x)),
        ),
        (p) => {
          expect(() => sma(values, p)).toThrow(RangeError);
          expect(() => new RsiStream(p)).toThrow(RangeError);
          expect(() => new EmaStream(p)).toThrow(RangeError);
        },
      ),
    );
  });
});
