// THE one place quantities meet the lot size. Positions and orders count whole lots (integers), and
// a quantity is only ever lots × lotSize, so repeated trades never accumulate float drift.
import { paysFor, type FeeSchedule } from './fees.ts';

/** A whole number of lots: 1 share, or one 0.001 BTC step. Signed where it is a position. */
export type Lots = number;

/** Largest lot count whose quantity still has integer precision in a double. */
const maxLots = Number.MAX_SAFE_INTEGER;

/** Relative tolerance for "0.3 is three lots of 0.1" although 0.3 / 0.1 = 2.9999999999999996. */
const ratioTolerance = 1e-9;

export function quantityOf(lots: Lots, lotSize: number): number {
  return lots * lotSize;
}

/** Rounds a wanted quantity down to whole lots (never up: an order never grows past what was asked). */
export function lotsIn(quantity: number, lotSize: number): Lots {
  if (!(quantity > 0) || !(lotSize > 0)) return 0;
  const lots = Math.floor(quantity / lotSize + ratioTolerance);
  return Math.min(lots, maxLots);
}

/**
 * The most lots whose opening cost (value + fees, at `price`) fits in `budget`. The estimate
 * floor((budget − fixed fee) / (price × lotSize × (1 + commission))) is then checked against the same
 * paysFor the risk engine uses, so rounding can never make an affordable order unaffordable.
 */
export function affordableLots(budget: number, price: number, lotSize: number, fees: FeeSchedule): Lots {
  if (!(budget > 0) || !(price > 0) || !(lotSize > 0)) return 0;
  const unit = price * lotSize * (1 + fees.commission);
  let lots = Math.floor((budget - fees.fixedFee) / unit);
  if (!(lots >= 0)) return 0;
  if (lots > maxLots) lots = maxLots;
  // The estimate is off by at most a lot either way, except for counts so large that one lot is
  // below a double's resolution; stepping down by a relative amount settles those too.
  while (lots > 0 && !paysFor(budget, lots * lotSize, price, fees)) {
    lots -= Math.max(1, Math.ceil(lots * 1e-12));
  }
  if (lots < 0) return 0;
  if (lots < maxLots && paysFor(budget, (lots + 1) * lotSize, price, fees)) lots++;
  return lots;
}
