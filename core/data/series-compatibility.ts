// Whether a file's bars belong in the series they are about to join. Importing BTCUSD's monthly
// bars into GOOG 1d passes every row check yet ruins the series; the import asks first instead.
import type { Timeframe } from '../domain/timeframe.ts';
import { AutobotError } from '../domain/autobot-error.ts';
import { describeSpacing, medianSpacing, spacingFits, timeframeForSpacing } from './detect-timeframe.ts';

/** What is compared: the median gap between bars and the median close, from a sample of bars. */
export interface BarsSample {
  spacing: number | null;
  medianClose: number | null;
}

export interface SeriesDifference {
  field: 'timeframe' | 'spacing' | 'price';
  message: string;
}

/** Medians beyond this factor apart are a different instrument (or a unit mix-up), not a rally. */
export const priceLevelFactor = 3;
/** Gaps this much longer or shorter than the series' are a different timeframe. */
const spacingFactor = 1.25;

export function sampleBars(
  times: ArrayLike<number>,
  closes: ArrayLike<number>,
  length = times.length,
): BarsSample {
  return { spacing: medianSpacing(times, length), medianClose: medianOf(closes, length) };
}

export function medianOf(values: ArrayLike<number>, length = values.length): number | null {
  if (length === 0) return null;
  const sorted = Array.from({ length }, (_, i) => values[i]!).sort((a, b) => a - b);
  const middle = length >> 1;
  return length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * How the file's bars differ from the target series: against the chosen timeframe always, and
 * against the bars already stored (their spacing and their price level) when the series exists.
 */
export function compareWithSeries(
  file: BarsSample,
  timeframe: Timeframe,
  stored: BarsSample | null,
): SeriesDifference[] {
  const differences: SeriesDifference[] = [];
  if (file.spacing !== null && !spacingFits(file.spacing, timeframe)) {
    const detected = timeframeForSpacing(file.spacing);
    differences.push({
      field: 'timeframe',
      message: `its bars are ${describeSpacing(file.spacing)} apart${detected ? ` (${detected})` : ''}, not ${timeframe}`,
    });
  }
  if (stored?.spacing != null && file.spacing !== null) {
    const ratio = file.spacing / stored.spacing;
    if (ratio > spacingFactor || ratio < 1 / spacingFactor) {
      differences.push({
        field: 'spacing',
        message: `the stored bars are ${describeSpacing(stored.spacing)} apart, the file's ${describeSpacing(file.spacing)}`,
      });
    }
  }
  if (stored?.medianClose && file.medianClose && stored.medianClose > 0 && file.medianClose > 0) {
    const ratio = file.medianClose / stored.medianClose;
    if (ratio > priceLevelFactor || ratio < 1 / priceLevelFactor) {
      differences.push({
        field: 'price',
        message: `the stored closes are around ${round(stored.medianClose)}, the file's around ${round(file.medianClose)}`,
      });
    }
  }
  return differences;
}

function round(value: number): string {
  return value.toLocaleString('en-US', { maximumSignificantDigits: 4 });
}

/** The refusal an import answers until the user confirms: what differs, in words and as data. */
export function needsConfirmation(
  target: { symbol: string; timeframe: Timeframe; exists: boolean; fileName?: string | undefined },
  differences: SeriesDifference[],
): AutobotError {
  const what = target.fileName ? `${target.fileName} does not look like` : 'These candles do not look like';
  const series = `${target.symbol} ${target.timeframe}`;
  const message = `${what} ${target.exists ? 'the stored series ' : ''}${series}: ${differences
    .map((difference) => difference.message)
    .join('; ')}. Import anyway?`;
  return new AutobotError('needs_confirmation', message, {
    issues: [{ path: 'confirm', message }],
    detail: { symbol: target.symbol, timeframe: target.timeframe, exists: target.exists, differences },
  });
}
