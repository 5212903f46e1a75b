// Volatility spike: a bar that moves more than `movePct` (default 3 %) pauses new entries on its
// symbol until `calmBars` bars in a row (default 5) stay within it. The move is close-to-close
// (the first bar: open-to-close) or the bar's range, high − low over the open, by `measure`.
import type { Bar } from '../domain/bar.ts';
import type { Breaker, BreakerHost } from './breaker.ts';

export interface VolatilitySettings {
  movePct: number;
  calmBars: number;
  measure: 'close-to-close' | 'range';
}

/**
 * One symbol's memory, mutated in place: [last close, calm bars in a row since the last spike while
 * paused]. A Float64Array, because a double written to an object field allocates a number box, and
 * a backtest shows every bar (measured: a large share of the per-bar cost).
 */
type SymbolState = Float64Array;
const lastClose = 0;
const calmCount = 1;

export class VolatilityBreaker implements Breaker {
  readonly name = 'volatility';
  readonly scope = 'symbol';
  private readonly settings: VolatilitySettings;
  private readonly symbols = new Map<string, SymbolState>();
  /** The symbol of the previous bar and its state: one feed shows one symbol bar after bar. */
  private lastSymbol = '';
  private last: SymbolState | undefined;

  constructor(settings: VolatilitySettings) {
    this.settings = settings;
  }

  onBar(symbol: string, bar: Bar, host: BreakerHost): void {
    const state = this.stateOf(symbol);
    const movePct = this.move(state, bar);
    state[lastClose] = bar.close;
    const { movePct: limit, calmBars } = this.settings;
    if (movePct > limit) {
      state[calmCount] = 0;
      if (host.isTripped(this.name, symbol)) return;
      host.trip({
        breaker: this.name,
        scope: this.scope,
        key: symbol,
        state: 'reducing',
        until: null,
        recovery: `after ${calmBars} calm bars (each within ${limit} %)`,
        values: { movePct, limitPct: limit, barTime: bar.time },
        message: `${symbol} moved ${movePct.toFixed(2)} % in one bar (limit ${limit} %): entries paused until ${calmBars} calm bars`,
      });
      return;
    }
    // The governor's trip, not a flag here, says whether the symbol is paused: a pause restored
    // after a restart (or re-armed by hand) is counted (or not) like any other.
    if (!host.isTripped(this.name, symbol)) return;
    const calm = state[calmCount]! + 1;
    state[calmCount] = calm;
    if (calm >= calmBars) {
      state[calmCount] = 0;
      host.recover(this.name, symbol, `${symbol} recovered after ${calm} calm bars`);
    }
  }

  private stateOf(symbol: string): SymbolState {
    if (symbol === this.lastSymbol && this.last !== undefined) return this.last;
    let state = this.symbols.get(symbol);
    if (state === undefined) {
      state = new Float64Array([Number.NaN, 0]);
      this.symbols.set(symbol, state);
    }
    this.lastSymbol = symbol;
    this.last = state;
    return state;
  }

  private move(state: SymbolState, bar: Bar): number {
    if (this.settings.measure === 'range') return rangeMovePct(bar.open, bar.high, bar.low);
    const last = state[lastClose]!;
    return closeMovePct(Number.isNaN(last) ? bar.open : last, bar.close);
  }

  /**
   * Bars of `symbol` shown elsewhere (a backtest skipping the calls that change nothing) that all
   * moved within the limit while it was not paused: all they leave is the last close.
   */
  calmThrough(symbol: string, close: number): void {
    this.stateOf(symbol)[lastClose] = close;
  }

  /** Moves above this trip it (or, while paused, restart its count of calm bars). */
  get limitPct(): number {
    return this.settings.movePct;
  }

  get measure(): VolatilitySettings['measure'] {
    return this.settings.measure;
  }
}

/** A bar's close-to-close move in percent: from the previous close (the open for a first bar). */
export function closeMovePct(previous: number, close: number): number {
  return Math.abs(close / previous - 1) * 100;
}

/** A bar's range in percent of its open. */
export function rangeMovePct(open: number, high: number, low: number): number {
  return ((high - low) / open) * 100;
}
