// An account (or one bot's share of it) across many symbols: cash, a netted position per symbol
// with its average price, realised and unrealised PnL, fees, marked by the market feed. The
// backtest keeps its own single-symbol Portfolio (portfolio.ts) for speed; this one books fills
// with the same arithmetic (cashAfterFill, averagedEntryPrice), so the two agree on every fill.
//
// An account never goes below zero silently: when equity reaches zero or less — after a fill, a
// fee or a mark — the portfolio turns `ruined`, says when and why, and tells its listeners. It keeps
// booking what the venue reports (the venue is the truth), but `canOpen` is false from then on, so
// the execution path stops opening positions and the user sees "account ruined" instead of the
// −13,573 equity a backtest reached before.
import type { Side } from '../domain/order-terms.ts';
import { sideSign } from '../domain/order-terms.ts';
import { averagedEntryPrice, cashAfterFill } from './portfolio.ts';

export interface SymbolPosition {
  symbol: string;
  /** Signed units: > 0 long, < 0 short, 0 flat (kept for its realised PnL and fees). */
  quantity: number;
  /** Volume-weighted entry price of what is held; NaN when flat. */
  averagePrice: number;
  /** From closing fills, before fees. */
  realisedPnl: number;
  fees: number;
  /** Last price the feed marked it at (NaN before the first mark or fill). */
  mark: number;
}

export interface PortfolioFill {
  symbol: string;
  side: Side;
  quantity: number;
  price: number;
  fee: number;
  /** Epoch ms; when the account was ruined, if this fill did it. */
  time: number;
}

export interface Ruin {
  /** Epoch ms of the fill or mark that took equity to zero or below. */
  at: number;
  equity: number;
  cause: 'fill' | 'mark';
}

export type PortfolioStatus = 'active' | 'ruined';

export class AccountPortfolio {
  readonly startingCash: number;
  cash: number;
  status: PortfolioStatus = 'active';
  ruin: Ruin | null = null;
  private readonly bySymbol = new Map<string, SymbolPosition>();
  private readonly ruinListeners = new Set<(ruin: Ruin) => void>();

  constructor(cash: number) {
    if (!(Number.isFinite(cash) && cash > 0))
      throw new RangeError(`cash must be a positive number, got ${cash}`);
    this.startingCash = cash;
    this.cash = cash;
  }

  /** False once ruined: nothing new may be opened (closing what is held is always allowed). */
  get canOpen(): boolean {
    return this.status === 'active';
  }

  onRuin(listener: (ruin: Ruin) => void): () => void {
    this.ruinListeners.add(listener);
    return () => this.ruinListeners.delete(listener);
  }

  /** Books one fill: cash moves by −sign × quantity × price − fee; the position grows, shrinks or flips. */
  applyFill(fill: PortfolioFill): void {
    if (!(fill.quantity > 0) || !(fill.price > 0) || !Number.isFinite(fill.fee)) {
      throw new RangeError(
        `a fill needs a positive quantity and price and a finite fee: ${JSON.stringify(fill)}`,
      );
    }
    const direction = sideSign(fill.side);
    this.cash = cashAfterFill(this.cash, direction, fill.quantity, fill.price, fill.fee);
    const position = this.position(fill.symbol);
    position.fees += fill.fee;
    position.mark = fill.price;
    const held = position.quantity;
    if (held === 0 || Math.sign(held) === direction) {
      position.averagePrice =
        held === 0
          ? fill.price
          : averagedEntryPrice(position.averagePrice, Math.abs(held), fill.price, fill.quantity);
      position.quantity = held + direction * fill.quantity;
    } else {
      const closing = Math.min(fill.quantity, Math.abs(held));
      position.realisedPnl += Math.sign(held) * (fill.price - position.averagePrice) * closing;
      const left = held + direction * fill.quantity;
      position.quantity = Math.abs(left) < Math.abs(held) * 1e-12 ? 0 : left;
      if (position.quantity === 0) position.averagePrice = Number.NaN;
      else if (Math.sign(position.quantity) !== Math.sign(held)) position.averagePrice = fill.price;
    }
    this.checkRuin(fill.time, 'fill');
  }

  /** The feed's latest price of `symbol`: unrealised PnL and equity follow it. */
  mark(symbol: string, price: number, time: number): void {
    const position = this.bySymbol.get(symbol);
    if (position === undefined) return;
    position.mark = price;
    if (position.quantity !== 0) this.checkRuin(time, 'mark');
  }

  /** Cash plus every position at its mark. */
  get equity(): number {
    let equity = this.cash;
    for (const position of this.bySymbol.values()) {
      if (position.quantity !== 0) equity += position.quantity * position.mark;
    }
    return equity;
  }

  get realisedPnl(): number {
    return this.sum((p) => p.realisedPnl);
  }

  get unrealisedPnl(): number {
    return this.sum((p) => (p.quantity === 0 ? 0 : p.quantity * (p.mark - p.averagePrice)));
  }

  get fees(): number {
    return this.sum((p) => p.fees);
  }

  /** Every symbol traded, flat ones included (their realised PnL and fees still count). */
  positions(): SymbolPosition[] {
    return [...this.bySymbol.values()].map((p) => ({ ...p }));
  }

  private position(symbol: string): SymbolPosition {
    let position = this.bySymbol.get(symbol);
    if (position === undefined) {
      position = { symbol, quantity: 0, averagePrice: Number.NaN, realisedPnl: 0, fees: 0, mark: Number.NaN };
      this.bySymbol.set(symbol, position);
    }
    return position;
  }

  private sum(of: (position: SymbolPosition) => number): number {
    let total = 0;
    for (const position of this.bySymbol.values()) total += of(position);
    return total;
  }

  private checkRuin(at: number, cause: Ruin['cause']): void {
    if (this.status === 'ruined') return;
    const equity = this.equity;
    if (equity > 0) return;
    this.status = 'ruined';
    this.ruin = { at, equity, cause };
    for (const listener of this.ruinListeners) listener(this.ruin);
  }
}
