// What "best" means: the score an optimisation maximises, computed from a backtest's metrics.
// Formulas and the reasons for the caps are in docs/optimisation.md ("The objective").
//
// default = 0.4·PF_n + 0.3·WR_n + 0.3·DD_n, each term in [0, 1]:
//   PF_n = min(PF, 3) / 3          a profit factor of 3 or more is as good as it gets; with no losing
//                                  trade PF is undefined and counts as 1 when there are wins, else 0
//   WR_n = win rate % / 100
//   DD_n = 1 − min(|max DD %|, 50) / 50
//                                  losing half the account is as bad as it gets; a linear 0–100 scale
//                                  would squeeze every usable strategy (5–30 % drawdown) into 0.7–0.95
// return = total return %, sharpe = annualised Sharpe, calmar = CAGR / |max DD| (undefined → 0).
//
// Below `minTrades` closed trades a set is unqualified: its score is 0 (not −∞, so heatmaps stay
// readable) and it ranks below every qualified set whatever the objective, so a set that never
// trades cannot win a "return" search in which every trading set lost money.
import type { BacktestMetrics } from '../backtest/spec.ts';

export const objectiveNames = ['default', 'return', 'sharpe', 'calmar'] as const;
export type ObjectiveName = (typeof objectiveNames)[number];

export const profitFactorCap = 3;
export const drawdownCapPct = 50;
export const defaultWeights = { profitFactor: 0.4, winRate: 0.3, drawdown: 0.3 } as const;
export const defaultMinTrades = 10;

/** The metrics an objective reads: a subset of BacktestMetrics. */
export type ScoredMetrics = Pick<
  BacktestMetrics,
  'trades' | 'profitFactor' | 'winRatePct' | 'maxDrawdownPct' | 'returnPct' | 'sharpe' | 'calmar'
>;

export interface Score {
  score: number;
  /** At least `minTrades` closed trades. */
  qualified: boolean;
}

/** PF_n: profit factor capped at 3, scaled to [0, 1]; no losing trade → 1 with wins, 0 without. */
export function normalisedProfitFactor(profitFactor: number | null, winRatePct: number | null): number {
  if (profitFactor === null) return winRatePct !== null && winRatePct > 0 ? 1 : 0;
  return Math.min(Math.max(profitFactor, 0), profitFactorCap) / profitFactorCap;
}

/** WR_n: win rate as a fraction; no trades → 0. */
export function normalisedWinRate(winRatePct: number | null): number {
  return winRatePct === null ? 0 : Math.min(Math.max(winRatePct, 0), 100) / 100;
}

/** DD_n: 1 with no drawdown, falling linearly to 0 at a 50 % drawdown and beyond. */
export function normalisedDrawdown(maxDrawdownPct: number): number {
  return 1 - Math.min(Math.abs(maxDrawdownPct), drawdownCapPct) / drawdownCapPct;
}

export function defaultScore(metrics: ScoredMetrics): number {
  return (
    defaultWeights.profitFactor * normalisedProfitFactor(metrics.profitFactor, metrics.winRatePct) +
    defaultWeights.winRate * normalisedWinRate(metrics.winRatePct) +
    defaultWeights.drawdown * normalisedDrawdown(metrics.maxDrawdownPct)
  );
}

function raw(metrics: ScoredMetrics, objective: ObjectiveName): number {
  switch (objective) {
    case 'default':
      return defaultScore(metrics);
    case 'return':
      return metrics.returnPct;
    case 'sharpe':
      return metrics.sharpe ?? 0;
    case 'calmar':
      return metrics.calmar ?? 0;
  }
}

export function scoreMetrics(metrics: ScoredMetrics, objective: ObjectiveName, minTrades: number): Score {
  if (metrics.trades < minTrades) return { score: 0, qualified: false };
  const score = raw(metrics, objective);
  return { score: Number.isFinite(score) ? score : 0, qualified: true };
}

/** Ranking order: qualified first, then higher score. Negative when `a` ranks before `b`. */
export function compareScores(a: Score, b: Score): number {
  if (a.qualified !== b.qualified) return a.qualified ? -1 : 1;
  return b.score - a.score;
}
