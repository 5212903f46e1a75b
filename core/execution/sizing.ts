// How many lots an entry gets, settled at its fill price so the amount spent is known exactly.
// The modes are the `sizing` field of a backtest spec (core/backtest/spec.ts); docs/backtesting.md
// gives the formulas.
import type { Sizing } from '../backtest/spec.ts';
import type { FeeSchedule } from './fees.ts';
import { affordableLots, lotsIn, type Lots } from './lot-size.ts';

/**
 * Lots for an entry at `price`. `equity` is the account marked at that price, `available` the part
 * not tied up in the position (after a reversal's close, both are the cash). `stopLoss` feeds
 * risk-per-trade sizing; NaN there sizes nothing (the risk engine says why). `quantity` (units, or
 * NaN) overrides the sizing rule for orders that name their size.
 */
export function sizeLots(
  sizing: Sizing,
  quantity: number,
  price: number,
  stopLoss: number,
  equity: number,
  available: number,
  lotSize: number,
  fees: FeeSchedule,
): Lots {
  if (!Number.isNaN(quantity)) return lotsIn(quantity, lotSize);
  switch (sizing.mode) {
    case 'all-in':
      return affordableLots(available, price, lotSize, fees);
    case 'fraction':
      return affordableLots(Math.min(available, equity * sizing.fraction), price, lotSize, fees);
    case 'fixed':
      return lotsIn(sizing.quantity, lotSize);
    case 'risk': {
      const distance = Math.abs(price - stopLoss);
      if (!(distance > 0)) return 0;
      const wanted = lotsIn((equity * sizing.riskFraction) / distance, lotSize);
      return Math.min(wanted, affordableLots(available, price, lotSize, fees));
    }
  }
}
