// The words every order is made of, shared by strategies, risk, execution, the journal and every
// venue. Plain string unions (type stripping has no enums), spelled the way they are stored in the
// journal, so a row reads the same as the code.

export type Side = 'buy' | 'sell';

/**
 * `market` takes what the book offers; `limit` rests at its price or better; `stop` becomes a
 * market order once its trigger is touched. Stop-limit is left out until a venue needs it: the
 * simulator and the backtest have no rule for it yet.
 */
export type OrderType = 'market' | 'limit' | 'stop';

/**
 * How long an order may rest. GTC until cancelled; IOC fills what it can at once and cancels the
 * rest; FOK fills entirely at once or not at all; DAY expires at the venue's session end.
 */
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'DAY';

export const sides: readonly Side[] = ['buy', 'sell'];
export const orderTypes: readonly OrderType[] = ['market', 'limit', 'stop'];
export const timesInForce: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK', 'DAY'];

/** +1 for a buy, −1 for a sell: the sign a fill adds to a position. */
export function sideSign(side: Side): 1 | -1 {
  return side === 'buy' ? 1 : -1;
}

export function oppositeSide(side: Side): Side {
  return side === 'buy' ? 'sell' : 'buy';
}

/** A limit or stop order needs a price; a market order must not carry one (it would be ignored silently). */
export function needsPrice(type: OrderType): boolean {
  return type !== 'market';
}
