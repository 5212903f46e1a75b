// What a fill costs beyond its traded value. One formula for every venue that charges a fraction of
// the traded value plus a fixed amount per fill; sizing and the risk check use it too, so an order
// that passed the check can always be paid.

export interface FeeSchedule {
  /** Fraction of traded value per fill, e.g. 0.002 = 0.2 %. */
  commission: number;
  /** Money per fill, on top of the commission. */
  fixedFee: number;
}

/** The fee of one fill whose traded value (quantity × price) is `value`. */
export function feeFor(value: number, fees: FeeSchedule): number {
  return value * fees.commission + fees.fixedFee;
}

/** Money an opening fill of `quantity` at `price` consumes: its value plus its fee (for display). */
export function costToOpen(quantity: number, price: number, fees: FeeSchedule): number {
  const value = quantity * price;
  return value + feeFor(value, fees);
}

/**
 * Whether `budget` pays for an opening fill of `quantity` at `price`, fee included. Evaluated the way
 * the portfolio books the fill (budget − value − fee, cashAfterFill's order of operations): testing
 * value + fee ≤ budget instead can round the other way and let an accepted fill leave the cash a
 * hair below zero. Sizing and the risk check both ask this.
 */
export function paysFor(budget: number, quantity: number, price: number, fees: FeeSchedule): boolean {
  const value = quantity * price;
  return budget - value - feeFor(value, fees) >= 0;
}
