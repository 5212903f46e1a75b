// Exhaustive search: every point of the constrained grid, in grid order. The points are produced
// lazily and handed to the evaluator in large batches, so a million-point grid is never held as a
// list of parameter objects before it is evaluated.
import type { Score } from './objective.ts';
import type { ParameterSpace } from './parameter-space.ts';
import type { Candidate, EvaluateBatch, Scored } from './search-candidate.ts';

/** Grids above this many points are refused: a genetic search covers such spaces better. */
export const maxGridPoints = 5_000_000;

export interface GridSearchOptions {
  /** Points per evaluator call (the pool splits each call across its workers). */
  batchSize?: number;
  signal?: AbortSignal;
}

export async function gridSearch<T extends Score>(
  space: ParameterSpace,
  evaluate: EvaluateBatch<T>,
  options: GridSearchOptions = {},
): Promise<Scored<T>[]> {
  const batchSize = options.batchSize ?? 8192;
  const results: Scored<T>[] = [];
  let batch: Candidate[] = [];
  const flush = async () => {
    const outcomes = await evaluate(batch);
    batch.forEach((candidate, i) => results.push({ candidate, outcome: outcomes[i]! }));
    batch = [];
  };
  for (const index of space.validIndices()) {
    options.signal?.throwIfAborted();
    const genome = space.genomeAt(index);
    batch.push({ index, genome, params: space.paramsOf(genome) });
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  return results;
}
