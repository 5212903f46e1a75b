// Every backtest figure, computed one way (formulas: docs/backtesting.md). The two accumulators
// take the equity bar by bar and the trades one by one, so the kernels' summary mode feeds them
// without building arrays and lands on the very same numbers as a full run.
import type { BacktestMetrics } from './spec.ts';
import type { ClosedTrade } from '../portfolio/portfolio.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';

const secondsPerDay = 86_400;
const secondsPerYear = 365.25 * secondsPerDay;

/** Net return of a trade on the money it put at risk: pnl / (entry price × size) × 100. */
export function tradeReturnPct(pnl: number, entryPrice: number, quantity: number): number {
  return (pnl / (entryPrice * quantity)) * 100;
}

/** Equity curve statistics, one bar at a time: peak, deepest drawdown and its span, per-bar returns. */
export class EquityStats {
  bars = 0;
  first = NaN;
  last = NaN;
  peak = -Infinity;
  peakBar = 0;
  /** Deepest equity / peak − 1 so far (≤ 0). */
  maxDrawdown = 0;
  /** The peak the deepest drawdown fell from, and the first bar back at that level (−1: not yet). */
  drawdownPeakBar = 0;
  drawdownPeak = 0;
  recoveryBar = -1;
  /** Per-bar simple returns: count, sum, sum of squares, sum of squares of the negative ones. */
  returns = 0;
  returnSum = 0;
  returnSquares = 0;
  downsideSquares = 0;

  add(equity: number): void {
    const bar = this.bars++;
    const previous = this.last;
    this.last = equity;
    if (bar === 0) {
      this.first = equity;
    } else if (previous > 0) {
      const r = equity / previous - 1;
      this.returns++;
      this.returnSum += r;
      this.returnSquares += r * r;
      // (r − |r|) / 2 is exactly r when r < 0 and 0 otherwise: no branch for the CPU to mispredict
      // on returns that go up and down at random (it halved the held-bar loop's time).
      const down = (r - Math.abs(r)) * 0.5;
      this.downsideSquares += down * down;
    }
    if (equity >= this.peak) {
      // At or above every earlier bar: a new peak, and the end of the deepest drawdown if still open.
      if (equity > this.peak) {
        this.peak = equity;
        this.peakBar = bar;
      }
      if (this.recoveryBar < 0 && this.maxDrawdown < 0) this.recoveryBar = bar;
      return;
    }
    const drawdown = equity / this.peak - 1;
    if (drawdown < this.maxDrawdown) {
      this.maxDrawdown = drawdown;
      this.drawdownPeakBar = this.peakBar;
      this.drawdownPeak = this.peak;
      this.recoveryBar = -1;
    }
  }

  /**
   * Bars `from` … `to − 1` of a held position, equity = cash + quantity × close[bar]: the same state
   * as add() on each, with the accumulators in locals for the loop. It is the optimiser's hottest
   * loop; tests/unit/equity-stats.test.ts holds it to add() bit for bit.
   */
  addMarks(cash: number, quantity: number, close: Float64Array, from: number, to: number): void {
    if (to <= from) return;
    if (this.bars === 0) this.add(cash + quantity * close[from++]!);
    let bar = this.bars;
    let previous = this.last;
    let peak = this.peak;
    let peakBar = this.peakBar;
    let maxDrawdown = this.maxDrawdown;
    let drawdownPeakBar = this.drawdownPeakBar;
    let drawdownPeak = this.drawdownPeak;
    let recoveryBar = this.recoveryBar;
    let returns = this.returns;
    let returnSum = this.returnSum;
    let returnSquares = this.returnSquares;
    let downsideSquares = this.downsideSquares;
    for (let i = from; i < to; i++, bar++) {
      const equity = cash + quantity * close[i]!;
      if (previous > 0) {
        const r = equity / previous - 1;
        returns++;
        returnSum += r;
        returnSquares += r * r;
        const down = (r - Math.abs(r)) * 0.5; // as in add(): exactly min(r, 0), without a branch
        downsideSquares += down * down;
      }
      previous = equity;
      if (equity >= peak) {
        if (equity > peak) {
          peak = equity;
          peakBar = bar;
        }
        if (recoveryBar < 0 && maxDrawdown < 0) recoveryBar = bar;
        continue;
      }
      const drawdown = equity / peak - 1;
      if (drawdown < maxDrawdown) {
        maxDrawdown = drawdown;
        drawdownPeakBar = peakBar;
        drawdownPeak = peak;
        recoveryBar = -1;
      }
    }
    this.bars = bar;
    this.last = previous;
    this.peak = peak;
    this.peakBar = peakBar;
    this.maxDrawdown = maxDrawdown;
    this.drawdownPeakBar = drawdownPeakBar;
    this.drawdownPeak = drawdownPeak;
    this.recoveryBar = recoveryBar;
    this.returns = returns;
    this.returnSum = returnSum;
    this.returnSquares = returnSquares;
    this.downsideSquares = downsideSquares;
  }

