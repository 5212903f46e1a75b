// Every indicator against numbers worked out by hand from the formulas in docs/indicators.md.
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

const f64 = (values: number[]) => Float64Array.from(values);

/** `null` marks a warm-up bar, which must be exactly NaN. */
function expectSeries(actual: Float64Array, expected: (number | null)[], tolerance = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((want, i) => {
    const got = actual[i]!;
    if (want === null) expect(got, `index ${i}`).toBeNaN();
    else expect(Math.abs(got - want), `index ${i}: got ${got}, want ${want}`).toBeLessThanOrEqual(tolerance);
  });
}

// The 6-bar series worked through below.
const closes = f64([10, 11, 12, 11, 13, 14]);
// Bars for ATR and the stochastic (high, low, close).
const highs = f64([12, 13, 14, 13, 16, 15]);
const lows = f64([9, 10, 12, 10, 12, 14]);
const barCloses = f64([10, 12, 13, 11, 15, 14]);

describe('SMA', () => {
  it('SMA(3) of 10 11 12 11 13 14', () => {
    // (10+11+12)/3 = 11, (11+12+11)/3 = 34/3, (12+11+13)/3 = 12, (11+13+14)/3 = 38/3
    expectSeries(sma(closes, 3), [null, null, 11, 34 / 3, 12, 38 / 3]);
  });

  it('period 1 is the identity, period = length gives one value, period > length gives none', () => {
    expect(Array.from(sma(closes, 1))).toEqual(Array.from(closes));
    expectSeries(sma(closes, 6), [null, null, null, null, null, 71 / 6]);
    expectSeries(sma(closes, 7), [null, null, null, null, null, null]);
    expectSeries(sma(new Float64Array(0), 3), []);
  });

  it('writes into a supplied buffer', () => {
    const out = new Float64Array(6).fill(7);
    expect(sma(closes, 3, out)).toBe(out);
    expectSeries(out, [null, null, 11, 34 / 3, 12, 38 / 3]);
  });

  it('stays within 1e-9 of the exact window mean over 1,000,000 bars of a random walk', () => {
    const n = 1_000_000;
    const values = new Float64Array(n);
    let price = 1e5;
    let seed = 7;
    for (let i = 0; i < n; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      price *= 1 + (seed / 2147483648 - 0.5) * 0.01;
      values[i] = price;
    }
    const period = 50;
    const batch = sma(values, period);
    const stream = new SmaStream(period);
    let worst = 0;
    let disagreements = 0;
    for (let i = 0; i < n; i++) {
      if (!Object.is(stream.update(values[i]!), batch[i])) disagreements++;
      if (i % 997 === 0 && i >= period - 1) {
        let sum = 0;
        for (let j = i - period + 1; j <= i; j++) sum += values[j]!;
        worst = Math.max(worst, Math.abs(batch[i]! - sum / period) / (sum / period));
      }
    }
    expect(disagreements).toBe(0);
    expect(worst).toBeLessThanOrEqual(1e-9);
  });

  it('recovers from a spike that would poison a plain running sum', () => {
    // 1e15 then small values: `sum += new - old` alone would keep an error of ~0.1 for ever.
    const values = new Float64Array(10_000).fill(0.123);
    values[0] = 1e15;
    const out = sma(values, 4);
    for (let i = 8; i < values.length; i++) expect(out[i]).toBeCloseTo(0.123, 12);
  });
});

describe('EMA', () => {
  it('EMA(3) of 10 11 12 11 13 14, seeded with the SMA', () => {
    // alpha = 2/4 = 0.5; seed at index 2 = SMA = 11;
    // then 11 + .5(11-11) = 11; 11 + .5(13-11) = 12; 12 + .5(14-12) = 13
    expectSeries(ema(closes, 3), [null, null, 11, 11, 12, 13]);
  });

  it('EMA(2): alpha = 2/3', () => {
    // seed at index 1 = 10.5; 10.5 + 2/3·1.5 = 11.5; 11.5 - 2/3·0.5 = 67/6; 67/6 + 2/3·11/6 = 223/18;
    // 223/18 + 2/3·29/18 = 727/54
    expectSeries(ema(closes, 2), [null, 10.5, 11.5, 67 / 6, 223 / 18, 727 / 54]);
  });

  it('period 1 is the identity', () => {
    expect(Array.from(ema(closes, 1))).toEqual(Array.from(closes));
  });
});

