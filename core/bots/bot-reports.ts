// What the Bots page shows of a bot, read from the journal of record: its orders, fills, positions
// and an equity curve. Nothing here is stored twice: the account is a replay of the bot's fills, and
// the equity curve marks that replay at every bar the bot has finished.
import type { BotFillJson, BotOrderJson, BotPositionJson } from '../contract/bots-calls.ts';
import type { OrderJournal } from '../orders/order-journal.ts';
import type { Order } from '../orders/order.ts';
import { AccountPortfolio } from '../portfolio/account-portfolio.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';

interface OwnedFill extends BotFillJson {
  seq: number;
}

export function ordersOf(journal: OrderJournal, owner: string): Order[] {
  return journal.all().filter((order) => order.intent.owner === owner);
}

/** Every fill of the owner's orders in the order they happened (venue time, then as journaled). */
export function fillsOf(journal: OrderJournal, owner: string): BotFillJson[] {
  const fills: OwnedFill[] = [];
  let seq = 0;
  for (const order of ordersOf(journal, owner)) {
    for (const fill of order.fills) {
      fills.push({
        seq: seq++,
        clientOrderId: order.intent.clientOrderId,
        tradeId: fill.tradeId,
        symbol: order.intent.symbol,
        side: order.intent.side,
        quantity: fill.quantity,
        price: fill.price,
        fee: fill.fee,
        time: fill.time,
      });
    }
  }
  fills.sort((a, b) => a.time - b.time || a.seq - b.seq);
  return fills.map(({ seq: _seq, ...fill }) => fill);
}

/** The owner's account rebuilt from its journaled fills: what a restart starts from. */
export function portfolioFromJournal(journal: OrderJournal, owner: string, cash: number): AccountPortfolio {
  const portfolio = new AccountPortfolio(cash);
  for (const fill of fillsOf(journal, owner)) portfolio.applyFill(fill);
  return portfolio;
}

export function orderJson(order: Order): BotOrderJson {
  const { intent } = order;
  return {
    clientOrderId: intent.clientOrderId,
    symbol: intent.symbol,
    side: intent.side,
    type: intent.type,
    quantity: order.quantity,
    price: order.price ?? null,
    status: order.status,
    filledQuantity: order.fills.reduce((sum, fill) => sum + fill.quantity, 0),
    reason: order.reason ?? null,
    createdAt: intent.createdAt,
  };
}

const finite = (value: number) => (Number.isFinite(value) ? value : null);

export function positionsJson(portfolio: AccountPortfolio): BotPositionJson[] {
  return portfolio.positions().map((p) => ({
    symbol: p.symbol,
    quantity: p.quantity,
    averagePrice: p.quantity === 0 ? null : finite(p.averagePrice),
    mark: finite(p.mark),
    unrealisedPnl: p.quantity === 0 || !Number.isFinite(p.mark) ? 0 : p.quantity * (p.mark - p.averagePrice),
    realisedPnl: p.realisedPnl,
    fees: p.fees,
  }));
}

/**
 * Equity at the close of each bar in (from, to], fills booked on the bar they happened (their venue
 * time is the bar's open), thinned evenly to at most `points` (the last bar always kept).
 */
export function equityCurve(
  fills: readonly BotFillJson[],
  candles: CandleColumns,
  symbol: string,
  cash: number,
  from: number | null,
  to: number | null,
  points: number,
): { time: number[]; equity: number[] } {
  const portfolio = new AccountPortfolio(cash);
  const time: number[] = [];
  const equity: number[] = [];
  if (to === null) return { time, equity };
  let f = 0;
  for (let i = 0; i < candles.time.length; i++) {
    const t = candles.time[i]!;
    if (t > to) break;
    while (f < fills.length && fills[f]!.time <= t * 1000) portfolio.applyFill(fills[f++]!);
    if (from !== null && t <= from) continue;
    portfolio.mark(symbol, candles.close[i]!, t * 1000);
    time.push(t);
    equity.push(portfolio.equity);
  }
  if (time.length <= points) return { time, equity };
  const step = (time.length - 1) / (points - 1);
  const thinTime: number[] = [];
  const thinEquity: number[] = [];
  for (let k = 0; k < points; k++) {
    const i = Math.round(k * step);
    thinTime.push(time[i]!);
    thinEquity.push(equity[i]!);
  }
  return { time: thinTime, equity: thinEquity };
}
