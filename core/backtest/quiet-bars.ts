// Which bars a backtest with breakers may run without the governor (issue #12). On most bars the
// governor's per-bar calls change nothing: no trip is due to end, the trading day goes on, the bar
// moves less than the volatility limit, and equity stays between what the daily-loss and drawdown
// breakers would act on. Those calls are the breakers-on run's main cost, so breaker-run.ts skips
// them on such bars and tells the breakers, at the end of the stretch, the little they would have
// kept (the last close, the last equity). The bounds come from the breakers themselves, in the
// breakers' own formulas, so a bar is skipped only when the full call would have done nothing.
import { accountKey } from '../risk/breaker.ts';
import { DailyLossBreaker } from '../risk/daily-loss-breaker.ts';
import { MaxDrawdownBreaker } from '../risk/max-drawdown-breaker.ts';
import type { RiskGovernor } from '../risk/risk-governor.ts';
import { VolatilityBreaker } from '../risk/volatility-breaker.ts';

/** Indexes of QuietBars.bounds: a plain array of doubles, so reading them allocates nothing. */
export const quietFrom = 0;
/** Epoch ms, excluded: the earliest of a trip's end, the next trading day, the day's end. */
export const quietTo = 1;
export const equityLow = 2;
export const equityHigh = 3;
/** A bar moving more than this (percent) needs the volatility breaker; +∞ when it is off. */
export const moveLimit = 4;

export class QuietBars {
  /**
   * After update(): a bar may be skipped when its time (epoch ms) is in [quietFrom, quietTo), its
   * move is at most moveLimit, and its equity is unchanged or in [equityLow, equityHigh].
   */
  readonly bounds = new Float64Array(5);
  /** Whether the volatility breaker measures the bar's range (else close to close). */
  readonly range: boolean;
  private readonly governor: RiskGovernor;
  private readonly symbol: string;
  private readonly daily: DailyLossBreaker | undefined;
  private readonly drawdown: MaxDrawdownBreaker | undefined;
  private readonly volatility: VolatilityBreaker | undefined;
  /** False when a breaker reads bars or equity in a way this file does not know: nothing is skipped. */
  private readonly known: boolean;
  private readonly day = new Float64Array(2);

  constructor(governor: RiskGovernor, symbol: string) {
    this.governor = governor;
    this.symbol = symbol;
    let known = true;
    for (const breaker of governor.breakerList) {
      if (breaker instanceof DailyLossBreaker) this.daily = breaker;
      else if (breaker instanceof MaxDrawdownBreaker) this.drawdown = breaker;
      else if (breaker instanceof VolatilityBreaker) this.volatility = breaker;
      // Closed trades come only on the bars the venue acts on, which are never skipped.
      else if (breaker.onBar !== undefined || breaker.onEquity !== undefined) known = false;
    }
    this.known = known;
    this.range = this.volatility?.measure === 'range';
  }

  /**
   * The bounds for the bars after one the governor has just seen in full. `nextDay`: the time the
   * loop next shows equity whatever it is. False when the next bar must be shown in full too.
   */
  update(nextDay: number): boolean {
    if (!this.known) return false;
    const governor = this.governor;
    let from = Number.NEGATIVE_INFINITY;
    let to = Math.min(governor.dueAt, nextDay);
    let low = Number.NEGATIVE_INFINITY;
    let high = Number.POSITIVE_INFINITY;
    const { daily, drawdown, volatility } = this;
    if (daily !== undefined) {
      daily.quietDay(this.day);
      from = this.day[0]!;
      to = Math.min(to, this.day[1]!);
      low = daily.quietFloor(governor.holds('daily-loss', accountKey));
    }
    if (drawdown !== undefined) {
      low = Math.max(low, drawdown.quietFloor(governor.holds('max-drawdown', accountKey)));
      high = drawdown.quietCeiling;
    }
    // While paused, every bar counts towards the calm bars that end the pause.
    if (volatility !== undefined && governor.holds('volatility', this.symbol)) return false;
    if (!(from < to)) return false;
    const bounds = this.bounds;
    bounds[quietFrom] = from;
    bounds[quietTo] = to;
    bounds[equityLow] = low;
    bounds[equityHigh] = high;
    bounds[moveLimit] = volatility === undefined ? Number.POSITIVE_INFINITY : volatility.limitPct;
    return true;
  }

  /** After skipped bars: the volatility breaker keeps the last one's close. */
  calmThrough(close: number): void {
    this.volatility?.calmThrough(this.symbol, close);
  }
}

/**
 * Whether bar times never go back (nor are NaN): then a time bound is a bar index, found once per
 * update (firstBarAt) instead of tested on every bar. Runs on unordered bars skip nothing.
 */
export function timesAscend(time: Float64Array): boolean {
  for (let i = 1; i < time.length; i++) if (!(time[i]! >= time[i - 1]!)) return false;
  return time.length === 0 || !Number.isNaN(time[0]!);
}

/**
 * The first bar from `start` on whose time (epoch ms, as the loop computes it: time × 1000) is not
 * before `until`, or the bar count: a galloping search over ascending times, so a bound a few bars
 * ahead costs a few reads.
 */
export function firstBarAt(time: Float64Array, start: number, until: number): number {
  const n = time.length;
  if (start >= n || !(time[start]! * 1000 < until)) return start;
  // time[lo] is before `until`; the answer is in (lo, hi], hi = n meaning none.
  let lo = start;
  let step = 1;
  let hi = start + 1;
  while (hi < n && time[hi]! * 1000 < until) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  if (hi > n) hi = n;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (time[mid]! * 1000 < until) lo = mid;
    else hi = mid;
  }
  return hi;
}
