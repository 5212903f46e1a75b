// Our id for an order, given before anything is sent, so an order whose acknowledgement was lost
// can still be found at the venue by the id we chose. Every venue accepts this shape: Binance allows
// 36 characters of [.A-Z:/a-z0-9_-], Kraken 36, OKX 32 of [A-Za-z0-9], cTrader a label of 50; the
// common ground is ≤ 32 of [A-Za-z0-9_-] (OKX's stricter alphabet is the adapter's to map).
// Generation lives in core/orders/client-order-ids.ts.
//
// Not to be confused with core/execution/order.ts's numeric ClientOrderId, which numbers the
// orders of one backtest run; the runtime's orders carry this one (docs/runtime.md).

export type ClientOrderId = string & { readonly __brand: 'ClientOrderId' };

export const clientOrderIdPattern = /^[A-Za-z0-9_-]{1,32}$/;

export function isClientOrderId(value: unknown): value is ClientOrderId {
  return typeof value === 'string' && clientOrderIdPattern.test(value);
}

/** Brands a string read back from the journal or a venue; throws a RangeError naming the problem. */
export function toClientOrderId(value: string): ClientOrderId {
  if (!isClientOrderId(value)) {
    throw new RangeError(
      `a client order id is 1 to 32 characters of A-Z a-z 0-9 _ -, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
