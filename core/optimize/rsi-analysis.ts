// The RSI threshold analysis of the original design: how the objective and the profit factor vary
// over the buy threshold (lower) × the sell threshold (upper), and whether deeper oversold entries
// actually earned more (RSI at entry against trade PnL, with its Pearson correlation).
import type { BacktestTrade } from '../backtest/spec.ts';
import type { ParameterSpace } from './parameter-space.ts';
import type { Evaluation, Heatmap, RsiAtEntry } from './spec.ts';

/** Scatter points kept at most; the correlation always uses every trade. */
export const maxScatterPoints = 5000;

/**
 * Objective and profit factor over lower (x) × upper (y). When other parameters were searched too
 * (e.g. period), each cell shows the best set over them (qualified sets first, then by score) and
 * its profit factor.
 * Null when the space has no lower or upper range.
 */
export function thresholdHeatmap(space: ParameterSpace, evaluations: readonly Evaluation[]): Heatmap | null {
  const xDim = space.names.indexOf('lower');
  const yDim = space.names.indexOf('upper');
  if (xDim < 0 || yDim < 0) return null;
  const xs = space.valuesOf(xDim);
  const ys = space.valuesOf(yDim);
  const xAt = new Map(xs.map((value, i) => [value, i]));
  const yAt = new Map(ys.map((value, i) => [value, i]));
  const grid = () => ys.map(() => xs.map((): number | null => null));
  const score = grid();
  const profitFactor = grid();
  const best = ys.map(() => xs.map((): Evaluation | null => null));
  for (const evaluation of evaluations) {
    const x = xAt.get(evaluation.params.lower!);
    const y = yAt.get(evaluation.params.upper!);
    if (x === undefined || y === undefined) continue;
    const held = best[y]![x]!;
    // Qualified sets first, as on the leaderboard: with the return objective a set too short of
    // trades scores 0 and must not outshine qualified sets that lost money.
    const better =
      held === null ||
      (evaluation.qualified !== held.qualified ? evaluation.qualified : evaluation.score > held.score);
    if (better) best[y]![x] = evaluation;
  }
  best.forEach((row, y) =>
    row.forEach((evaluation, x) => {
      if (evaluation === null) return;
      score[y]![x] = evaluation.score;
      profitFactor[y]![x] = evaluation.metrics.profitFactor;
    }),
  );
  return { x: { param: 'lower', values: xs }, y: { param: 'upper', values: ys }, score, profitFactor };
}

/** Pearson's r; null with fewer than two points or when either variable does not vary. */
export function pearson(xs: ArrayLike<number>, ys: ArrayLike<number>): number | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += xs[i]!;
    meanY += ys[i]!;
  }
  meanX /= n;
  meanY /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - meanX;
    const dy = ys[i]! - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (!(sxx > 0) || !(syy > 0)) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * RSI at each entry against the trade's PnL. The RSI read is the signal bar's (the close before
 * the entry fill at the next open): the value that made the strategy buy.
 */
export function rsiAtEntry(trades: readonly BacktestTrade[], rsiSeries: Float64Array): RsiAtEntry {
  const points: RsiAtEntry['points'] = [];
  for (const trade of trades) {
    const value = rsiSeries[trade.entryBar - 1];
    if (value === undefined || !Number.isFinite(value)) continue;
    points.push({ time: trade.entryTime, rsi: value, pnl: trade.pnl, returnPct: trade.returnPct });
  }
  const correlation = pearson(
    points.map((point) => point.rsi),
    points.map((point) => point.pnl),
  );
  const step = points.length > maxScatterPoints ? points.length / maxScatterPoints : 1;
  const kept =
    step === 1 ? points : Array.from({ length: maxScatterPoints }, (_, i) => points[Math.floor(i * step)]!);
  return { points: kept, correlation, omitted: points.length - kept.length };
}
