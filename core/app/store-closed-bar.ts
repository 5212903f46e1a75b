// A live feed's closed bar, stored into the bot's series and then announced as `candles.live`
// (closed: true). Both live sources do it before the bot sees the bar — the exchange feeds
// (live-feeds.ts) and cTrader's spots (ctrader-live-feed.ts) — so the chart, the bot's equity curve
// and a resume after a restart read it like any stored bar, and an open chart of the series updates.
import type { EmitEvent } from '../bots/bot-supervisor.ts';
import type { Bar } from '../domain/bar.ts';
import type { Timeframe } from '../domain/timeframe.ts';
import { allocateCandleColumns } from '../storage/candle-columns.ts';
import type { CandleRepository } from '../storage/candle-repository.ts';

/** Where closed bars go, and who hears of them. */
export interface ClosedBarSink {
  candles: Pick<CandleRepository, 'upsert'>;
  emit: EmitEvent;
}

export function storeClosedBar(sink: ClosedBarSink, series: string, timeframe: Timeframe, bar: Bar): void {
  sink.candles.upsert(series, timeframe, columnsOf(bar));
  sink.emit('candles.live', { series, timeframe, closed: true, bar });
}

function columnsOf(bar: Bar) {
  const columns = allocateCandleColumns(1);
  columns.time[0] = bar.time;
  columns.open[0] = bar.open;
  columns.high[0] = bar.high;
  columns.low[0] = bar.low;
  columns.close[0] = bar.close;
  columns.volume[0] = bar.volume;
  return columns;
}
