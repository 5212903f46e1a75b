// RSI on the signal bar against each trade's PnL for the best set, with the Pearson correlation:
// does buying deeper in oversold territory actually pay? Canvas, exportable as PNG and CSV.
import { useEffect, useRef } from 'react';
import { Button } from '../form.tsx';
import { downloadText, downloadUrl } from '../download.ts';
import { formatNumber, formatTime } from '../format.ts';
import { prepareCanvas, useCanvasSize } from './use-canvas-size.ts';
import type { OptimizeResultJson } from '../../stores/optimize-store.ts';

type RsiAtEntry = NonNullable<OptimizeResultJson['rsiAtEntry']>;

const margin = { left: 64, right: 12, top: 12, bottom: 36 };

function extent(values: number[]): [number, number] {
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (!Number.isFinite(min)) return [0, 1];
  if (min === max) [min, max] = [min - 1, max + 1];
  const pad = (max - min) * 0.05;
  return [min - pad, max + pad];
}

function draw(canvas: HTMLCanvasElement, width: number, height: number, data: RsiAtEntry) {
  const context = prepareCanvas(canvas, width, height);
  if (!context) return;
  const [xMin, xMax] = extent(data.points.map((point) => point.rsi));
  const [yMin, yMax] = extent([0, ...data.points.map((point) => point.pnl)]);
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const x = (rsi: number) => margin.left + ((rsi - xMin) / (xMax - xMin)) * plotWidth;
  const y = (pnl: number) => margin.top + (1 - (pnl - yMin) / (yMax - yMin)) * plotHeight;

  context.fillStyle = '#0f172a';
  context.fillRect(0, 0, width, height);
  context.strokeStyle = '#334155';
  context.lineWidth = 1;
  context.strokeRect(margin.left, margin.top, plotWidth, plotHeight);
  context.beginPath();
  context.moveTo(margin.left, y(0));
  context.lineTo(margin.left + plotWidth, y(0));
  context.stroke();

  for (const point of data.points) {
    context.fillStyle = point.pnl >= 0 ? 'rgba(52, 211, 153, 0.8)' : 'rgba(248, 113, 113, 0.8)';
    context.beginPath();
    context.arc(x(point.rsi), y(point.pnl), 3, 0, Math.PI * 2);
    context.fill();
  }

  context.fillStyle = '#94a3b8';
  context.font = '11px system-ui, sans-serif';
  context.textBaseline = 'middle';
  context.textAlign = 'center';
  for (const tick of [xMin, (xMin + xMax) / 2, xMax])
    context.fillText(tick.toFixed(1), x(tick), margin.top + plotHeight + 10);
  context.fillText('RSI at entry signal', margin.left + plotWidth / 2, margin.top + plotHeight + 26);
  context.textAlign = 'right';
  for (const tick of [yMin, 0, yMax]) context.fillText(formatNumber(tick, 0), margin.left - 6, y(tick));
}

function scatterCsv(data: RsiAtEntry): string {
  const lines = [
    'time,rsi,pnl,return_pct',
    ...data.points.map((p) => `${p.time},${p.rsi},${p.pnl},${p.returnPct}`),
  ];
  return `${lines.join('\n')}\n`;
}

export function RsiEntryScatter({ data, baseName }: { data: RsiAtEntry; baseName: string }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { containerRef, width, height } = useCanvasSize(0.5, 200, 360);
  useEffect(() => {
    if (canvasRef.current && width > 0) draw(canvasRef.current, width, height, data);
  }, [width, height, data]);

  const first = data.points[0];
  const last = data.points.at(-1);
  return (
    <div className="flex flex-col gap-2" data-testid="rsi-scatter">
      <p className="text-sm text-slate-300">
        Correlation of RSI at entry with trade PnL:{' '}
        <strong data-testid="rsi-correlation">
          {data.correlation === null ? 'undefined (too few trades)' : formatNumber(data.correlation, 3)}
        </strong>{' '}
        over {data.points.length + data.omitted} trades
        {first && last ? ` (${formatTime(first.time)} – ${formatTime(last.time)})` : ''}
        {data.omitted > 0 ? `; ${data.omitted} not drawn` : ''}.
      </p>
      <div className="flex flex-wrap gap-2">
        <Button
          tone="secondary"
          onClick={() =>
            canvasRef.current &&
            downloadUrl(`${baseName}-rsi-at-entry.png`, canvasRef.current.toDataURL('image/png'))
          }
        >
          Export PNG
        </Button>
        <Button
          tone="secondary"
          onClick={() => downloadText(`${baseName}-rsi-at-entry.csv`, scatterCsv(data), 'text/csv')}
        >
          Export CSV
        </Button>
      </div>
      <div ref={containerRef} className="w-full">
        <canvas
          ref={canvasRef}
          role="img"
          aria-label="Scatter of RSI at entry against trade PnL"
          data-points={data.points.length}
        />
      </div>
    </div>
  );
}