describe('RSI', () => {
  it('RSI(3) of 10 11 12 11 13 14', () => {
    // d = +1 +1 -1 +2 +1. Seed at index 3: gain = (1+1+0)/3 = 2/3, loss = 1/3 → RS 2 → 100 - 100/3.
    // index 4 (d=+2): gain = (2/3·2 + 2)/3 = 10/9, loss = (1/3·2)/3 = 2/9 → RS 5 → 100 - 100/6.
    // index 5 (d=+1): gain = (10/9·2 + 1)/3 = 29/27, loss = (2/9·2)/3 = 4/27 → RS 29/4 → 100·29/33.
    expectSeries(rsi(closes, 3), [null, null, null, 200 / 3, 250 / 3, 2900 / 33], 1e-9);
  });

  it("Wilder's RSI(14) example series", () => {
    // The classic 20-close series; reference values as printed by TA-Lib's RSI.
    const series = f64([
      44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28,
      46.0, 46.03, 46.41, 46.22, 45.64,
    ]);
    expectSeries(
      rsi(series, 14),
      [
        ...Array<null>(14).fill(null),
        70.46413502,
        66.24961855,
        66.48094183,
        69.34685316,
        66.29471265,
        57.91502067,
      ],
      1e-6,
    );
  });

  it('edge cases: only gains → 100, only losses → 0, flat → 50', () => {
    expectSeries(rsi(f64([1, 2, 3, 4, 5]), 2), [null, null, 100, 100, 100]);
    expectSeries(rsi(f64([5, 4, 3, 2, 1]), 2), [null, null, 0, 0, 0]);
    expectSeries(rsi(f64([3, 3, 3, 3, 3]), 2), [null, null, 50, 50, 50]);
  });

  it('stays within [0, 100] exactly: all gains give 100, not 100.00000000000001', () => {
    // Found by the property test: 100·G/(G+L) with L = 0 rounds to 100.00000000000001 here.
    const values = f64([0.01, 0.01, 0.03383806840866115]);
    expect(rsi(values, 2)[2]).toBe(100);
    const stream = new RsiStream(2);
    for (const x of values) stream.update(x);
    expect(stream.value).toBe(100);
  });

  it('too short a series is all NaN', () => {
    expectSeries(rsi(f64([1, 2, 3]), 3), [null, null, null]);
    expectSeries(rsi(new Float64Array(0), 14), []);
  });

  it('may write in place over its input', () => {
    const values = Float64Array.from(closes);
    rsi(values, 3, values);
    expectSeries(values, [null, null, null, 200 / 3, 250 / 3, 2900 / 33], 1e-9);
  });
});

describe('ATR', () => {
  it('ATR(3) of six bars', () => {
    // TR: 12-9 = 3; max(3, |13-10|, |10-10|) = 3; max(2, |14-12|, |12-12|) = 2; max(3, |13-13|, |10-13|) = 3;
    //     max(4, |16-11|, |12-11|) = 5; max(1, |15-15|, |14-15|) = 1.
    // Seed at index 2 = (3+3+2)/3 = 8/3; then (8/3·2 + 3)/3 = 25/9; (25/9·2 + 5)/3 = 95/27;
    // (95/27·2 + 1)/3 = 217/81.
    expectSeries(atr(highs, lows, barCloses, 3), [null, null, 8 / 3, 25 / 9, 95 / 27, 217 / 81]);
  });

  it('ATR(1) is the true range', () => {
    expectSeries(atr(highs, lows, barCloses, 1), [3, 3, 2, 3, 5, 1]);
  });

  it('refuses inputs of different lengths', () => {
    expect(() => atr(highs, lows.subarray(1), barCloses, 3)).toThrow(RangeError);
  });
});

