// The one set of defaults a backtest starts from: the spec schema fills them in, the CLI's flags
// describe them, and the Backtest and Optimizer pages start their forms from them (through
// core/contract/defaults.ts), so the same run gives the same figures from every host.
// Why 0.2 % commission and not 0: docs/backtesting.md, "Costs".
import { fixedQuantityMax } from '../domain/sizing.ts';

export const backtestDefaults = {
  cash: 10_000,
  /** 0.2 % of traded value per fill: backtesting.py's examples and our GOOG cross-check. */
  commission: 0.002,
  fixedFee: 0,
  slippage: 0,
  lotSize: 1,
  sizing: { mode: 'all-in' },
  closeAtEnd: false,
} as const;

/**
 * The sane range of every money field. Beyond them a run is either meaningless (a lot of 1e-320
 * units, a fee of 1e308) or loses precision in float arithmetic, so the schema refuses them by name.
 */
export const backtestBounds = {
  /** Starting cash: above 0, at most a trillion. */
  cashMax: 1e12,
  /** Money per fill: at most a million. */
  fixedFeeMax: 1e6,
  /** The smallest lot: 1e-8 (a satoshi); the largest: a million units. */
  lotSizeMin: 1e-8,
  lotSizeMax: 1e6,
  /** A fixed order quantity: at most a trillion units. */
  quantityMax: fixedQuantityMax,
  /**
   * Cash (or a fixed quantity) over the lot size: at most 10^15 lots' worth. Positions count whole
   * lots exactly only up to 2^53 ≈ 9 × 10^15, and the sizing caps there, so a trillion of cash in
   * lots of 10^-8 would quietly trade a fraction of what it could; refusing says why instead.
   */
  lotsMax: 1e15,
} as const;
