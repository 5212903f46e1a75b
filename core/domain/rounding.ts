// THE one place prices and quantities meet an instrument's grid. Everything sent to a venue, stored
// in the journal or shown to a user passes here, so a price is always a whole number of ticks and a
// quantity a whole number of steps, printed at the instrument's decimals without float noise
// (39.682500000000005 shows as 39.6825). Grid points are computed as steps × increment and then
// snapped to the decimal string, so repeated rounding never drifts.
import { decimalsOf, maxDecimals, roundTo } from './decimals.ts';
import type { Instrument } from './instrument.ts';
import type { Side } from './order-terms.ts';
import { formatAtDecimals } from './price-format.ts';
import type { Price, Quantity } from './units.ts';

/** The nearest price on the tick grid (half away from zero). */
export function roundPrice(instrument: Instrument, price: number): Price {
  if (!Number.isFinite(price)) return price as Price;
  return onGrid(
    Math.round(price / instrument.tickSize),
    instrument.tickSize,
    instrument.priceDecimals,
  ) as Price;
}

/**
 * A limit price rounded to the tick on the trader's side: a buy down, a sell up, so the order never
 * pays more (or receives less) than the price asked.
 */
export function roundLimitPrice(instrument: Instrument, side: Side, price: number): Price {
  if (!Number.isFinite(price)) return price as Price;
  const { tickSize, priceDecimals } = instrument;
  const target = denoise(price);
  let steps = side === 'buy' ? Math.floor(target / tickSize) : Math.ceil(target / tickSize);
  // The division can land a step off; settle on the grid point on the right side of the price.
  if (side === 'buy') {
    while (onGrid(steps, tickSize, priceDecimals) > target) steps--;
    while (onGrid(steps + 1, tickSize, priceDecimals) <= target) steps++;
  } else {
    while (onGrid(steps, tickSize, priceDecimals) < target) steps++;
    while (onGrid(steps - 1, tickSize, priceDecimals) >= target) steps--;
  }
  return onGrid(steps, tickSize, priceDecimals) as Price;
}

/**
 * The largest whole number of steps not above `quantity`: never rounds up, so an order never grows
 * past what was asked. A quantity that is a grid point up to float noise counts as that point
 * (3 × 0.1 = 0.30000000000000004 is three steps of 0.1, and so is 0.7 × 3 = 2.0999999999999996 21
 * steps). Zero, negative and non-finite quantities give 0.
 */
export function roundQuantity(instrument: Instrument, quantity: number): Quantity {
  if (!(quantity > 0) || !Number.isFinite(quantity)) return 0 as Quantity;
  const { quantityStep, quantityDecimals } = instrument;
  const target = denoise(quantity);
  let steps = Math.floor(target / quantityStep);
  // A step finer than the decimals (0.0035893407675 at 12) rounds up on the grid: one step's grid
  // value may sit up to half a last decimal above the quantity it stands for, and is still that step.
  const slack = 0.5 * 10 ** -quantityDecimals;
  while (steps > 0 && onGrid(steps, quantityStep, quantityDecimals) > target + slack) steps--;
  while (onGrid(steps + 1, quantityStep, quantityDecimals) <= target) steps++;
  return onGrid(steps, quantityStep, quantityDecimals) as Quantity;
}

/** A price at the instrument's decimals, as tables, the chart axis and the CLI show it: "1.07219". */
export function formatPrice(instrument: Instrument, price: number): string {
  return formatAtDecimals(price, instrument.priceDecimals);
}

/** A quantity at the instrument's decimals: "39.6825", never "39.682500000000005". */
export function formatQuantity(instrument: Instrument, quantity: number): string {
  return formatAtDecimals(quantity, instrument.quantityDecimals);
}

/** Why an order of `quantity` at `price` is too small for the venue, or null when it is not. */
export function belowMinimum(
  instrument: Instrument,
  quantity: number,
  price: number,
): { code: 'below_min_quantity' | 'below_min_notional'; message: string } | null {
  if (quantity < instrument.minQuantity) {
    return {
      code: 'below_min_quantity',
      message: `${instrument.symbol} needs at least ${formatQuantity(instrument, instrument.minQuantity)}, got ${formatQuantity(instrument, quantity)}`,
    };
  }
  if (instrument.minNotional > 0 && quantity * price < instrument.minNotional) {
    return {
      code: 'below_min_notional',
      message: `${instrument.symbol} needs an order worth at least ${instrument.minNotional}, got ${roundTo(quantity * price, 8)}`,
    };
  }
  return null;
}

/** `steps` increments as the double nearest the decimal grid point. */
function onGrid(steps: number, increment: number, decimals: number): number {
  return roundTo(steps * increment, decimals);
}

/**
 * The short decimal a value is up to float noise (39.682500000000005 → 39.6825); a value with more
 * real digits than a double's noise level is kept as it is.
 */
function denoise(value: number): number {
  const decimals = decimalsOf(value);
  return decimals < maxDecimals ? roundTo(value, decimals) : value;
}
