// sma-cross as one tight loop: the same decisions as core/strategies/sma-cross.ts through the
// engine, bar for bar, with the averages passed in so an optimiser computes each period once.
import { slippedPrice } from '../../venues/simulated/simulated-venue.ts';
import { crossedAbove } from '../../strategies/crossover.ts';
import type { EngineOutput, SimulationConfig } from '../engine.ts';
import { progressMask } from '../progress.ts';
import {
  KernelBook,
  type KernelMarket,
  type KernelMode,
  type KernelRunOptions,
  type KernelSummary,
} from './kernel-book.ts';

export interface SmaCrossInputs {
  /** sma(close, fast) and sma(close, slow), aligned to the bars. */
  fast: Float64Array;
  slow: Float64Array;
}

export function smaCrossKernel(
  market: KernelMarket,
  inputs: SmaCrossInputs,
  config: SimulationConfig,
  mode: 'full',
  options?: KernelRunOptions,
): EngineOutput;
export function smaCrossKernel(
  market: KernelMarket,
  inputs: SmaCrossInputs,
  config: SimulationConfig,
  mode: 'summary',
  options?: KernelRunOptions,
): KernelSummary;
export function smaCrossKernel(
  market: KernelMarket,
  inputs: SmaCrossInputs,
  config: SimulationConfig,
  mode: KernelMode,
  options: KernelRunOptions = {},
): EngineOutput | KernelSummary {
  const { open, close } = market;
  const { fast, slow } = inputs;
  const slippage = config.slippage;
  const n = close.length;
  const book = new KernelBook(n, config, mode, options.equityOut);
  const ticker = options.ticker ?? null;
  const mask = progressMask;
  /** +1 buy, −1 sell, placed on the previous close. */
  let pending = 0;

  for (let i = 0; i < n; i++) {
    if (ticker !== null && (i & mask) === 0) ticker(i);
    if (pending !== 0) {
      const direction = pending > 0 ? 1 : -1;
      book.enter(direction, slippedPrice(open[i]!, direction, slippage), i, undefined);
      pending = 0;
    }
    book.mark(i, close[i]!);
    if (crossedAbove(fast, slow, i)) {
      if (book.lots <= 0) pending = 1;
    } else if (crossedAbove(slow, fast, i)) {
      if (book.lots >= 0) pending = -1;
    }
  }
  book.finish(close[n - 1]!);
  return mode === 'full' ? book.output() : book.summary();
}
