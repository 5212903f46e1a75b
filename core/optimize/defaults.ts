// What an optimisation request starts from when a field is left out: the request schema fills
// these in, the CLI's help names them, and the Optimizer page's form starts from them (through
// core/contract/defaults.ts). The money side (cash, commission, …) is a backtest's:
// core/backtest/defaults.ts.
import { defaultMinTrades } from './objective.ts';

export const optimizeDefaults = {
  method: 'grid',
  objective: 'default',
  minTrades: defaultMinTrades,
  /** Train on the first 70 % of the bars, test on the rest. */
  validation: { kind: 'split', train: 0.7 },
  walkForwardFolds: 4,
  budget: 1000,
  seed: 1,
  population: 30,
  leaderboardSize: 20,
} as const;

/** The sane range of a searched parameter's from / to, and the smallest step. */
export const optimizeBounds = {
  rangeLimit: 1e9,
  stepMin: 1e-9,
  minTradesMax: 1_000_000,
} as const;
