// The Open API enums this client reads and writes. Whether the JSON port spells enums as numbers or
// as their proto names is unverified, so every reader takes both; we always send numbers.
import type { OrderType, Side, TimeInForce } from '../../domain/order-terms.ts';

function reader<T>(table: Record<number, T>, names: Record<string, number>, field: string) {
  return (value: unknown): T => {
    const number =
      typeof value === 'number' ? value : typeof value === 'string' ? (names[value] ?? Number(value)) : NaN;
    const found = table[number];
    if (found === undefined)
      throw new RangeError(`${field} ${JSON.stringify(value)} is not one this client knows`);
    return found;
  };
}

export const tradeSideNumber: Record<Side, number> = { buy: 1, sell: 2 };
export const readTradeSide = reader<Side>({ 1: 'buy', 2: 'sell' }, { BUY: 1, SELL: 2 }, 'tradeSide');

/** Ours → cTrader's: market 1, limit 2, stop 3 (5 market range and 6 stop limit are not used). */
export const orderTypeNumber: Record<OrderType, number> = { market: 1, limit: 2, stop: 3 };
export const readOrderType = reader<OrderType>(
  { 1: 'market', 2: 'limit', 3: 'stop', 5: 'market', 6: 'stop' },
  { MARKET: 1, LIMIT: 2, STOP: 3, MARKET_RANGE: 5, STOP_LIMIT: 6 },
  'orderType',
);

/** GOOD_TILL_DATE 1, GOOD_TILL_CANCEL 2, IMMEDIATE_OR_CANCEL 3, FILL_OR_KILL 4. DAY is GTD to midnight UTC. */
export const timeInForceNumber: Record<TimeInForce, number> = { DAY: 1, GTC: 2, IOC: 3, FOK: 4 };

export type ExecutionType =
  | 'accepted'
  | 'filled'
  | 'replaced'
  | 'cancelled'
  | 'expired'
  | 'rejected'
  | 'cancel_rejected'
  | 'partial_fill'
  | 'other';

const executionNames: Record<string, number> = {
  ORDER_ACCEPTED: 2,
  ORDER_FILLED: 3,
  ORDER_REPLACED: 4,
  ORDER_CANCELLED: 5,
  ORDER_EXPIRED: 6,
  ORDER_REJECTED: 7,
  ORDER_CANCEL_REJECTED: 8,
  SWAP: 9,
  DEPOSIT_WITHDRAW: 10,
  ORDER_PARTIAL_FILL: 11,
  BONUS_DEPOSIT_WITHDRAW: 12,
};
export const executionTypeNumber = executionNames;
export const readExecutionType = reader<ExecutionType>(
  {
    2: 'accepted',
    3: 'filled',
    4: 'replaced',
    5: 'cancelled',
    6: 'expired',
    7: 'rejected',
    8: 'cancel_rejected',
    9: 'other',
    10: 'other',
    11: 'partial_fill',
    12: 'other',
  },
  executionNames,
  'executionType',
);

export type OrderStatus = 'accepted' | 'filled' | 'rejected' | 'expired' | 'cancelled';
export const orderStatusNumber: Record<OrderStatus, number> = {
  accepted: 1,
  filled: 2,
  rejected: 3,
  expired: 4,
  cancelled: 5,
};
export const readOrderStatus = reader<OrderStatus>(
  { 1: 'accepted', 2: 'filled', 3: 'rejected', 4: 'expired', 5: 'cancelled' },
  {
    ORDER_STATUS_ACCEPTED: 1,
    ORDER_STATUS_FILLED: 2,
    ORDER_STATUS_REJECTED: 3,
    ORDER_STATUS_EXPIRED: 4,
    ORDER_STATUS_CANCELLED: 5,
  },
  'orderStatus',
);
