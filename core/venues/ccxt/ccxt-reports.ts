// ccxt's unified order and trade structures as the runtime's reports (venue.ts). The fee is booked
// in the quote currency, the account currency of a spot pair: a fee charged in the base asset is
// converted at the trade's price and also reported as `feeInBase`, so the journal's position is what
// the account holds; one in a third asset (BNB) is not convertible without a rate and counts 0 here
// (docs/ccxt.md).
import type { Order as CcxtOrder, Trade as CcxtTrade } from 'ccxt';
import type { ClientOrderId } from '../../domain/client-order-id.ts';
import type { OrderType, Side } from '../../domain/order-terms.ts';
import type { FillReport, OrderReport } from '../venue.ts';

export function statusOf(order: CcxtOrder): OrderReport['status'] {
  switch (order.status) {
    case 'closed':
      return 'filled';
    case 'canceled':
    case 'expired':
    case 'rejected':
      return order.status;
    default:
      return 'open';
  }
}

export function orderReport(order: CcxtOrder, clientOrderId: ClientOrderId): OrderReport {
  const type: OrderType =
    order.triggerPrice !== undefined && order.triggerPrice !== null && order.triggerPrice > 0
      ? 'stop'
      : order.type === 'market'
        ? 'market'
        : 'limit';
  return {
    clientOrderId,
    venueOrderId: String(order.id),
    symbol: order.symbol ?? '',
    side: order.side as Side,
    type,
    quantity: order.amount ?? 0,
    price: type === 'market' ? undefined : (type === 'stop' ? order.triggerPrice : order.price) || undefined,
    status: statusOf(order),
    filledQuantity: order.filled ?? 0,
    averagePrice: order.average ?? undefined,
  };
}

export function fillReport(
  trade: CcxtTrade,
  clientOrderId: ClientOrderId,
  quote: string,
  base: string,
): FillReport {
  const fee = trade.fee;
  let cost = 0;
  let feeInBase: number | undefined;
  if (fee?.cost !== undefined && fee.cost !== null) {
    if (fee.currency === quote) cost = fee.cost;
    else if (fee.currency === base) {
      cost = fee.cost * (trade.price ?? 0);
      // The account received (or gave) that much less of the asset: the position says so too.
      feeInBase = fee.cost;
    }
  }
  return {
    clientOrderId,
    symbol: trade.symbol!,
    side: trade.side as Side,
    tradeId: String(trade.id),
    quantity: trade.amount!,
    price: trade.price ?? 0,
    fee: cost,
    time: trade.timestamp!,
    ...(feeInBase !== undefined ? { feeInBase } : {}),
  };
}
