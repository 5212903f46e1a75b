// Branded numbers, so a quantity cannot be passed where a price is expected (both are plain
// doubles at run time: the brand costs nothing). A value gets its brand only from the instrument's
// rounding (rounding.ts), so a branded Price is always on the tick grid and a Quantity on the step.

/** A price on its instrument's tick grid. */
export type Price = number & { readonly __unit: 'Price' };

/** An amount of the instrument (shares, coins, lots' units) on its quantity step. Never negative. */
export type Quantity = number & { readonly __unit: 'Quantity' };

/** Money in the account's currency (cash, fees, PnL). Not rounded: venues settle it themselves. */
export type Money = number & { readonly __unit: 'Money' };

/** Brands an amount of money; money is never rounded here, only labelled. */
export function money(value: number): Money {
  return value as Money;
}
