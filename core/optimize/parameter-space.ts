// The space an optimisation searches: one range per parameter (from, to, step), plus declarative
// constraints between parameters such as "fast < slow". A point of the space is a genome — one step
// index per range — and the whole grid is numbered in mixed radix, the first range varying slowest
// (like nested loops in the order the ranges were given), so a grid never has to be materialised:
// index → params and params → index are arithmetic.
import { AutobotError } from '../domain/autobot-error.ts';

export interface ParameterRange {
  name: string;
  from: number;
  to: number;
  step: number;
}

/**
 * `{ less: ['fast', 'slow'] }` keeps only points where fast < slow; `lessOrEqual` allows equality.
 * Names may be searched ranges or fixed parameters. Nothing is ever evaluated as code.
 */
export type ParameterConstraint = { less: [string, string] } | { lessOrEqual: [string, string] };

/** Parameter values by name. */
export type ParamSet = Record<string, number>;

/** One step index per range, in range order. */
export type Genome = readonly number[];

/** Values per range above which a range is refused (a typo such as step 0.0001 over 0…100). */
export const maxValuesPerRange = 1_000_000;
/** Grid points above which index arithmetic would leave a double's integer precision. */
const maxRawSize = 2 ** 50;

function refuse(path: string, message: string): never {
  throw new AutobotError('invalid_input', message, { issues: [{ path, message }] });
}

/** Decimal places a value is written with, so 0.1 + 2 × 0.1 lands on 0.3 and not 0.30000000000000004. */
function decimalsOf(value: number): number {
  const text = String(value);
  if (text.includes('e')) return 12;
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : Math.min(12, text.length - dot - 1);
}

/** Checks one range; `path` is where it sits in the request (e.g. "ranges.0"). */
export function validateRange(range: ParameterRange, path = 'ranges'): number {
  const { name, from, to, step } = range;
  const label = `range "${name}"`;
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(name))
    refuse(
      `${path}.name`,
      `range name "${String(name)}" must be a parameter name (letters, digits, _ and -)`,
    );
  if (!Number.isFinite(from)) refuse(`${path}.from`, `${label}: from must be a finite number`);
  if (!Number.isFinite(to)) refuse(`${path}.to`, `${label}: to must be a finite number`);
  if (!Number.isFinite(step) || step <= 0) refuse(`${path}.step`, `${label}: step must be above 0`);
  if (to < from) refuse(`${path}.to`, `${label}: to (${to}) must not be below from (${from})`);
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  if (count > maxValuesPerRange)
    refuse(`${path}.step`, `${label}: ${count} values is more than ${maxValuesPerRange}; use a larger step`);
  return count;
}

interface CompiledConstraint {
  /** Range index of each side, or -1 when that side is a fixed value. */
  leftDim: number;
  rightDim: number;
  leftFixed: number;
  rightFixed: number;
  strict: boolean;
}

export class ParameterSpace {
  readonly ranges: readonly ParameterRange[];
  readonly constraints: readonly ParameterConstraint[];
  readonly fixed: Readonly<ParamSet>;
  readonly names: readonly string[];
  /** Values per range. */
  readonly sizes: readonly number[];
  /** Grid points before constraints: the product of the sizes. */
  readonly rawSize: number;
  readonly #decimals: number[];
  readonly #compiled: CompiledConstraint[];

  constructor(
    ranges: readonly ParameterRange[],
    constraints: readonly ParameterConstraint[] = [],
    fixed: Readonly<ParamSet> = {},
  ) {
    if (ranges.length === 0) refuse('ranges', 'at least one parameter range is needed');
    const seen = new Set<string>();
    const sizes: number[] = [];
    ranges.forEach((range, index) => {
      sizes.push(validateRange(range, `ranges.${index}`));
      if (seen.has(range.name))
        refuse(`ranges.${index}.name`, `range "${range.name}" is given more than once`);
      seen.add(range.name);
    });
    const rawSize = sizes.reduce((product, size) => product * size, 1);
    if (rawSize > maxRawSize) refuse('ranges', `the grid has ${rawSize} points, too many to number`);
    this.ranges = ranges.map((range) => ({ ...range }));
    this.names = ranges.map((range) => range.name);
    this.sizes = sizes;
    this.rawSize = rawSize;
    this.fixed = { ...fixed };
    this.#decimals = ranges.map((range) => Math.max(decimalsOf(range.from), decimalsOf(range.step)));
    this.constraints = constraints.map((constraint) => structuredClone(constraint));
    this.#compiled = constraints.map((constraint, index) => this.#compile(constraint, index));
  }

