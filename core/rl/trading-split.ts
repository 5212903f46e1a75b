// A series cut in time order into train / validation / test: the policy learns on the oldest bars,
// is watched on the next ones while it learns, and is judged once, at the end, on the newest bars
// it never saw. Fractions of the bars; each part must hold the features' warm-up and some steps.
import { AutobotError } from '../domain/autobot-error.ts';
import { sliceCandles, type CandleColumns } from '../storage/candle-columns.ts';

export interface SplitFractions {
  /** Share of the bars to train on (the oldest). */
  train: number;
  /** Share after it to evaluate on while training; the rest is the test split. */
  validation: number;
}

export interface Segment {
  /** First bar (index into the series) and one past the last. */
  start: number;
  end: number;
}

export interface SeriesSplit {
  train: Segment;
  validation: Segment;
  test: Segment;
}

/** Steps a part must offer beyond the warm-up. */
export const minimumSegmentSteps = 20;

function refuse(path: string, message: string): never {
  throw new AutobotError('invalid_input', `${path}: ${message}`, { issues: [{ path, message }] });
}

export function splitSeries(
  bars: number,
  fractions: SplitFractions,
  warmup: number,
  path = 'split',
): SeriesSplit {
  const { train, validation } = fractions;
  if (!(train > 0 && train < 1)) refuse(`${path}.train`, 'train must be a fraction between 0 and 1');
  if (!(validation >= 0 && validation < 1))
    refuse(`${path}.validation`, 'validation must be a fraction from 0 to 1');
  if (train + validation >= 1)
    refuse(`${path}.validation`, 'train + validation must leave bars for the test split (sum below 1)');
  const a = Math.floor(bars * train);
  const b = Math.floor(bars * (train + validation));
  const need = warmup + minimumSegmentSteps;
  const parts: Array<[keyof SeriesSplit, number, string]> = [
    ['train', a, `${path}.train`],
    ['validation', b - a, `${path}.validation`],
    ['test', bars - b, `${path}.train`],
  ];
  for (const [name, size, at] of parts)
    if (size < need)
      refuse(
        at,
        `the ${name} split has ${size} bars; it needs at least ${need} (${warmup} of warm-up and ${minimumSegmentSteps} steps) — use a longer series or change the split`,
      );
  return { train: { start: 0, end: a }, validation: { start: a, end: b }, test: { start: b, end: bars } };
}

export function segmentCandles(candles: CandleColumns, segment: Segment): CandleColumns {
  return sliceCandles(candles, segment.start, segment.end);
}
