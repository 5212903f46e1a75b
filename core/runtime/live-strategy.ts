// A strategy object on the live path: the same object a backtest runs, fed one closed bar at a time.
// The bars, the extra series and the indicators it reads are live-series views: they hold only
// what has arrived, and reading past the current bar throws a LookAheadError. Indicators come from
// the strategy's stream() when it has one (O(1) per bar); otherwise init() runs again over the bars
// so far on every bar — correct for any user strategy, just slower.
import type { Bar } from '../domain/bar.ts';
import { candleFields, type CandleColumns } from '../storage/candle-columns.ts';
import { guardArray, LiveSeries } from '../strategies/live-series.ts';
import type {
  LiveIndicators,
  SeriesSet,
  Strategy,
  StrategyContext,
  StrategyParams,
} from '../strategies/strategy.ts';

export class LiveStrategy<P extends StrategyParams, I> {
  readonly strategy: Strategy<P, I>;
  readonly params: P;
  /** The bars so far, as the strategy sees them. */
  readonly candles: CandleColumns;
  /** The strategy's indicators as of the last bar pushed. */
  indicators: I;
  /** Bars pushed so far; the current bar is `count − 1`. */
  count = 0;
  private readonly columns: Record<keyof CandleColumns, LiveSeries>;
  /** Each extra series: its full source (revealed one value per bar) and the live copy. */
  private readonly extra: { source: Float64Array; live: LiveSeries }[];
  private readonly liveSeries: SeriesSet;
  private readonly streamed: LiveIndicators<I> | null;

  /**
   * `series` are extra per-bar inputs aligned to the bars the feed will deliver (a replay's
   * sentiment, say): a value is revealed when its bar arrives, never before.
   */
  constructor(strategy: Strategy<P, I>, params: P, series: SeriesSet = {}, capacity = 1024) {
    this.strategy = strategy;
    this.params = params;
    const columns = {} as Record<keyof CandleColumns, LiveSeries>;
    const views = {} as Record<keyof CandleColumns, Float64Array>;
    for (const field of candleFields) {
      columns[field] = new LiveSeries(`candles.${field}`, capacity);
      views[field] = columns[field].view;
    }
    this.columns = columns;
    this.candles = views;
    this.extra = [];
    const liveSeries: Record<string, Float64Array> = {};
    for (const [name, source] of Object.entries(series)) {
      const live = new LiveSeries(`series.${name}`, capacity);
      this.extra.push({ source, live });
      liveSeries[name] = live.view;
    }
    this.liveSeries = liveSeries;
    this.streamed =
      strategy.stream?.({
        params,
        candles: this.candles,
        series: liveSeries,
        newSeries: (name) => new LiveSeries(`indicators.${name}`, capacity),
      }) ?? null;
    this.indicators = this.streamed?.indicators ?? (undefined as I);
  }

  /** Takes in the next closed bar and updates the indicators; returns its index. */
  push(bar: Bar): number {
    const i = this.count;
    const c = this.columns;
    c.time.push(bar.time);
    c.open.push(bar.open);
    c.high.push(bar.high);
    c.low.push(bar.low);
    c.close.push(bar.close);
    c.volume.push(bar.volume);
    const extra = this.extra;
    for (let k = 0; k < extra.length; k++) {
      const { source, live } = extra[k]!;
      live.push(i < source.length ? source[i]! : Number.NaN);
    }
    this.count = i + 1;
    if (this.streamed !== null) this.streamed.update(bar, i);
    else this.indicators = this.recompute();
    return i;
  }

  /** Shows bar `i` (the last pushed) to the strategy. */
  onBar(i: number, ctx: StrategyContext<P, I>): void {
    this.strategy.onBar(i, ctx);
  }

  /** init() over the bars so far; its arrays become views whose current bar is the last. */
  private recompute(): I {
    const known = {} as Record<keyof CandleColumns, Float64Array>;
    for (const field of candleFields) known[field] = this.columns[field].known();
    const series: Record<string, Float64Array> = {};
    for (const [name, view] of Object.entries(this.liveSeries)) series[name] = view.subarray(0);
    const indicators = this.strategy.init({ candles: known, params: this.params, series });
    if (indicators === null || typeof indicators !== 'object') return indicators;
    const guarded: Record<string, unknown> = { ...(indicators as Record<string, unknown>) };
    for (const [name, value] of Object.entries(guarded)) {
      if (value instanceof Float64Array && value.length === this.count)
        guarded[name] = guardArray(`indicators.${name}`, value);
    }
    return guarded as I;
  }
}