  #compile(constraint: ParameterConstraint, index: number): CompiledConstraint {
    const strict = 'less' in constraint;
    const pair = strict ? constraint.less : (constraint as { lessOrEqual: [string, string] }).lessOrEqual;
    const path = `constraints.${index}`;
    if (!Array.isArray(pair) || pair.length !== 2)
      refuse(path, 'a constraint is { less: [a, b] } or { lessOrEqual: [a, b] }');
    const [left, right] = pair;
    if (left === right) refuse(path, `constraint compares "${left}" with itself`);
    const side = (name: string) => {
      const dim = this.names.indexOf(name);
      if (dim >= 0) return { dim, fixed: NaN };
      const value = this.fixed[name];
      if (value === undefined)
        refuse(path, `constraint names "${name}", which is neither a searched range nor a fixed parameter`);
      return { dim: -1, fixed: value };
    };
    const l = side(left);
    const r = side(right);
    return { leftDim: l.dim, rightDim: r.dim, leftFixed: l.fixed, rightFixed: r.fixed, strict };
  }

  get dimensions(): number {
    return this.ranges.length;
  }

  /** The value of range `dim` at step `step`, rounded to the decimals of its from and step. */
  valueAt(dim: number, step: number): number {
    const range = this.ranges[dim]!;
    return Number((range.from + step * range.step).toFixed(this.#decimals[dim]!));
  }

  /** All values of range `dim`, in order. */
  valuesOf(dim: number): number[] {
    return Array.from({ length: this.sizes[dim]! }, (_, step) => this.valueAt(dim, step));
  }

  genomeAt(index: number): number[] {
    const genome = new Array<number>(this.sizes.length);
    let rest = index;
    for (let dim = this.sizes.length - 1; dim >= 0; dim--) {
      const size = this.sizes[dim]!;
      genome[dim] = rest % size;
      rest = Math.floor(rest / size);
    }
    return genome;
  }

  indexOf(genome: Genome): number {
    let index = 0;
    for (let dim = 0; dim < this.sizes.length; dim++) index = index * this.sizes[dim]! + genome[dim]!;
    return index;
  }

  /** The searched parameters of a genome (fixed parameters not included). */
  paramsOf(genome: Genome): ParamSet {
    const params: ParamSet = {};
    for (let dim = 0; dim < this.names.length; dim++)
      params[this.names[dim]!] = this.valueAt(dim, genome[dim]!);
    return params;
  }

  paramsAt(index: number): ParamSet {
    return this.paramsOf(this.genomeAt(index));
  }

  /** The grid index of searched values, or null when a value is not on its range's grid. */
  indexOfParams(params: Readonly<ParamSet>): number | null {
    const genome: number[] = [];
    for (let dim = 0; dim < this.names.length; dim++) {
      const value = params[this.names[dim]!];
      if (value === undefined) return null;
      const range = this.ranges[dim]!;
      const step = Math.round((value - range.from) / range.step);
      if (step < 0 || step >= this.sizes[dim]! || this.valueAt(dim, step) !== value) return null;
      genome.push(step);
    }
    return this.indexOf(genome);
  }

  satisfies(genome: Genome): boolean {
    for (const c of this.#compiled) {
      const left = c.leftDim >= 0 ? this.valueAt(c.leftDim, genome[c.leftDim]!) : c.leftFixed;
      const right = c.rightDim >= 0 ? this.valueAt(c.rightDim, genome[c.rightDim]!) : c.rightFixed;
      if (c.strict ? !(left < right) : !(left <= right)) return false;
    }
    return true;
  }

  isValidIndex(index: number): boolean {
    return this.#compiled.length === 0 || this.satisfies(this.genomeAt(index));
  }

  /** Grid indices that satisfy every constraint, in order, one at a time. */
  *validIndices(): Generator<number> {
    for (let index = 0; index < this.rawSize; index++) if (this.isValidIndex(index)) yield index;
  }

  /** Points that satisfy every constraint; walks the grid without storing it. */
  countValid(): number {
    if (this.#compiled.length === 0) return this.rawSize;
    let count = 0;
    for (let index = 0; index < this.rawSize; index++) if (this.isValidIndex(index)) count++;
    return count;
  }
}

/**
 * Parses `name=from:to:step` as typed on the command line (`--range lower=20:40:1`). Refuses
 * anything else with a message naming the parameter.
 */
export function parseRangeText(text: string): ParameterRange {
  const match = /^\s*([^=\s]*)\s*=(.*)$/.exec(text);
  if (!match || match[1] === '')
    refuse('range', `--range "${text}": expected name=from:to:step, e.g. lower=20:40:1`);
  const name = match[1]!;
  const parts = match[2]!.split(':').map((part) => part.trim());
  if (parts.length !== 3)
    refuse(`ranges.${name}`, `--range ${name}: expected from:to:step after "=", got "${match[2]!.trim()}"`);
  const fields = ['from', 'to', 'step'] as const;
  const numbers = parts.map((part, i) => {
    const value = part === '' ? NaN : Number(part);
    if (!Number.isFinite(value))
      refuse(`ranges.${name}.${fields[i]}`, `--range ${name}: ${fields[i]} "${part}" is not a number`);
    return value;
  });
  const range = { name, from: numbers[0]!, to: numbers[1]!, step: numbers[2]! };
  validateRange(range, `ranges.${name}`);
  return range;
}
