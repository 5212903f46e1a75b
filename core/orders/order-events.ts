// Everything that can happen to an order, as the journal stores it and the Order aggregate applies
// it. Our own steps (denied, submitted, cancel and update requests) and the venue's answers
// (accepted, rejected, fills, cancels, expiry) are events alike: replaying them in journal order
// rebuilds every order exactly.

/** One execution at the venue. `tradeId` is the venue's id for it: the key that counts a fill once. */
export interface Fill {
  tradeId: string;
  quantity: number;
  price: number;
  /** In the account currency; a rebate is negative. */
  fee: number;
  /**
   * Units of the traded asset the venue kept as its fee (a spot buy on OKX, or on Binance without
   * BNB, pays in the asset bought). Already counted in `fee` at the fill price; here it only makes
   * the position what the account holds: the order traded `quantity`, the account received less.
   */
  feeInBase?: number | undefined;
  /** Venue time, epoch milliseconds. */
  time: number;
}

export type OrderEvent =
  /** The risk engine refused the intent: it was never sent. */
  | { kind: 'denied'; reason: string }
  /** Handed to the venue (the outcome arrives later, or never: then reconciliation asks). */
  | { kind: 'submitted' }
  | { kind: 'accepted'; venueOrderId?: string | undefined }
  | { kind: 'rejected'; reason: string }
  | { kind: 'cancel_requested' }
  /** The venue refused the cancel (too late, unknown order…): the order is as it was. */
  | { kind: 'cancel_rejected'; reason: string }
  | { kind: 'canceled' }
  | { kind: 'update_requested'; quantity?: number | undefined; price?: number | undefined }
  | { kind: 'update_rejected'; reason: string }
  /** The venue's confirmed values; fields left out keep the requested (or current) ones. */
  | { kind: 'updated'; quantity?: number | undefined; price?: number | undefined }
  | { kind: 'expired' }
  | ({ kind: 'fill' } & Fill);

export type OrderEventKind = OrderEvent['kind'];
