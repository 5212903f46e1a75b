// cTrader's integer encodings, converted at this one place (docs/ctrader.md):
//  - volumes are int64 in hundredths of a unit (1 standard FX lot of 100,000 units = 10,000,000);
//  - prices in spot events, trendbars and relative SL/TP are integers × 10⁻⁵ whatever the symbol's
//    digits (prices in requests and order entities are plain doubles, rounded by core/domain);
//  - money is int64 / 10^moneyDigits (the account's, or the deal's own moneyDigits).
// The JSON port's int64 spelling (number or string) is unverified, so every reader takes both.
// A value that cannot be represented exactly is refused with a RangeError naming the field: a
// silently rounded volume is a different order.

/** Prices in spots, trendbars and relative distances are integers of this many decimals. */
export const relativePriceDecimals = 5;
const relativePriceScale = 10 ** relativePriceDecimals;

/** A number from the envelope: an int64 as a JSON number or a decimal string. */
export function readInt64(value: unknown, field: string): number {
  const parsed =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^-?\d+$/.test(value.trim())
        ? Number(value.trim())
        : Number.NaN;
  if (!Number.isSafeInteger(parsed)) {
    throw new RangeError(`${field} must be a whole number within ±2^53, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** Units (what an order's quantity means here) → cTrader volume in hundredths of a unit. */
export function unitsToVolume(units: number, field = 'quantity'): number {
  if (!Number.isFinite(units) || units < 0) {
    throw new RangeError(`${field} must be a finite number ≥ 0, got ${units}`);
  }
  const volume = Math.round(units * 100);
  // More than two decimals of a unit cannot be sent: refuse rather than trade a different size.
  if (!Number.isSafeInteger(volume) || Math.abs(volume - units * 100) > Math.max(1, volume) * 1e-9) {
    throw new RangeError(`${field} ${units} is not a whole number of hundredths of a unit`);
  }
  return volume;
}

/** cTrader volume (hundredths of a unit) → units. */
export function volumeToUnits(volume: unknown, field = 'volume'): number {
  const hundredths = readInt64(volume, field);
  if (hundredths < 0) throw new RangeError(`${field} must be ≥ 0, got ${hundredths}`);
  return Number((hundredths / 100).toFixed(2));
}

/** A spot, trendbar or relative price integer → the price, with no float noise beyond 5 decimals. */
export function relativeToPrice(value: unknown, field = 'price'): number {
  return Number((readInt64(value, field) / relativePriceScale).toFixed(relativePriceDecimals));
}

/** A price or distance → the integer × 10⁻⁵ cTrader expects in relative SL/TP fields. */
export function priceToRelative(price: number, field = 'price'): number {
  if (!Number.isFinite(price)) throw new RangeError(`${field} must be a finite number, got ${price}`);
  const scaled = Math.round(price * relativePriceScale);
  if (!Number.isSafeInteger(scaled)) throw new RangeError(`${field} ${price} is too large`);
  return scaled;
}

/** An int64 money amount of an account (or deal) with `moneyDigits` → an amount. */
export function moneyToNumber(value: unknown, moneyDigits: unknown, field = 'amount'): number {
  const digits = readInt64(moneyDigits ?? 2, 'moneyDigits');
  if (digits < 0 || digits > 10) throw new RangeError(`moneyDigits must be 0 to 10, got ${digits}`);
  return Number((readInt64(value, field) / 10 ** digits).toFixed(digits));
}

/** An amount → the int64 of an account with `moneyDigits` (for comparisons and tests). */
export function numberToMoney(amount: number, moneyDigits: number, field = 'amount'): number {
  const scaled = Math.round(amount * 10 ** moneyDigits);
  if (!Number.isSafeInteger(scaled)) throw new RangeError(`${field} ${amount} is too large`);
  return scaled;
}