describe('Bollinger Bands', () => {
  it('(3, 2) of 10 11 12 11 13 14 with population σ', () => {
    // windows: 10 11 12 → mean 11, var 2/3; 11 12 11 → mean 34/3, var (1+4+1)/27 = 2/9;
    //          12 11 13 → mean 12, var 2/3; 11 13 14 → mean 38/3, var (25+1+16)/27 = 14/9.
    const { middle, upper, lower } = bollinger(closes, 3, 2);
    const sd = [Math.sqrt(2 / 3), Math.sqrt(2 / 9), Math.sqrt(2 / 3), Math.sqrt(14 / 9)];
    const mid = [11, 34 / 3, 12, 38 / 3];
    expectSeries(middle, [null, null, ...mid]);
    expectSeries(upper, [null, null, ...mid.map((m, i) => m + 2 * sd[i]!)]);
    expectSeries(lower, [null, null, ...mid.map((m, i) => m - 2 * sd[i]!)]);
  });

  it('middle is exactly the SMA', () => {
    expect(Array.from(bollinger(closes, 4).middle)).toEqual(Array.from(sma(closes, 4)));
  });

  it('a flat series has σ exactly 0, even around 1e6', () => {
    const { middle, upper, lower } = bollinger(new Float64Array(100).fill(987654.321), 20, 2);
    for (let i = 19; i < 100; i++) {
      expect(upper[i]).toBe(middle[i]);
      expect(lower[i]).toBe(middle[i]);
    }
  });

  it('keeps σ accurate for a small spread on a large level', () => {
    // 1e6 ± 0.5 alternating: σ = 0.5 exactly; a Σx² formula would lose most digits here.
    const values = new Float64Array(10_000);
    for (let i = 0; i < values.length; i++) values[i] = 1e6 + (i % 2 ? 0.5 : -0.5);
    const { middle, upper } = bollinger(values, 10, 1);
    for (let i = 9; i < values.length; i++) expect(upper[i]! - middle[i]!).toBeCloseTo(0.5, 8);
  });
});

describe('MACD', () => {
  it('(2, 3, 2) of 10 11 12 11 13 14', () => {
    // EMA2 = _, 10.5, 11.5, 67/6, 223/18, 727/54; EMA3 = _, _, 11, 11, 12, 13 (see the EMA cases).
    // macd = 1/2, 1/6, 7/18, 25/54 from index 2.
    // signal = EMA2 of macd: seed at index 3 = (1/2 + 1/6)/2 = 1/3; 1/3 + 2/3·(7/18 - 1/3) = 10/27;
    //          10/27 + 2/3·(25/54 - 10/27) = 35/81.
    // histogram = 1/6 - 1/3 = -1/6; 7/18 - 10/27 = 1/54; 25/54 - 35/81 = 5/162.
    const lines = macd(closes, 2, 3, 2);
    expectSeries(lines.macd, [null, null, 1 / 2, 1 / 6, 7 / 18, 25 / 54]);
    expectSeries(lines.signal, [null, null, null, 1 / 3, 10 / 27, 35 / 81]);
    expectSeries(lines.histogram, [null, null, null, -1 / 6, 1 / 54, 5 / 162]);
  });

  it('default 12/26/9 warm-up: macd from index 25, signal and histogram from 33', () => {
    const values = Float64Array.from({ length: 60 }, (_, i) => 100 + Math.sin(i / 3) * 5);
    const lines = macd(values);
    expect(lines.macd.findIndex((x) => !Number.isNaN(x))).toBe(25);
    expect(lines.signal.findIndex((x) => !Number.isNaN(x))).toBe(33);
    expect(lines.histogram.findIndex((x) => !Number.isNaN(x))).toBe(33);
  });

  it('a series shorter than the warm-up is all NaN', () => {
    const lines = macd(closes);
    for (const line of [lines.macd, lines.signal, lines.histogram])
      expectSeries(line, Array<null>(6).fill(null));
  });
});

