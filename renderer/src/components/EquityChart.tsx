// Equity and drawdown in two panes of one lightweight-charts chart, sharing the time axis; a
// backtest with circuit breakers marks each trip on the equity line.
import { useEffect, useRef } from 'react';
import {
  AreaSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  LineSeries,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { CallOutput } from '../../../core/contract/calls.ts';

type EquityCurve = CallOutput<'backtest.run'>['result']['equity'];
type BreakerTrips = NonNullable<CallOutput<'backtest.run'>['result']['breakerTrips']>;

const noTrips: BreakerTrips = [];

export function EquityChart({
  curve,
  trips = noTrips,
  height = 320,
}: {
  curve: EquityCurve;
  trips?: BreakerTrips;
  height?: number;
}) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!container.current) return;
    const chart = createChart(container.current, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: '#020617' }, textColor: '#cbd5e1' },
      grid: { vertLines: { color: '#1e293b' }, horzLines: { color: '#1e293b' } },
      timeScale: { timeVisible: true, secondsVisible: false },
    });
    const equity = chart.addSeries(LineSeries, { color: '#38bdf8', lineWidth: 2, title: 'Equity' });
    const drawdown = chart.addSeries(
      AreaSeries,
      {
        lineColor: '#ef4444',
        topColor: 'rgba(239,68,68,0.05)',
        bottomColor: 'rgba(239,68,68,0.4)',
        title: 'Drawdown %',
      },
      1,
    );
    equity.setData(
      curve.time.map((time, i) => ({ time: time as UTCTimestamp, value: curve.equity[i] as number })),
    );
    drawdown.setData(
      curve.time.map((time, i) => ({ time: time as UTCTimestamp, value: curve.drawdownPct[i] as number })),
    );
    createSeriesMarkers(
      equity,
      trips.map((trip) => ({
        time: trip.time as UTCTimestamp,
        position: 'aboveBar' as const,
        shape: 'arrowDown' as const,
        color: trip.state === 'halted' ? '#ef4444' : '#f59e0b',
        text: trip.breaker,
      })),
    );
    chart.panes()[1]?.setHeight(Math.round(height * 0.3));
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [curve, trips, height]);

  return (
    <div
      ref={container}
      data-testid="equity-chart"
      data-points={curve.time.length}
      data-trips={trips.length}
      style={{ height }}
      className="w-full overflow-hidden rounded-md border border-slate-800"
    />
  );
}
