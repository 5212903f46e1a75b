// Maximum drawdown: when equity falls `limitPct` (default 20 %) below its peak, the account halts
// until the user re-arms it. Re-arming restarts the peak from the equity of that moment, or the
// next equity reading would trip it again at once.
import { accountKey, type Breaker, type BreakerHost } from './breaker.ts';
import { lossFromPct, quietFloor } from './quiet-floor.ts';

export interface MaxDrawdownSettings {
  limitPct: number;
}

export class MaxDrawdownBreaker implements Breaker {
  readonly name = 'max-drawdown';
  readonly scope = 'account';
  private readonly settings: MaxDrawdownSettings;
  private peak = Number.NaN;
  /** The latest equity, in a typed array: a double field would allocate a box on every mark. */
  private readonly last = new Float64Array([Number.NaN]);
  /** The peak last handed to the journal: a new one is remembered once it is 0.1 % higher. */
  private rememberedPeak = Number.NaN;
  /** quietFloor of the peak, kept until the peak moves (NaN: not worked out yet). */
  private floor = Number.NaN;
  private floorPeak = Number.NaN;

  constructor(settings: MaxDrawdownSettings) {
    this.settings = settings;
  }

  onEquity(equity: number, host: BreakerHost): void {
    this.last[0] = equity;
    if (!(equity <= this.peak)) {
      this.peak = equity;
      // A rising market sets a new peak on every mark; remembering each would be a write per
      // bar. After a restart the peak is then at most 0.1 % low: the breaker trips that much later.
      if (!(this.peak < this.rememberedPeak * 1.001)) this.remember(host);
    }
    const drawdownPct = lossFromPct(this.peak, equity);
    if (!(drawdownPct >= this.settings.limitPct) || host.isTripped(this.name, accountKey)) return;
    host.trip({
      breaker: this.name,
      scope: this.scope,
      key: accountKey,
      state: 'halted',
      until: null,
      recovery: 'when the user re-arms it',
      values: { drawdownPct, limitPct: this.settings.limitPct, peak: this.peak, equity },
      message: `equity ${drawdownPct.toFixed(2)} % below its peak reached the ${this.settings.limitPct} % limit: halted until re-armed`,
    });
  }

  onRearm(_key: string, host: BreakerHost): void {
    this.peak = this.last[0]!;
    if (Number.isFinite(this.peak)) this.remember(host);
  }

  /**
   * Where onEquity changes nothing but the latest equity it keeps (for a backtest that skips such
   * calls): an equity no higher than the peak (`quietCeiling`, NaN before any equity) and at or above
   * the returned floor. `tripped`: the governor holds this breaker's trip, so only the peak matters.
   */
  quietFloor(tripped: boolean): number {
    if (tripped) return Number.NEGATIVE_INFINITY;
    if (this.floorPeak !== this.peak) {
      this.floorPeak = this.peak;
      this.floor = quietFloor(this.peak, this.settings.limitPct);
    }
    return this.floor;
  }

  get quietCeiling(): number {
    return this.peak;
  }

  recall(name: string, value: number): void {
    if (name !== 'peak') return;
    this.peak = value;
    this.rememberedPeak = value;
  }

  private remember(host: BreakerHost): void {
    this.rememberedPeak = this.peak;
    host.remember(this.name, 'peak', this.peak);
  }
}
