// cTrader's order, deal and position entities → the Venue interface's reports, and execution events
// → order events. Quantities become units, money is read by moneyDigits, and an entity that is not
// ours (no clientOrderId: a stop-out, a closing order, another app's order) maps to null.
import { isClientOrderId, type ClientOrderId } from '../../domain/client-order-id.ts';
import type { Fill } from '../../orders/order-events.ts';
import type { OrderReport, PositionReport, VenueOrderEvent } from '../venue.ts';
import { readExecutionType, readOrderStatus, readOrderType, readTradeSide } from './ctrader-enums.ts';
import { moneyToNumber, readInt64, volumeToUnits } from './scaling.ts';

type Entity = Record<string, unknown>;

function trade(entity: Entity): Entity {
  return (entity.tradeData as Entity | undefined) ?? {};
}

export function orderClientId(order: Entity): ClientOrderId | null {
  return isClientOrderId(order.clientOrderId) ? order.clientOrderId : null;
}

const orderStatus: Record<string, OrderReport['status']> = {
  accepted: 'open',
  filled: 'filled',
  rejected: 'rejected',
  expired: 'expired',
  cancelled: 'canceled',
};

export function toOrderReport(order: Entity, symbolName: (id: number) => string): OrderReport | null {
  const clientOrderId = orderClientId(order);
  if (clientOrderId === null) return null;
  const data = trade(order);
  const price = order.limitPrice ?? order.stopPrice;
  return {
    clientOrderId,
    venueOrderId: String(readInt64(order.orderId, 'order.orderId')),
    symbol: symbolName(readInt64(data.symbolId, 'order.tradeData.symbolId')),
    side: readTradeSide(data.tradeSide),
    type: readOrderType(order.orderType),
    quantity: volumeToUnits(data.volume, 'order.tradeData.volume'),
    price: typeof price === 'number' ? price : undefined,
    status: orderStatus[readOrderStatus(order.orderStatus)]!,
    filledQuantity:
      order.executedVolume === undefined ? 0 : volumeToUnits(order.executedVolume, 'order.executedVolume'),
  };
}

/** A deal that executed (filled or partly filled) → a fill; null for a rejected or empty deal. */
export function toFill(deal: Entity): Fill | null {
  const filled = deal.filledVolume === undefined ? 0 : volumeToUnits(deal.filledVolume, 'deal.filledVolume');
  if (filled === 0) return null;
  const digits = deal.moneyDigits ?? 2;
  return {
    tradeId: String(readInt64(deal.dealId, 'deal.dealId')),
    quantity: filled,
    price: Number(deal.executionPrice),
    fee: deal.commission === undefined ? 0 : -moneyToNumber(deal.commission, digits, 'deal.commission'),
    time: readInt64(deal.executionTimestamp ?? deal.createTimestamp, 'deal.executionTimestamp'),
  };
}

/** Positions summed per symbol (a hedged account may hold several), signed, volume-weighted price. */
export function toPositionReports(positions: Entity[], symbolName: (id: number) => string): PositionReport[] {
  const bySymbol = new Map<string, { quantity: number; cost: number; gross: number }>();
  for (const position of positions) {
    const data = trade(position);
    const symbol = symbolName(readInt64(data.symbolId, 'position.tradeData.symbolId'));
    const units = volumeToUnits(data.volume, 'position.tradeData.volume');
    const sign = readTradeSide(data.tradeSide) === 'buy' ? 1 : -1;
    const sum = bySymbol.get(symbol) ?? { quantity: 0, cost: 0, gross: 0 };
    sum.quantity += sign * units;
    sum.cost += units * Number(position.price);
    sum.gross += units;
    bySymbol.set(symbol, sum);
  }
  return [...bySymbol].map(([symbol, sum]) => ({
    symbol,
    quantity: Number(sum.quantity.toFixed(2)),
    averagePrice: sum.gross === 0 ? 0 : sum.cost / sum.gross,
  }));
}

/**
 * One ExecutionEvent → the order event it means for our order, or null when it is not about one of
 * our orders or carries nothing for the journal (swap, deposit).
 */
export function toOrderEvent(
  payload: Entity,
): { clientOrderId: ClientOrderId; event: VenueOrderEvent; eventId: string; at: number } | null {
  const order = (payload.order as Entity | undefined) ?? {};
  const clientOrderId = orderClientId(order);
  if (clientOrderId === null) return null;
  const type = readExecutionType(payload.executionType);
  const orderId = String(order.orderId);
  const at = Number(order.utcLastUpdateTimestamp ?? Date.now());
  const id = (suffix: string) => `ctrader:${orderId}:${suffix}`;
  switch (type) {
    case 'accepted':
      return {
        clientOrderId,
        event: { kind: 'accepted', venueOrderId: orderId },
        eventId: id('accepted'),
        at,
      };
    case 'filled':
    case 'partial_fill': {
      const deal = payload.deal as Entity | undefined;
      const fill = deal ? toFill(deal) : null;
      if (fill === null) return null;
      return {
        clientOrderId,
        event: { kind: 'fill', ...fill },
        eventId: id(`deal:${fill.tradeId}`),
        at: fill.time,
      };
    }
    case 'replaced': {
      const price = order.limitPrice ?? order.stopPrice;
      return {
        clientOrderId,
        event: {
          kind: 'updated',
          quantity: volumeToUnits(trade(order).volume, 'order.tradeData.volume'),
          price: typeof price === 'number' ? price : undefined,
        },
        eventId: id(`replaced:${at}`),
        at,
      };
    }
    case 'cancelled':
      return { clientOrderId, event: { kind: 'canceled' }, eventId: id('cancelled'), at };
    case 'expired':
      return { clientOrderId, event: { kind: 'expired' }, eventId: id('expired'), at };
    case 'rejected':
      return {
        clientOrderId,
        event: { kind: 'rejected', reason: String(payload.errorCode ?? 'rejected by cTrader') },
        eventId: id('rejected'),
        at,
      };
    case 'cancel_rejected':
      return {
        clientOrderId,
        event: { kind: 'cancel_rejected', reason: String(payload.errorCode ?? 'cancel refused by cTrader') },
        eventId: id(`cancel-rejected:${at}`),
        at,
      };
    case 'other':
      return null;
  }
}
