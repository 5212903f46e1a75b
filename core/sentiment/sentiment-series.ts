// Headlines → a per-bar sentiment series the strategies' `minSentiment` reads: bar i's value is
// the mean score of the headlines published within the lookback before the bar ends, so a
// backtest only ever sees news that was out by the time the bar closed. Bars with no news in the
// lookback are 0 (neutral): no news is neither a reason to enter nor to stay out.

export interface ScoredHeadlineTime {
  /** Epoch seconds. */
  time: number;
  score: number;
}

/** A week: news keeps weighing on a stock for days, and a Friday’s news still counts on Monday. */
export const defaultLookbackSeconds = 7 * 86_400;

/**
 * `times` are the bars' open times (epoch seconds, ascending), `barSeconds` their span. Headlines
 * need not be sorted. O(bars + headlines) with a sliding window.
 */
export function alignSentiment(
  times: ArrayLike<number>,
  barSeconds: number,
  headlines: readonly ScoredHeadlineTime[],
  lookbackSeconds = defaultLookbackSeconds,
): Float64Array {
  const sorted = [...headlines].sort((a, b) => a.time - b.time);
  const out = new Float64Array(times.length);
  let enter = 0; // next headline to join the window
  let leave = 0; // next headline to leave it
  let sum = 0;
  let count = 0;
  for (let i = 0; i < times.length; i += 1) {
    const end = times[i]! + barSeconds;
    while (enter < sorted.length && sorted[enter]!.time < end) {
      sum += sorted[enter]!.score;
      count += 1;
      enter += 1;
    }
    while (leave < enter && sorted[leave]!.time < end - lookbackSeconds) {
      sum -= sorted[leave]!.score;
      count -= 1;
      leave += 1;
    }
    out[i] = count === 0 ? 0 : sum / count;
  }
  return out;
}
