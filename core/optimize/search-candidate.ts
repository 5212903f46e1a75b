// What both searches hand to the evaluator and get back. A search only decides WHICH points of the
// space to evaluate; the evaluator (the worker pool, or a plain function in tests) scores a whole
// batch at once, so the pool can spread it over its workers.
import { compareScores, type Score } from './objective.ts';
import type { Genome, ParamSet } from './parameter-space.ts';

export interface Candidate {
  /** Grid index of the point: its identity, and the tie-break between equal scores. */
  index: number;
  genome: Genome;
  /** The searched parameters only (the fixed ones are added by the evaluator). */
  params: ParamSet;
}

/** Scores a batch; the answer has one outcome per candidate, in the same order. */
export type EvaluateBatch<T extends Score> = (candidates: readonly Candidate[]) => Promise<T[]>;

export interface Scored<T extends Score> {
  candidate: Candidate;
  outcome: T;
}

/**
 * Ranking order: qualified first, higher score first, then the lower grid index, so equal scores
 * rank the same way on every run whatever order the workers answered in.
 */
export function compareScored<T extends Score>(a: Scored<T>, b: Scored<T>): number {
  return compareScores(a.outcome, b.outcome) || a.candidate.index - b.candidate.index;
}
