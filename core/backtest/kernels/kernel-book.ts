// The account a kernel keeps: the execution engine, risk checks and portfolio of the event-driven
// path folded into one small object with plain fields, for tight loops. Every price, size, fee and
// PnL comes from the same functions the engine path calls, in the same order, which is what makes
// the two paths agree to the last bit (tests/unit/backtest-properties.test.ts checks it).
import { feeFor } from '../../execution/fees.ts';
import { noRejections, type RejectionCounts } from '../../execution/execution-engine.ts';
import { quantityOf, type Lots } from '../../execution/lot-size.ts';
import { stopLossLevel, takeProfitLevel, type Bracket, type Direction } from '../../execution/order.ts';
import { sizeLots } from '../../execution/sizing.ts';
import {
  availableAt,
  cashAfterFill,
  clearPosition,
  equityAt,
  growPosition,
  openPositionOf,
  tradePnl,
  type ClosedTrade,
  type OpenPosition,
  type PositionState,
} from '../../portfolio/portfolio.ts';
import { needsStopLoss, positiveQuantity, withinEquity } from '../../risk/risk-engine.ts';
import { limitFillPrice, slippedPrice, stopFillPrice } from '../../venues/simulated/simulated-venue.ts';
import type { EngineOutput, SimulationConfig } from '../engine.ts';
import { EquityStats, TradeStats, tradeReturnPct } from '../metrics.ts';
import type { Ticker } from '../progress.ts';
import { reusable } from '../reusable-buffer.ts';
import type { ExitReason } from '../spec.ts';

/** `full` records the equity curve and the trades (same output as the engine); `summary` only accumulates metrics. */
export type KernelMode = 'full' | 'summary';

/** The price columns a kernel reads. */
export interface KernelMarket {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
}

/** How a kernel runs: progress / cancellation, and an equity buffer to reuse (full mode). */
export interface KernelRunOptions {
  ticker?: Ticker | null;
  /** Reused for the equity curve when its length is the bar count (an optimiser's runs allocate nothing). */
  equityOut?: Float64Array | undefined;
}

/** What a kernel returns in summary mode: the metric accumulators, no arrays (and no refusal counts). */
export interface KernelSummary {
  equity: EquityStats;
  trades: TradeStats;
  openPosition: OpenPosition | null;
  cash: number;
  commissions: number;
}

export class KernelBook implements PositionState {
  cash: number;
  /** Signed lots. */
  lots: Lots = 0;
  entryPrice = NaN;
  entryBar = -1;
  entryFees = 0;
  commissions = 0;
  stopLoss = NaN;
  takeProfit = NaN;
  readonly rejections: RejectionCounts = noRejections();
  private readonly config: SimulationConfig;
  private readonly sizedByRisk: boolean;
  private readonly last: number;
  private readonly equityCurve: Float64Array | null;
  private readonly closedTrades: ClosedTrade[] | null;
  private readonly equityStats: EquityStats | null;
  private readonly tradeStats: TradeStats | null;

  constructor(bars: number, config: SimulationConfig, mode: KernelMode, equityOut?: Float64Array) {
    this.cash = config.cash;
    this.config = config;
    this.sizedByRisk = config.sizing.mode === 'risk';
    this.last = bars - 1;
    const full = mode === 'full';
    this.equityCurve = full ? reusable(equityOut, bars) : null;
    this.closedTrades = full ? [] : null;
    this.equityStats = full ? null : new EquityStats();
    this.tradeStats = full ? null : new TradeStats();
  }

  get hasBracket(): boolean {
    return !Number.isNaN(this.stopLoss) || !Number.isNaN(this.takeProfit);
  }

  /** A sized entry at `price`, reversing an opposite position first; mirrors ExecutionEngine's entry. */
  enter(direction: Direction, price: number, bar: number, bracket: Bracket | undefined): void {
    const { lotSize, fees, sizing } = this.config;
    if (this.lots * direction < 0) this.close(price, bar, 'signal');
    const stopLoss = stopLossLevel(price, direction, bracket);
    const held = quantityOf(this.lots, lotSize);
    const equity = equityAt(this.cash, held, price);
    const available = availableAt(this.cash, held, price);
    const lots = sizeLots(sizing, NaN, price, stopLoss, equity, available, lotSize, fees);
    const rejection =
      needsStopLoss(this.sizedByRisk, stopLoss) ??
      positiveQuantity(lots) ??
      withinEquity(lots, price, available, lotSize, fees);
    if (rejection !== null) {
      this.rejections[rejection]++;
      return;
    }
    const quantity = quantityOf(lots, lotSize);
    const fee = feeFor(quantity * price, fees);
    this.cash = cashAfterFill(this.cash, direction, quantity, price, fee);
    this.commissions += fee;
    growPosition(this, direction, lots, price, fee, bar);
    const takeProfit = takeProfitLevel(price, direction, bracket);
    if (!Number.isNaN(stopLoss) || !Number.isNaN(takeProfit)) {
      this.stopLoss = stopLoss;
      this.takeProfit = takeProfit;
    }
  }

  /**
   * Flat, and not sized by risk: would an entry at `price` size to zero lots (the account cannot pay
   * for one)? enter() would then only count a 'zero-quantity' refusal. The same sizing call as
   * enter(); for a fixed cash the answer can only turn from false to true as the price rises.
   */
  entrySizesToZero(price: number): boolean {
    if (this.lots !== 0 || this.sizedByRisk) return false;
    const { lotSize, fees, sizing } = this.config;
    const lots = sizeLots(
      sizing,
      NaN,
      price,
      NaN,
      equityAt(this.cash, 0, price),
      availableAt(this.cash, 0, price),
      lotSize,
      fees,
    );
    return positiveQuantity(lots) !== null;
  }