describe('Stochastic', () => {
  it('(3, 1, 2) of six bars', () => {
    // i2: HH 14, LL 9 → 100·(13-9)/5 = 80;  i3: HH 14, LL 10 → 100·1/4 = 25;
    // i4: HH 16, LL 10 → 100·5/6;           i5: HH 16, LL 10 → 100·4/6.
    // %D(2) = (80+25)/2 = 52.5, (25 + 250/3)/2 = 325/6, (250/3 + 200/3)/2 = 75.
    const { k, d } = stochastic(highs, lows, barCloses, 3, 1, 2);
    expectSeries(k, [null, null, 80, 25, 250 / 3, 200 / 3]);
    expectSeries(d, [null, null, null, 52.5, 325 / 6, 75]);
  });

  it('(3, 2, 2): %K smoothed over 2 bars', () => {
    // %K = (80+25)/2 = 52.5, 325/6, 75; %D = (52.5 + 325/6)/2 = 160/3, (325/6 + 75)/2 = 775/12.
    const { k, d } = stochastic(highs, lows, barCloses, 3, 2, 2);
    expectSeries(k, [null, null, null, 52.5, 325 / 6, 75], 1e-12);
    expectSeries(d, [null, null, null, null, 160 / 3, 775 / 12], 1e-12);
  });

  it('a close at the high gives exactly 100', () => {
    // Range 0.03383806840866115 - 0.01: 100·(c-LL)/range would round to 100.00000000000001.
    const top = 0.03383806840866115;
    const { k } = stochastic(f64([0.01, top]), f64([0.01, 0.01]), f64([0.01, top]), 2, 1, 1);
    expect(k[1]).toBe(100);
  });

  it('a flat window gives 50', () => {
    const flat = new Float64Array(10).fill(42);
    const { k, d } = stochastic(flat, flat, flat, 3, 1, 3);
    expectSeries(k, [null, null, 50, 50, 50, 50, 50, 50, 50, 50]);
    expectSeries(d, [null, null, null, null, 50, 50, 50, 50, 50, 50]);
  });
});

describe('streams reproduce the worked examples', () => {
  it('one update per bar', () => {
    const streams = {
      sma: new SmaStream(3),
      ema: new EmaStream(3),
      rsi: new RsiStream(3),
      atr: new AtrStream(3),
      bollinger: new BollingerStream(3, 2),
      macd: new MacdStream(2, 3, 2),
      stochastic: new StochasticStream(3, 1, 2),
    };
    const got: Record<string, number[]> = {
      sma: [],
      ema: [],
      rsi: [],
      atr: [],
      upper: [],
      signal: [],
      d: [],
    };
    for (let i = 0; i < 6; i++) {
      got.sma!.push(streams.sma.update(closes[i]!));
      got.ema!.push(streams.ema.update(closes[i]!));
      got.rsi!.push(streams.rsi.update(closes[i]!));
      got.atr!.push(streams.atr.update(highs[i]!, lows[i]!, barCloses[i]!));
      streams.bollinger.update(closes[i]!);
      got.upper!.push(streams.bollinger.upper);
      streams.macd.update(closes[i]!);
      got.signal!.push(streams.macd.signal);
      streams.stochastic.update(highs[i]!, lows[i]!, barCloses[i]!);
      got.d!.push(streams.stochastic.d);
    }
    expectSeries(f64(got.sma!), [null, null, 11, 34 / 3, 12, 38 / 3]);
    expectSeries(f64(got.ema!), [null, null, 11, 11, 12, 13]);
    expectSeries(f64(got.rsi!), [null, null, null, 200 / 3, 250 / 3, 2900 / 33], 1e-9);
    expectSeries(f64(got.atr!), [null, null, 8 / 3, 25 / 9, 95 / 27, 217 / 81]);
    expectSeries(f64(got.upper!), [
      null,
      null,
      11 + 2 * Math.sqrt(2 / 3),
      34 / 3 + 2 * Math.sqrt(2 / 9),
      12 + 2 * Math.sqrt(2 / 3),
      38 / 3 + 2 * Math.sqrt(14 / 9),
    ]);
    expectSeries(f64(got.signal!), [null, null, null, 1 / 3, 10 / 27, 35 / 81]);
    expectSeries(f64(got.d!), [null, null, null, 52.5, 325 / 6, 75]);
  });
});
