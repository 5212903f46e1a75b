/** `a` crossed above `b` on bar i: below it on bar i − 1, above it on bar i. NaN (warm-up) never crosses. */
export function crossedAbove(a: Float64Array, b: Float64Array, i: number): boolean {
  return i > 0 && a[i - 1]! < b[i - 1]! && a[i]! > b[i]!;
}
