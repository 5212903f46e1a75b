// Out-of-sample checks: where the bars are cut into in-sample (optimise) and out-of-sample
// (evaluate the chosen set, untouched by the search) windows, and when an out-of-sample result
// counts as collapsed. Why OOS is always shown: docs/optimisation.md ("Validation").
import { AutobotError } from '../domain/autobot-error.ts';
import type { Score } from './objective.ts';
import type { Validation } from './spec.ts';

export interface BarRange {
  /** Bar indices [start, end). */
  start: number;
  end: number;
}

export interface FoldPlan {
  /** 0 for none and split; 1 … folds for walk-forward. */
  fold: number;
  train: BarRange;
  /** Null when validation is none: the search sees every bar and nothing is left to test on. */
  test: BarRange | null;
}

/** A window shorter than this cannot warm up an indicator and still trade. */
export const minWindowBars = 20;

/**
 * An out-of-sample score below this fraction of the in-sample score is a collapse: the set owed
 * more than half of its in-sample quality to fitting that particular stretch of history.
 */
export const collapseRetention = 0.5;

function tooShort(bars: number, validation: Validation, shortest: number): never {
  const field = validation.kind === 'walk-forward' ? 'validation.folds' : 'validation.train';
  const message = `${bars} bars cut this way leave a window of ${shortest} bars; each needs at least ${minWindowBars}`;
  throw new AutobotError('invalid_input', message, { issues: [{ path: field, message }] });
}

/**
 * split: train on the first floor(n · train) bars, test on the rest.
 * walk-forward: n bars cut into folds + 1 equal blocks B0 … B_folds; fold k tests on B_k and
 * trains on B_{k−1} (rolling: every window the same length) or on B_0 … B_{k−1} (anchored: the
 * window grows and keeps all history). The test blocks never overlap and together cover the last
 * folds / (folds + 1) of the bars, so the out-of-sample record reads as one continuous walk.
 */
export function planFolds(bars: number, validation: Validation): FoldPlan[] {
  let plans: FoldPlan[];
  if (validation.kind === 'none') {
    plans = [{ fold: 0, train: { start: 0, end: bars }, test: null }];
  } else if (validation.kind === 'split') {
    const cut = Math.floor(bars * validation.train);
    plans = [{ fold: 0, train: { start: 0, end: cut }, test: { start: cut, end: bars } }];
  } else {
    const blocks = validation.folds + 1;
    const edge = (k: number) => Math.floor((k * bars) / blocks);
    plans = [];
    for (let k = 1; k <= validation.folds; k++) {
      plans.push({
        fold: k,
        train: { start: validation.anchored ? 0 : edge(k - 1), end: edge(k) },
        test: { start: edge(k), end: edge(k + 1) },
      });
    }
  }
  const lengths = plans.flatMap((plan) => [
    plan.train.end - plan.train.start,
    ...(plan.test ? [plan.test.end - plan.test.start] : []),
  ]);
  const shortest = Math.min(...lengths);
  if (shortest < minWindowBars) tooShort(bars, validation, shortest);
  return plans;
}

/**
 * The trade minimum out of sample: minTrades scaled to the test window's share of the training
 * window's bars (rounded up, at least 1 when minTrades is), so a 30 % test window is not held to
 * the trade count of the 70 % it was chosen on.
 */
export function outOfSampleMinTrades(minTrades: number, train: BarRange, test: BarRange): number {
  if (minTrades <= 0) return 0;
  const share = (test.end - test.start) / (train.end - train.start);
  return Math.max(1, Math.ceil(minTrades * share));
}

/**
 * True when the out-of-sample score fell below collapseRetention × the in-sample score. A set
 * that did not qualify out of sample (too few trades there) collapsed too. An in-sample score of
 * 0 or less has nothing to collapse from: the flag is then false.
 */
export function isCollapsed(inSample: Score, outOfSample: Score): boolean {
  if (!(inSample.score > 0) || !inSample.qualified) return false;
  if (!outOfSample.qualified) return true;
  return outOfSample.score < collapseRetention * inSample.score;
}
