// The account: cash, one netted position counted in whole lots, realised PnL, fees paid, and the
// trades it closed. Buying spends cash (value + fee) and selling returns it, so equity is always
// cash + position × mark. The arithmetic lives in the small exported functions below, which the
// backtest kernels call too: both paths then round identically, to the last bit.
import type { ExitReason } from '../backtest/spec.ts';
import type { Lots } from '../execution/lot-size.ts';
import { quantityOf } from '../execution/lot-size.ts';
import type { Direction } from '../execution/order.ts';

/** A position's life from entry to exit (or the part of it one fill closed). */
export interface ClosedTrade {
  direction: Direction;
  lots: Lots;
  quantity: number;
  entryBar: number;
  exitBar: number;
  /** Average fill price of the entries. */
  entryPrice: number;
  exitPrice: number;
  /** Net of `commission`. */
  pnl: number;
  /** Fees of the entry and exit fills. */
  commission: number;
  exitReason: ExitReason;
}

export interface OpenPosition {
  direction: Direction;
  lots: Lots;
  quantity: number;
  entryBar: number;
  entryPrice: number;
  /** Entry fees paid so far. */
  commission: number;
}

export function cashAfterFill(
  cash: number,
  direction: Direction,
  quantity: number,
  price: number,
  fee: number,
): number {
  return cash - direction * (quantity * price) - fee;
}

/** Cash plus the signed position marked at `mark`. */
export function equityAt(cash: number, quantity: number, mark: number): number {
  return cash + quantity * mark;
}

/**
 * Equity not tied up in the position: the cash for a long (its value is the position itself),
 * equity minus the short's value for a short. What an entry may spend without margin.
 */
export function availableAt(cash: number, quantity: number, mark: number): number {
  return quantity >= 0 ? cash : cash + 2 * (quantity * mark);
}

/** The entry price after adding `lots` at `price` to `held` lots: their volume-weighted average. */
export function averagedEntryPrice(entryPrice: number, held: Lots, price: number, lots: Lots): number {
  return (entryPrice * held + price * lots) / (held + lots);
}

/** A position of `lots` signed lots as reported, or null when flat. */
export function openPositionOf(
  lots: Lots,
  lotSize: number,
  entryBar: number,
  entryPrice: number,
  entryFees: number,
): OpenPosition | null {
  if (lots === 0) return null;
  const held = Math.abs(lots);
  return {
    direction: lots > 0 ? 1 : -1,
    lots: held,
    quantity: quantityOf(held, lotSize),
    entryBar,
    entryPrice,
    commission: entryFees,
  };
}

export function tradePnl(
  direction: Direction,
  quantity: number,
  entryPrice: number,
  exitPrice: number,
  commission: number,
): number {
  return direction * (exitPrice - entryPrice) * quantity - commission;
}

/** The fields of one netted position: the Portfolio's, and a backtest kernel's book alike. */
export interface PositionState {
  /** Signed: > 0 long, < 0 short. */
  lots: Lots;
  /** Average fill price of the entries; NaN when flat. */
  entryPrice: number;
  /** Bar of the first entry; −1 when flat. */
  entryBar: number;
  /** Fees of the entries, charged to the trade when it closes. */
  entryFees: number;
}

/** Adds `lots` in `direction` at `price` to a position that is flat or already on that side. */
export function growPosition(
  position: PositionState,
  direction: Direction,
  lots: Lots,
  price: number,
  fee: number,
  bar: number,
): void {
  if (position.lots === 0) {
    position.entryPrice = price;
    position.entryBar = bar;
    position.entryFees = fee;
  } else {
    position.entryPrice = averagedEntryPrice(position.entryPrice, Math.abs(position.lots), price, lots);
    position.entryFees += fee;
  }
  position.lots += direction * lots;
}

/** A position closed to nothing: no entry price, bar or fees. */
export function clearPosition(position: PositionState): void {
  position.lots = 0;
  position.entryPrice = NaN;
  position.entryBar = -1;
  position.entryFees = 0;
}

export class Portfolio implements PositionState {
  cash: number;
  /** Signed: > 0 long, < 0 short. */
  lots: Lots = 0;
  readonly lotSize: number;
  entryPrice = NaN;
  entryBar = -1;
  /** Fees of the open position's entries, charged to its trade when it closes. */
  entryFees = 0;
  realisedPnl = 0;
  commissions = 0;
  readonly trades: ClosedTrade[] = [];

  constructor(cash: number, lotSize: number) {
    this.cash = cash;
    this.lotSize = lotSize;
  }

  /** Signed units held. */
  get quantity(): number {
    return quantityOf(this.lots, this.lotSize);
  }

  equity(mark: number): number {
    return equityAt(this.cash, quantityOf(this.lots, this.lotSize), mark);
  }

  available(mark: number): number {
    return availableAt(this.cash, quantityOf(this.lots, this.lotSize), mark);
  }

  /** Books a fill: opens or grows the position, or reduces it (closing part or all of it). */
  applyFill(
    direction: Direction,
    lots: Lots,
    price: number,
    fee: number,
    bar: number,
    reason: ExitReason,
  ): void {
    this.cash = cashAfterFill(this.cash, direction, quantityOf(lots, this.lotSize), price, fee);
    this.commissions += fee;
    const held = this.lots * direction >= 0 ? 0 : Math.abs(this.lots);
    if (held === 0) return growPosition(this, direction, lots, price, fee, bar);
    const closing = Math.min(lots, held);
    const exitFee = closing === lots ? fee : (fee * closing) / lots;
    this.reduce(closing, price, exitFee, bar, reason);
    if (lots > closing) growPosition(this, direction, lots - closing, price, fee - exitFee, bar);
  }

  /** The position as it stands, or null when flat. */
  openPosition(): OpenPosition | null {
    return openPositionOf(this.lots, this.lotSize, this.entryBar, this.entryPrice, this.entryFees);
  }

  private reduce(lots: Lots, price: number, exitFee: number, bar: number, reason: ExitReason): void {
    const held = Math.abs(this.lots);
    const direction: Direction = this.lots > 0 ? 1 : -1;
    const entryFees = lots === held ? this.entryFees : (this.entryFees * lots) / held;
    const quantity = quantityOf(lots, this.lotSize);
    const commission = entryFees + exitFee;
    const pnl = tradePnl(direction, quantity, this.entryPrice, price, commission);
    this.realisedPnl += pnl;
    this.trades.push({
      direction,
      lots,
      quantity,
      entryBar: this.entryBar,
      exitBar: bar,
      entryPrice: this.entryPrice,
      exitPrice: price,
      pnl,
      commission,
      exitReason: reason,
    });
    this.lots -= direction * lots;
    this.entryFees -= entryFees;
    if (this.lots === 0) clearPosition(this);
  }
}
