// Candlesticks with optional trade markers, on lightweight-charts v5. The chart owns a DOM node;
// React only feeds it data, so re-renders never rebuild the canvas.
import { useEffect, useRef } from 'react';
import {
  CandlestickSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { CandleColumnsJson } from '../../../core/contract/calls.ts';

export interface TradeMarker {
  time: number;
  kind: 'buy' | 'sell' | 'exit';
  text?: string;
}

/** One shared empty list: a fresh `[]` default on every render made setMarkers rerun each time. */
const noMarkers: TradeMarker[] = [];

export function CandleChart({
  candles,
  markers = noMarkers,
  height = 420,
  testId = 'chart',
}: {
  candles: CandleColumnsJson | null;
  markers?: TradeMarker[];
  height?: number;
  testId?: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<'Candlestick'> | null>(null);
  const markerApi = useRef<ISeriesMarkersPluginApi<Time> | null>(null);

  useEffect(() => {
    if (!container.current) return;
    const created = createChart(container.current, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: '#020617' }, textColor: '#cbd5e1' },
      grid: { vertLines: { color: '#1e293b' }, horzLines: { color: '#1e293b' } },
      timeScale: { timeVisible: true, secondsVisible: false },
    });
    chart.current = created;
    series.current = created.addSeries(CandlestickSeries, {
      upColor: '#10b981',
      downColor: '#ef4444',
      borderVisible: false,
      wickUpColor: '#10b981',
      wickDownColor: '#ef4444',
    });
    markerApi.current = createSeriesMarkers(series.current, []);
    return () => {
      created.remove();
      chart.current = null;
      series.current = null;
      markerApi.current = null;
    };
  }, []);

  useEffect(() => {
    if (!series.current) return;
    const data = [];
    if (candles) {
      for (let i = 0; i < candles.time.length; i++) {
        data.push({
          time: candles.time[i] as UTCTimestamp,
          open: candles.open[i] as number,
          high: candles.high[i] as number,
          low: candles.low[i] as number,
          close: candles.close[i] as number,
        });
      }
    }
    series.current.setData(data);
    chart.current?.timeScale().fitContent();
  }, [candles]);

  useEffect(() => {
    // lightweight-charts needs markers in time order.
    const sorted = [...markers].sort((a, b) => a.time - b.time);
    const seriesMarkers: SeriesMarker<Time>[] = sorted.map((marker) => ({
      time: marker.time as UTCTimestamp,
      position: marker.kind === 'sell' ? 'aboveBar' : 'belowBar',
      shape: marker.kind === 'buy' ? 'arrowUp' : marker.kind === 'sell' ? 'arrowDown' : 'circle',
      color: marker.kind === 'buy' ? '#22c55e' : marker.kind === 'sell' ? '#f97316' : '#94a3b8',
      text: marker.text ?? '',
    }));
    markerApi.current?.setMarkers(seriesMarkers);
  }, [markers]);

  return (
    <div
      ref={container}
      data-testid={testId}
      data-bars={candles?.time.length ?? 0}
      data-markers={markers.length}
      style={{ height }}
      className="w-full overflow-hidden rounded-md border border-slate-800"
    />
  );
}
