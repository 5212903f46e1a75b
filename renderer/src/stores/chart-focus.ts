// A symbol another page asks the Chart page to open (the Tech screener's rows): read once by the
// Chart page when it mounts.
let pending: string | null = null;

export function focusChartOn(symbol: string): void {
  pending = symbol;
}

export function takeChartFocus(): string | null {
  const symbol = pending;
  pending = null;
  return symbol;
}