  /**
   * `count` more bars at the equity of the bar just added (a flat stretch): the same state as
   * `count` calls to add(equity), in O(1). Each such bar's return is exactly 0 and it can neither
   * set a new peak nor deepen the drawdown, so only the counters move.
   */
  addRepeated(count: number): void {
    if (count <= 0) return;
    this.bars += count;
    if (this.last > 0) this.returns += count;
  }

  /** Mean per-bar return. */
  get meanReturn(): number {
    return this.returns > 0 ? this.returnSum / this.returns : NaN;
  }

  /** Sample standard deviation of the per-bar returns (n − 1). */
  get returnStd(): number {
    const n = this.returns;
    if (n < 2) return NaN;
    const variance = (this.returnSquares - (this.returnSum * this.returnSum) / n) / (n - 1);
    return variance > 0 ? Math.sqrt(variance) : 0;
  }

  /** Downside deviation: √(Σ min(r, 0)² / n). */
  get downsideDeviation(): number {
    return this.returns > 0 ? Math.sqrt(this.downsideSquares / this.returns) : NaN;
  }
}

/** Closed-trade statistics, one trade at a time (in exit order). */
export class TradeStats {
  count = 0;
  wins = 0;
  grossProfit = 0;
  grossLoss = 0;
  pnlSum = 0;
  returnPctSum = 0;
  bestPct = -Infinity;
  worstPct = Infinity;
  /** Bars from some closed trade's entry bar through its exit bar, each counted once. */
  exposedBars = 0;
  private coveredUntil = -1;

  add(pnl: number, returnPct: number, entryBar: number, exitBar: number): void {
    this.count++;
    if (pnl > 0) {
      this.wins++;
      this.grossProfit += pnl;
    } else if (pnl < 0) {
      this.grossLoss -= pnl;
    }
    this.pnlSum += pnl;
    this.returnPctSum += returnPct;
    if (returnPct > this.bestPct) this.bestPct = returnPct;
    if (returnPct < this.worstPct) this.worstPct = returnPct;
    const from = Math.max(entryBar, this.coveredUntil + 1);
    if (exitBar >= from) this.exposedBars += exitBar - from + 1;
    if (exitBar > this.coveredUntil) this.coveredUntil = exitBar;
  }

  addTrade(trade: ClosedTrade): void {
    this.add(
      trade.pnl,
      tradeReturnPct(trade.pnl, trade.entryPrice, trade.quantity),
      trade.entryBar,
      trade.exitBar,
    );
  }
}

/** Bars per year actually observed: (bars − 1) / years spanned. Null with fewer than two bars. */
export function periodsPerYear(time: Float64Array): number | null {
  const n = time.length;
  if (n < 2) return null;
  const years = (time[n - 1]! - time[0]!) / secondsPerYear;
  return years > 0 ? (n - 1) / years : null;
}

