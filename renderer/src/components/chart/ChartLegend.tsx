// Open, high, low, close and volume of the bar under the crosshair (the last bar otherwise), with
// the time written to fit the timeframe: no "00:00" on daily bars.
import type { Timeframe } from '../../../../core/contract/calls.ts';
import { formatPrice, formatVolume } from './price-format.ts';

export interface LegendBar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

const intraday = new Set<Timeframe>(['1m', '5m', '15m', '30m', '1h', '4h']);

export function formatBarTime(time: number, timeframe: Timeframe | null): string {
  const iso = new Date(time * 1000).toISOString();
  if (timeframe === '1M') return iso.slice(0, 7);
  if (timeframe && !intraday.has(timeframe)) return iso.slice(0, 10);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function ChartLegend({
  bar,
  decimals,
  timeframe,
}: {
  bar: LegendBar | null;
  decimals: number;
  timeframe: Timeframe | null;
}) {
  if (!bar) return <div className="h-5 text-xs text-slate-500" data-testid="chart-legend" />;
  const up = bar.close >= bar.open;
  const value = (label: string, text: string, testId: string) => (
    <span className="whitespace-nowrap">
      <span className="text-slate-500">{label}</span>{' '}
      <span className={up ? 'text-emerald-400' : 'text-red-400'} data-testid={testId}>
        {text}
      </span>
    </span>
  );
  return (
    <div
      className="flex min-h-5 flex-wrap gap-x-3 gap-y-0.5 text-xs tabular-nums text-slate-300"
      data-testid="chart-legend"
    >
      <span className="whitespace-nowrap text-slate-400" data-testid="legend-time">
        {formatBarTime(bar.time, timeframe)}
        {timeframe ? ` · ${timeframe}` : ''}
      </span>
      {value('O', formatPrice(bar.open, decimals), 'legend-open')}
      {value('H', formatPrice(bar.high, decimals), 'legend-high')}
      {value('L', formatPrice(bar.low, decimals), 'legend-low')}
      {value('C', formatPrice(bar.close, decimals), 'legend-close')}
      {value('V', formatVolume(bar.volume), 'legend-volume')}
    </div>
  );
}
