// Equity and drawdown in two panes of one lightweight-charts chart, sharing the time axis.
import { useEffect, useRef } from 'react';
import { AreaSeries, ColorType, createChart, LineSeries, type UTCTimestamp } from 'lightweight-charts';
import type { CallOutput } from '../../../core/contract/calls.ts';

type EquityCurve = CallOutput<'backtest.run'>['result']['equity'];

export function EquityChart({ curve, height = 320 }: { curve: EquityCurve; height?: number }) {
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
    chart.panes()[1]?.setHeight(Math.round(height * 0.3));
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [curve, height]);

  return (
    <div
      ref={container}
      data-testid="equity-chart"
      data-points={curve.time.length}
      style={{ height }}
      className="w-full overflow-hidden rounded-md border border-slate-800"
    />
  );
}
