// A genetic search for spaces too large to walk: a population of parameter sets evolves by
// tournament selection, uniform crossover, mutation and elitism. Everything random comes from one
// seeded source and outcomes only steer it through their (deterministic) scores, so the same seed
// replays the same run exactly, whatever the number of workers.
//
// Every point is evaluated at most once: outcomes are cached by grid index and a child that was
// seen before reuses its outcome without spending budget. The search stops when the budget is
// spent, when every point of the space has been evaluated, or after a few generations that
// could not produce a single new point.
import type { Score } from './objective.ts';
import type { Genome, ParameterSpace } from './parameter-space.ts';
import { seededRandom, type RandomSource } from './seeded-random.ts';
import { compareScored, type Candidate, type EvaluateBatch, type Scored } from './search-candidate.ts';

export interface GeneticOptions {
  /** Evaluations at most. */
  budget: number;
  seed: number;
  population: number;
  /** Best sets carried unchanged into the next generation. */
  elite: number;
  tournamentSize: number;
  /** Chance two parents are crossed rather than the first copied. */
  crossoverRate: number;
  /** Chance each gene mutates; null = 1 / number of parameters. */
  mutationRate: number | null;
  /** Points of the constrained space, when known: the search stops once all were evaluated. */
  spaceSize?: number;
  signal?: AbortSignal;
}

/** Generations in a row without one new point after which the space counts as exhausted. */
const barrenGenerationsLimit = 5;
/** Tries to breed a child not evaluated before, before accepting a known one. */
const noveltyTries = 8;
/** Tries to draw a random point that satisfies the constraints, before enumerating valid points. */
const samplingTries = 1000;

class Breeder {
  readonly #space: ParameterSpace;
  readonly #random: RandomSource;
  readonly #mutationRate: number;
  #validIndices: number[] | null = null;

  constructor(space: ParameterSpace, random: RandomSource, mutationRate: number | null) {
    this.#space = space;
    this.#random = random;
    this.#mutationRate = mutationRate ?? 1 / space.dimensions;
  }

  randomGenome(): number[] {
    const space = this.#space;
    for (let attempt = 0; attempt < samplingTries; attempt++) {
      const genome = space.sizes.map((size) => this.#random.int(size));
      if (space.satisfies(genome)) return genome;
    }
    // Tight constraints (few valid points in a big grid): draw among the valid points themselves.
    this.#validIndices ??= [...space.validIndices()];
    const valid = this.#validIndices;
    if (valid.length === 0) throw new Error('no parameter set satisfies the constraints');
    return space.genomeAt(valid[this.#random.int(valid.length)]!);
  }

  crossover(a: Genome, b: Genome): number[] {
    return a.map((gene, dim) => (this.#random.next() < 0.5 ? gene : b[dim]!));
  }

  /**
   * Each gene mutates with the mutation rate: half the time it jumps anywhere in its range
   * (exploration), half the time it creeps a few steps either way (refinement near a good set).
   */
  mutate(genome: number[]): void {
    const sizes = this.#space.sizes;
    for (let dim = 0; dim < genome.length; dim++) {
      if (this.#random.next() >= this.#mutationRate) continue;
      const size = sizes[dim]!;
      if (size === 1) continue;
      if (this.#random.next() < 0.5) {
        genome[dim] = this.#random.int(size);
      } else {
        // Mostly a step or two, now and then up to a sixth of the range: r² favours small moves.
        const r = this.#random.next();
        const delta = 1 + Math.floor(r * r * Math.max(1, Math.round(size / 6)));
        const moved = genome[dim]! + (this.#random.next() < 0.5 ? -delta : delta);
        genome[dim] = Math.min(size - 1, Math.max(0, moved));
      }
    }
  }

  /** A valid genome: the given one if it satisfies the constraints, else mutated until it does. */
  repaired(genome: number[]): number[] {
    for (let attempt = 0; attempt < 16; attempt++) {
      if (this.#space.satisfies(genome)) return genome;
      this.mutate(genome);
    }
    return this.#space.satisfies(genome) ? genome : this.randomGenome();
  }
}

export async function geneticSearch<T extends Score>(
  space: ParameterSpace,
  evaluate: EvaluateBatch<T>,
  options: GeneticOptions,
): Promise<Scored<T>[]> {
  const random = seededRandom(options.seed);
  const breeder = new Breeder(space, random, options.mutationRate);
  const evaluated = new Map<number, Scored<T>>();
  const history: Scored<T>[] = [];
  const spaceSize = options.spaceSize ?? Infinity;
  const budget = Math.min(options.budget, spaceSize);
  const candidateOf = (genome: number[]): Candidate => ({
    index: space.indexOf(genome),
    genome,
    params: space.paramsOf(genome),
  });

  /** Evaluates the new candidates and returns every member with its outcome. */
  const settle = async (members: Candidate[]): Promise<Scored<T>[]> => {
    const seen = new Set<number>();
    const fresh = members.filter((candidate) => {
      if (evaluated.has(candidate.index) || seen.has(candidate.index)) return false;
      seen.add(candidate.index);
      return true;
    });
    if (fresh.length > 0) {
      options.signal?.throwIfAborted();
      const outcomes = await evaluate(fresh);
      fresh.forEach((candidate, i) => {
        const scored = { candidate, outcome: outcomes[i]! };
        evaluated.set(candidate.index, scored);
        history.push(scored);
      });
    }
    return members.map((candidate) => evaluated.get(candidate.index)!);
  };

  // First generation: distinct random points.
  const first: Candidate[] = [];
  const taken = new Set<number>();
  const firstSize = Math.min(options.population, budget);
  for (let attempt = 0; first.length < firstSize && attempt < firstSize * 20; attempt++) {
    const candidate = candidateOf(breeder.randomGenome());
    if (taken.has(candidate.index)) continue;
    taken.add(candidate.index);
    first.push(candidate);
  }
  let population = (await settle(first)).sort(compareScored);

  const tournament = (): Scored<T> => {
    let best = population[random.int(population.length)]!;
    for (let i = 1; i < options.tournamentSize; i++) {
      const rival = population[random.int(population.length)]!;
      if (compareScored(rival, best) < 0) best = rival;
    }
    return best;
  };

  let barren = 0;
  while (history.length < budget && barren < barrenGenerationsLimit) {
    const remaining = budget - history.length;
    const next: Candidate[] = population.slice(0, options.elite).map((member) => member.candidate);
    const pending = new Set<number>();
    while (next.length < options.population) {
      let child: Candidate | null = null;
      for (let attempt = 0; attempt < noveltyTries; attempt++) {
        const mother = tournament().candidate.genome;
        const father = tournament().candidate.genome;
        const genome =
          random.next() < options.crossoverRate ? breeder.crossover(mother, father) : [...mother];
        breeder.mutate(genome);
        child = candidateOf(breeder.repaired(genome));
        if (!evaluated.has(child.index) && !pending.has(child.index)) break;
      }
      const novel = !evaluated.has(child!.index) && !pending.has(child!.index);
      if (novel) {
        // Out of budget for this generation: breed no more new points.
        if (pending.size >= remaining) break;
        pending.add(child!.index);
      }
      next.push(child!);
    }
    barren = pending.size === 0 ? barren + 1 : 0;
    population = (await settle(next)).sort(compareScored);
  }
  return history;
}
