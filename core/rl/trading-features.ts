// What a trading policy sees of the market and of its own account, computed one closed bar at a
// time by the same code wherever the policy runs: the training environment (trading-env.ts), a
// backtest of the `rl-policy` strategy, a paper bot. One implementation, streamed, so the three
// are bit for bit the same observation on the same bars — not three copies that could drift.
//
// Observation for bar i (all from bars 0…i only):
//   - the last `window` close-to-close returns, each divided by the volatility (the standard
//     deviation of the last 32 returns), clipped to ±5;
//   - RSI(14) as (rsi − 50) / 50, in [−1, 1];
//   - the close against its 20-bar SMA, (close / sma − 1) / volatility, clipped to ±5;
//   - the volatility itself against the close's typical move, 100 × σ, clipped to [0, 5];
//   - the position's sign (−1 short, 0 flat, 1 long);
//   - the position's PnL since it was taken: equity now over the equity at the close the decision
//     to take it was made on, − 1 (net of fees and slippage), × 10, clipped to ±5; 0 when flat.
import { RsiStream } from '../indicators/rsi.ts';
import { SmaStream } from '../indicators/sma.ts';

export interface TradingObservationConfig {
  /** Returns in the window (2 … 128). */
  window: number;
  /** Whether the policy may go short (3 actions) or only long / flat (2). */
  allowShort: boolean;
}

export const defaultTradingObservation: TradingObservationConfig = { window: 16, allowShort: false };

const volatilityBars = 32;
const rsiPeriod = 14;
const smaPeriod = 20;
const clipAt = 5;

/** Market features per bar: the window's returns, then RSI, close vs SMA, volatility. */
export function marketFeatureCount(config: TradingObservationConfig): number {
  return config.window + 3;
}

/** Numbers per observation: market features, position sign, position PnL. */
export function observationSize(config: TradingObservationConfig): number {
  return marketFeatureCount(config) + 2;
}

export function actionCount(config: TradingObservationConfig): number {
  return config.allowShort ? 3 : 2;
}

/** The first bar with every feature defined (earlier bars: the policy stays flat). */
export function warmupBars(config: TradingObservationConfig): number {
  return Math.max(config.window, volatilityBars, smaPeriod, rsiPeriod) + 1;
}

/** Action → the position it asks for: 0 flat, 1 long, 2 short. */
export function targetOf(action: number): -1 | 0 | 1 {
  return action === 1 ? 1 : action === 2 ? -1 : 0;
}

const clip = (value: number, low: number, high: number) => (value < low ? low : value > high ? high : value);

/** Market features, one closed bar at a time; rows are kept (the live path appends as bars close). */
export class MarketFeatures {
  readonly config: TradingObservationConfig;
  readonly width: number;
  /** `width` numbers per bar seen, bar after bar; NaN rows before the warm-up ends. */
  rows: Float64Array;
  count = 0;
  readonly #returns: Float64Array;
  #prevClose = Number.NaN;
  readonly #rsi = new RsiStream(rsiPeriod);
  readonly #sma = new SmaStream(smaPeriod);
  readonly #warmup: number;

  constructor(config: TradingObservationConfig, capacity = 1024) {
    this.config = config;
    this.width = marketFeatureCount(config);
    this.rows = new Float64Array(Math.max(16, capacity) * this.width);
    this.#returns = new Float64Array(Math.max(volatilityBars, config.window));
    this.#warmup = warmupBars(config);
  }

  /** The features of every bar of `close`, from its first bar. */
  static of(close: Float64Array, config: TradingObservationConfig): MarketFeatures {
    const features = new MarketFeatures(config, close.length);
    for (let i = 0; i < close.length; i++) features.update(close[i]!);
    return features;
  }

  /** Bar `count` has closed at `close`: appends its row. */
  update(close: number): void {
    const width = this.width;
    if ((this.count + 1) * width > this.rows.length) {
      const grown = new Float64Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
    }
    const returns = this.#returns;
    const size = returns.length;
    // Ring of the latest returns: slot count % size holds the return into bar `count`.
    const r = this.count === 0 ? Number.NaN : close / this.#prevClose - 1;
    returns[this.count % size] = r;
    this.#prevClose = close;
    const rsi = this.#rsi.update(close);
    const sma = this.#sma.update(close);
    const at = this.count * width;
    this.count++;
    if (this.count < this.#warmup) {
      this.rows.fill(Number.NaN, at, at + width);
      return;
    }
    // Volatility over the last volatilityBars returns (two passes: exact and the same everywhere).
    let mean = 0;
    for (let k = 0; k < volatilityBars; k++) mean += returns[(this.count - 1 - k + size) % size]!;
    mean /= volatilityBars;
    let variance = 0;
    for (let k = 0; k < volatilityBars; k++) {
      const d = returns[(this.count - 1 - k + size) % size]! - mean;
      variance += d * d;
    }
    const sigma = Math.max(Math.sqrt(variance / (volatilityBars - 1)), 1e-8);
    const rows = this.rows;
    const window = this.config.window;
    for (let k = 0; k < window; k++)
      rows[at + k] = clip(returns[(this.count - 1 - k + size) % size]! / sigma, -clipAt, clipAt);
    rows[at + window] = (rsi - 50) / 50;
    rows[at + window + 1] = clip((close / sma - 1) / sigma, -clipAt, clipAt);
    rows[at + window + 2] = clip(100 * sigma, 0, clipAt);
  }

  /** Whether bar i's row is defined. */
  ready(i: number): boolean {
    return i >= this.#warmup - 1 && i < this.count;
  }
}

/** The account part of the observation, from what a strategy context shows: position and equity. */
export class PositionFeatures {
  #lastSign = 0;
  #prevEquity = Number.NaN;
  #entryEquity = Number.NaN;
  sign = 0;
  pnl = 0;

  /** After bar i's close: the position held and the equity marked there. */
  observe(position: number, equity: number): void {
    const sign = position > 0 ? 1 : position < 0 ? -1 : 0;
    if (sign !== this.#lastSign)
      this.#entryEquity = Number.isNaN(this.#prevEquity) ? equity : this.#prevEquity;
    this.#lastSign = sign;
    this.#prevEquity = equity;
    this.sign = sign;
    this.pnl = sign === 0 ? 0 : clip(10 * (equity / this.#entryEquity - 1), -clipAt, clipAt);
  }
}

/** Writes bar i's observation into `out` (length observationSize). */
export function writeObservation(
  out: Float64Array,
  market: MarketFeatures,
  i: number,
  position: PositionFeatures,
): void {
  const width = market.width;
  const rows = market.rows;
  const at = i * width;
  for (let k = 0; k < width; k++) out[k] = rows[at + k]!;
  out[width] = position.sign;
  out[width + 1] = position.pnl;
}