const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

export interface MetricsInput {
  time: Float64Array;
  close: Float64Array;
  startEquity: number;
  commissions: number;
}

/** All metrics from the two accumulators (fed by a full run's arrays or by a kernel's summary mode). */
export function metricsFromStats(
  input: MetricsInput,
  equity: EquityStats,
  trades: TradeStats,
): BacktestMetrics {
  const { time, close, startEquity } = input;
  const n = time.length;
  const last = n - 1;
  const startTime = time[0]!;
  const endTime = time[last]!;
  const years = (endTime - startTime) / secondsPerYear;
  const perYear = periodsPerYear(time);
  const finalEquity = equity.last;

  const cagr = years > 0 && finalEquity > 0 ? (finalEquity / startEquity) ** (1 / years) - 1 : NaN;
  const mean = equity.meanReturn;
  const std = equity.returnStd;
  const downside = equity.downsideDeviation;
  const annualise = perYear === null ? NaN : Math.sqrt(perYear);
  const recovery = equity.recoveryBar >= 0 ? equity.recoveryBar : last;
  const drawdownBars = equity.maxDrawdown < 0 ? recovery - equity.drawdownPeakBar : 0;
  const drawdownDays =
    equity.maxDrawdown < 0 ? (time[recovery]! - time[equity.drawdownPeakBar]!) / secondsPerDay : 0;
  const count = trades.count;

  return {
    bars: n,
    startTime,
    endTime,
    periodsPerYear: perYear,
    startEquity,
    finalEquity,
    peakEquity: Math.max(equity.peak, startEquity),
    returnPct: (finalEquity / startEquity - 1) * 100,
    cagrPct: finite(cagr * 100),
    buyHoldReturnPct: (close[last]! / close[0]! - 1) * 100,
    maxDrawdownPct: equity.maxDrawdown * 100,
    maxDrawdownBars: drawdownBars,
    maxDrawdownDays: drawdownDays,
    sharpe: std > 0 ? finite((mean / std) * annualise) : null,
    sortino: downside > 0 ? finite((mean / downside) * annualise) : null,
    calmar: equity.maxDrawdown < 0 ? finite(cagr / -equity.maxDrawdown) : null,
    profitFactor: trades.grossLoss > 0 ? trades.grossProfit / trades.grossLoss : null,
    winRatePct: count > 0 ? (trades.wins / count) * 100 : null,
    avgTradePct: count > 0 ? trades.returnPctSum / count : null,
    bestTradePct: count > 0 ? trades.bestPct : null,
    worstTradePct: count > 0 ? trades.worstPct : null,
    expectancy: count > 0 ? trades.pnlSum / count : null,
    exposurePct: (trades.exposedBars / n) * 100,
    trades: count,
    commissions: input.commissions,
  };
}

/** Metrics of a full run: its equity curve (one value per bar) and its closed trades. */
export function computeMetrics(
  candles: CandleColumns,
  equityCurve: Float64Array,
  closedTrades: readonly ClosedTrade[],
  startEquity: number,
  commissions: number,
): BacktestMetrics {
  const equity = new EquityStats();
  for (let i = 0; i < equityCurve.length; i++) equity.add(equityCurve[i]!);
  const trades = new TradeStats();
  for (const trade of closedTrades) trades.addTrade(trade);
  return metricsFromStats(
    { time: candles.time, close: candles.close, startEquity, commissions },
    equity,
    trades,
  );
}

/** Drawdown in percent per bar: (equity / running peak − 1) × 100. */
export function drawdownCurve(equity: Float64Array): Float64Array {
  const out = new Float64Array(equity.length);
  let peak = -Infinity;
  for (let i = 0; i < equity.length; i++) {
    const value = equity[i]!;
    if (value > peak) peak = value;
    out[i] = (value / peak - 1) * 100;
  }
  return out;
}
