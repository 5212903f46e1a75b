// The rsi strategy as one tight loop: the same decisions as core/strategies/rsi.ts through the
// engine, bar for bar. The RSI series is an input, so an optimiser computes it once per period and
// reuses it for every (lower, upper, take-profit, stop-loss) combination.
import type { Bracket } from '../../execution/order.ts';
import { slippedPrice } from '../../venues/simulated/simulated-venue.ts';
import type { EngineOutput, SimulationConfig } from '../engine.ts';
import { progressMask } from '../progress.ts';
import {
  KernelBook,
  type KernelMarket,
  type KernelMode,
  type KernelRunOptions,
  type KernelSummary,
} from './kernel-book.ts';

export interface RsiInputs {
  /** rsi(close, period), aligned to the bars. */
  rsi: Float64Array;
  lower: number;
  upper: number;
  /** Percentages of the entry price; undefined = none. */
  bracket: Bracket;
  /** Entries only where sentiment[i] ≥ minSentiment; null = no filter. */
  sentiment: Float64Array | null;
  minSentiment: number;
  /**
   * Summary mode only, optional: openBlockMinima(open) of the same bars. An account too small for
   * one lot then skips each block of bars none of whose opens is low enough to afford one; summary
   * mode does not count refused entries.
   */
  openBlockMin?: Float64Array | undefined;
}

/** Bars per block of openBlockMinima: 2^6. */
const blockBits = 6;
const blockBars = 1 << blockBits;

/** min(open[64b … 64b + 63]) for each block b: built once per window, shared by every set. */
export function openBlockMinima(open: Float64Array): Float64Array {
  const minima = new Float64Array(Math.ceil(open.length / blockBars)).fill(Infinity);
  for (let i = 0; i < open.length; i++) {
    const block = i >> blockBits;
    if (open[i]! < minima[block]!) minima[block] = open[i]!;
  }
  return minima;
}

export function rsiKernel(
  market: KernelMarket,
  inputs: RsiInputs,
  config: SimulationConfig,
  mode: 'full',
  options?: KernelRunOptions,
): EngineOutput;
export function rsiKernel(
  market: KernelMarket,
  inputs: RsiInputs,
  config: SimulationConfig,
  mode: 'summary',
  options?: KernelRunOptions,
): KernelSummary;
export function rsiKernel(
  market: KernelMarket,
  inputs: RsiInputs,
  config: SimulationConfig,
  mode: KernelMode,
  options: KernelRunOptions = {},
): EngineOutput | KernelSummary {
  const { open, high, low, close } = market;
  const { rsi, lower, upper, bracket, sentiment, minSentiment } = inputs;
  const slippage = config.slippage;
  const n = close.length;
  const book = new KernelBook(n, config, mode, options.equityOut);
  const ticker = options.ticker ?? null;
  const mask = progressMask;
  const blockMin = mode === 'summary' ? inputs.openBlockMin : undefined;
  /** slippedPrice(price, 1, slippage) = price × fillFactor. */
  const fillFactor = 1 + 1 * slippage;
  /** +1 enter, −1 exit, placed on the previous close. */
  let pending = 0;

  for (let i = 0; i < n; i++) {
    if (ticker !== null && (i & mask) === 0) ticker(i);
    if (pending > 0) {
      book.enter(1, slippedPrice(open[i]!, 1, slippage), i, bracket);
    } else if (pending < 0 && book.lots !== 0) {
      book.close(slippedPrice(open[i]!, -1, slippage), i, 'signal');
    }
    pending = 0;
    if (book.lots !== 0 && book.hasBracket) book.checkBracket(open[i]!, high[i]!, low[i]!, i);
    book.mark(i, close[i]!);
    if (book.lots === 0) {
      if (rsi[i]! < lower && (sentiment === null || sentiment[i]! >= minSentiment)) {
        pending = 1;
      } else {
        // Flat and no entry signal: skip to the next bar whose signal leads to a fill; a flat bar's
        // mark is the cash alone. An account too small for one lot refuses the entry and stays flat,
        // so such signals are counted as refusals and skipped too (zero size at one price means zero
        // at every higher one). Stops before the last bar (finish() marks it) and at the next tick.
        const limit = ticker === null ? n - 1 : Math.min(n - 1, (i | mask) + 1);
        let refusedFrom = Infinity;
        let refused = 0;
        let next = i + 1;
        for (; next < limit; next++) {
          if (sentiment === null && refusedFrom === Infinity) {
            // The common case in a tight loop of its own: only the RSI decides.
            while (next < limit && !(rsi[next]! < lower)) next++;
            if (next === limit) break;
          } else if (sentiment === null && blockMin !== undefined) {
            // Too small an account, summary mode: refusals are not counted, so a block whose lowest
            // open fills at or above every refused price is passed whole (x × fillFactor is monotone
            // in x, so no bar of it can be cheaper). Only a signal that fills below them stops here.
            while (next < limit) {
              const fill = next + 1;
              if (
                (fill & (blockBars - 1)) === 0 &&
                blockMin[fill >> blockBits]! * fillFactor >= refusedFrom
              ) {
                next += blockBars;
                continue;
              }
              if (rsi[next]! < lower && open[fill]! * fillFactor < refusedFrom) break;
              next++;
            }
            if (next >= limit) {
              next = limit;
              break;
            }
          } else if (sentiment === null) {
            // Too small an account: signals come often and at random, so they are counted without a
            // branch on each; only a signal whose fill price is below every refused one stops here.
            // open × fillFactor is slippedPrice(open, 1, slippage), the same arithmetic.
            for (; next < limit; next++) {
              const signal = rsi[next]! < lower;
              if (Number(signal) & Number(open[next + 1]! * fillFactor < refusedFrom)) break;
              refused += Number(signal);
            }
            if (next === limit) break;
          } else if (!(rsi[next]! < lower && sentiment[next]! >= minSentiment)) {
            continue;
          }
          const price = slippedPrice(open[next + 1]!, 1, slippage);
          if (price < refusedFrom) {
            if (!book.entrySizesToZero(price)) break;
            refusedFrom = price;
          }
          refused++;
        }
        book.refuseZeroSized(refused);
        book.markFlat(i + 1, next);
        i = next - 1;
      }
    } else if (rsi[i]! > upper) {
      pending = -1;
    } else {
      // Holding with no exit signal: mark the bars up to the next exit signal or the next bar that
      // may touch the bracket; that bar goes through the full path.
      const limit = ticker === null ? n - 1 : Math.min(n - 1, (i | mask) + 1);
      const lowAbove = book.untouchedLowAbove;
      const highBelow = book.untouchedHighBelow;
      let next = i + 1;
      if (lowAbove === -Infinity && highBelow === Infinity) {
        while (next < limit && !(rsi[next]! > upper)) next++;
      } else {
        while (next < limit && !(rsi[next]! > upper) && low[next]! > lowAbove && high[next]! < highBelow)
          next++;
      }
      book.markHeld(i + 1, next, close);
      i = next - 1;
    }
  }
  book.finish(close[n - 1]!);
  return mode === 'full' ? book.output() : book.summary();
}