  /** `count` entries refused as entrySizesToZero() foresaw. */
  refuseZeroSized(count: number): void {
    this.rejections['zero-quantity'] += count;
  }

  /** Closes the whole position at `price`. */
  close(price: number, bar: number, reason: ExitReason): void {
    const { lotSize, fees } = this.config;
    const held = Math.abs(this.lots);
    const direction: Direction = this.lots > 0 ? 1 : -1;
    const quantity = quantityOf(held, lotSize);
    const fee = feeFor(quantity * price, fees);
    this.cash = cashAfterFill(this.cash, direction === 1 ? -1 : 1, quantity, price, fee);
    this.commissions += fee;
    const commission = this.entryFees + fee;
    const pnl = tradePnl(direction, quantity, this.entryPrice, price, commission);
    if (this.closedTrades !== null) {
      this.closedTrades.push({
        direction,
        lots: held,
        quantity,
        entryBar: this.entryBar,
        exitBar: bar,
        entryPrice: this.entryPrice,
        exitPrice: price,
        pnl,
        commission,
        exitReason: reason,
      });
    } else {
      this.tradeStats!.add(pnl, tradeReturnPct(pnl, this.entryPrice, quantity), this.entryBar, bar);
    }
    clearPosition(this);
    this.stopLoss = NaN;
    this.takeProfit = NaN;
  }

  /**
   * A bar with low above this and high below untouchedHighBelow triggers neither bracket leg
   * (the trigger rules of stopFillPrice and limitFillPrice); −Infinity for a missing leg.
   */
  get untouchedLowAbove(): number {
    const level = this.lots > 0 ? this.stopLoss : this.takeProfit;
    return Number.isNaN(level) ? -Infinity : level;
  }

  get untouchedHighBelow(): number {
    const level = this.lots > 0 ? this.takeProfit : this.stopLoss;
    return Number.isNaN(level) ? Infinity : level;
  }

  /** The bracket against a bar: stop-loss first, then take-profit. */
  checkBracket(open: number, high: number, low: number, bar: number): void {
    const exit: Direction = this.lots > 0 ? -1 : 1;
    if (!Number.isNaN(this.stopLoss)) {
      const price = stopFillPrice(exit, this.stopLoss, open, high, low, this.config.slippage);
      if (!Number.isNaN(price)) this.close(price, bar, 'stop-loss');
    }
    if (this.lots !== 0 && !Number.isNaN(this.takeProfit)) {
      const price = limitFillPrice(exit, this.takeProfit, open, high, low);
      if (!Number.isNaN(price)) this.close(price, bar, 'take-profit');
    }
  }

  /** Equity at bar's close. In summary mode the last bar waits for finish() (closeAtEnd may change it). */
  mark(bar: number, close: number): void {
    const equity = equityAt(this.cash, quantityOf(this.lots, this.config.lotSize), close);
    if (this.equityCurve !== null) this.equityCurve[bar] = equity;
    else if (bar < this.last) this.equityStats!.add(equity);
  }

  /**
   * Bars `from` … `to − 1` while flat, after mark(from − 1): equity stays at the cash, so the
   * stretch is recorded in one step. Callers keep `to` at or before the last bar.
   */
  markFlat(from: number, to: number): void {
    if (to <= from) return;
    if (this.equityCurve !== null) this.equityCurve.fill(equityAt(this.cash, 0, 0), from, to);
    else this.equityStats!.addRepeated(to - from);
  }

  /**
   * Bars `from` … `to − 1` holding the position unchanged (no fill, bracket untouched): each marked at its
   * close exactly as mark() would, in one tight loop. Callers keep `to` at or before the last bar.
   */
  markHeld(from: number, to: number, close: Float64Array): void {
    const cash = this.cash;
    const quantity = quantityOf(this.lots, this.config.lotSize);
    const curve = this.equityCurve;
    if (curve !== null) {
      for (let bar = from; bar < to; bar++) curve[bar] = equityAt(cash, quantity, close[bar]!);
    } else {
      // equityAt(cash, quantity, close) = cash + quantity × close, computed inside addMarks.
      this.equityStats!.addMarks(cash, quantity, close, from, to);
    }
  }

  /** After the last bar: `closeAtEnd`, the final mark, and the output. */
  finish(lastClose: number): void {
    const last = this.last;
    if (last < 0) return;
    if (this.config.closeAtEnd && this.lots !== 0) {
      this.close(slippedPrice(lastClose, this.lots > 0 ? -1 : 1, this.config.slippage), last, 'end');
      if (this.equityCurve !== null) this.equityCurve[last] = equityAt(this.cash, 0, lastClose);
    }
    if (this.equityStats !== null) {
      this.equityStats.add(equityAt(this.cash, quantityOf(this.lots, this.config.lotSize), lastClose));
    }
  }

  openPosition(): OpenPosition | null {
    return openPositionOf(this.lots, this.config.lotSize, this.entryBar, this.entryPrice, this.entryFees);
  }

  output(): EngineOutput {
    return {
      equity: this.equityCurve!,
      trades: this.closedTrades!,
      openPosition: this.openPosition(),
      cash: this.cash,
      commissions: this.commissions,
      rejections: this.rejections,
    };
  }

  summary(): KernelSummary {
    return {
      equity: this.equityStats!,
      trades: this.tradeStats!,
      openPosition: this.openPosition(),
      cash: this.cash,
      commissions: this.commissions,
    };
  }
}
