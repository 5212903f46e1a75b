// The genetic search on synthetic objectives (no backtest): exact replay for a seed, the budget,
// the cache of evaluated points, constraints, and finding a known optimum within the budget.
import { describe, expect, it } from 'vitest';
import { geneticSearch, type GeneticOptions } from '../../core/optimize/genetic-search.ts';
import { ParameterSpace } from '../../core/optimize/parameter-space.ts';
import type { Candidate } from '../../core/optimize/search-candidate.ts';
import { seededRandom } from '../../core/optimize/seeded-random.ts';
import { geneticSettingsSchema } from '../../core/optimize/spec.ts';

const space = new ParameterSpace([
  { name: 'x', from: 0, to: 100, step: 1 },
  { name: 'y', from: 0, to: 100, step: 1 },
]);

/** A broad peak at (37, 81) and a narrower, lower one at (80, 20) to get stuck on. */
const landscape = (x: number, y: number) =>
  Math.exp(-((x - 37) ** 2 + (y - 81) ** 2) / 800) + 0.8 * Math.exp(-((x - 80) ** 2 + (y - 20) ** 2) / 200);

const evaluate = async (candidates: readonly Candidate[]) =>
  candidates.map((c) => ({ score: landscape(c.params.x!, c.params.y!), qualified: true }));

/** The request's defaults, as a caller that only picks a seed and a budget gets them. */
const defaults = geneticSettingsSchema.parse({});
const options = (seed: number, budget = 1000): GeneticOptions => ({ ...defaults, seed, budget });

describe('seeded random', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 5 }, () => random.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(draw(7).every((v) => v >= 0 && v < 1)).toBe(true);
  });
});

describe('genetic search', () => {
  it('replays a run exactly for the same seed', async () => {
    const first = await geneticSearch(space, evaluate, options(42, 300));
    const second = await geneticSearch(space, evaluate, options(42, 300));
    const other = await geneticSearch(space, evaluate, options(43, 300));
    const trail = (run: typeof first) => run.map((r) => [r.candidate.index, r.outcome.score]);
    expect(trail(second)).toEqual(trail(first));
    expect(trail(other)).not.toEqual(trail(first));
  });

  it('replays exactly however the evaluator batches its answers arrive (slow or fast)', async () => {
    const slow = async (candidates: readonly Candidate[]) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return evaluate(candidates);
    };
    const fast = await geneticSearch(space, evaluate, options(5, 200));
    const delayed = await geneticSearch(space, slow, options(5, 200));
    expect(delayed.map((r) => r.candidate.index)).toEqual(fast.map((r) => r.candidate.index));
  });

  it('finds the known optimum within its budget, whatever the seed', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const history = await geneticSearch(space, evaluate, options(seed, 1000));
      const best = history.reduce((a, b) => (b.outcome.score > a.outcome.score ? b : a));
      expect(best.candidate.params, `seed ${seed}`).toEqual({ x: 37, y: 81 });
      expect(history.length).toBeLessThanOrEqual(1000);
    }
  });

  it('never evaluates a point twice and never exceeds its budget', async () => {
    let calls = 0;
    const counting = async (candidates: readonly Candidate[]) => {
      calls += candidates.length;
      return evaluate(candidates);
    };
    const history = await geneticSearch(space, counting, options(3, 250));
    expect(history).toHaveLength(250);
    expect(calls).toBe(250);
    expect(new Set(history.map((r) => r.candidate.index)).size).toBe(250);
  });

  it('stops once a space smaller than the budget is exhausted', async () => {
    const small = new ParameterSpace([
      { name: 'a', from: 1, to: 6, step: 1 },
      { name: 'b', from: 1, to: 6, step: 1 },
    ]);
    const history = await geneticSearch(small, async (cs) => cs.map(() => ({ score: 1, qualified: true })), {
      ...options(9, 1000),
      spaceSize: small.countValid(),
    });
    expect(history).toHaveLength(36);
  });

  it('only breeds sets that satisfy the constraints', async () => {
    const constrained = new ParameterSpace(
      [
        { name: 'fast', from: 2, to: 60, step: 1 },
        { name: 'slow', from: 5, to: 120, step: 1 },
      ],
      [{ less: ['fast', 'slow'] }],
    );
    const history = await geneticSearch(
      constrained,
      async (cs) =>
        cs.map((c) => ({ score: -Math.abs(c.params.slow! - 3 * c.params.fast!), qualified: true })),
      options(11, 400),
    );
    expect(history.length).toBe(400);
    expect(history.every((r) => r.candidate.params.fast! < r.candidate.params.slow!)).toBe(true);
  });

  it('prefers qualified sets over higher unqualified scores', async () => {
    const history = await geneticSearch(
      space,
      async (cs) =>
        cs.map((c) => ({ score: landscape(c.params.x!, c.params.y!), qualified: c.params.x! >= 60 })),
      options(2, 600),
    );
    const ranked = [...history].sort(
      (a, b) =>
        Number(b.outcome.qualified) - Number(a.outcome.qualified) || b.outcome.score - a.outcome.score,
    );
    // The leader is a qualifying set (x ≥ 60), though higher scores lie where sets do not qualify.
    const { x: leaderX } = ranked[0]!.candidate.params;
    expect(leaderX).toBeGreaterThanOrEqual(60);
    // The search spent most of its budget where sets qualify.
    expect(history.filter((r) => r.outcome.qualified).length).toBeGreaterThan(300);
  });
});
