// The RSI threshold heatmap: one cell per (buy, sell) threshold pair, coloured by the objective or
// the profit factor, the best cell outlined. Drawn on a canvas so it exports as a PNG exactly as
// seen (title and colour legend included), and as CSV for a spreadsheet.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Button, Select } from '../form.tsx';
import { downloadText, downloadUrl } from '../download.ts';
import { formatNumber } from '../format.ts';
import { viridis } from './color-scale.ts';
import { prepareCanvas, useCanvasSize } from './use-canvas-size.ts';
import type { OptimizeResultJson } from '../../stores/optimize-store.ts';

type Heatmap = NonNullable<OptimizeResultJson['heatmap']>;
type Metric = 'score' | 'profitFactor';

const margin = { left: 48, right: 12, top: 28, bottom: 64 };
const metricTitle: Record<Metric, string> = { score: 'Objective score', profitFactor: 'Profit factor' };

interface Cell {
  xi: number;
  yi: number;
  value: number;
}

function range(grid: (number | null)[][]) {
  let min = Infinity;
  let max = -Infinity;
  let best: Cell | null = null;
  grid.forEach((row, yi) =>
    row.forEach((value, xi) => {
      if (value === null) return;
      min = Math.min(min, value);
      max = Math.max(max, value);
      if (best === null || value > best.value) best = { xi, yi, value };
    }),
  );
  return { min, max, best: best as Cell | null };
}

/** Every nth label so that labels never overlap at the current width. */
function labelEvery(count: number, pixels: number, labelPixels: number): number {
  return Math.max(1, Math.ceil((count * labelPixels) / Math.max(1, pixels)));
}

function draw(canvas: HTMLCanvasElement, width: number, height: number, heatmap: Heatmap, metric: Metric) {
  const context = prepareCanvas(canvas, width, height);
  if (!context) return;
  const grid = heatmap[metric];
  const { min, max, best } = range(grid);
  const xs = heatmap.x.values;
  const ys = heatmap.y.values;
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const cellWidth = plotWidth / xs.length;
  const cellHeight = plotHeight / ys.length;
  const scale = (value: number) => (max > min ? (value - min) / (max - min) : 1);
  // Higher y values at the top, as on any chart.
  const top = (yi: number) => margin.top + (ys.length - 1 - yi) * cellHeight;

  context.fillStyle = '#0f172a';
  context.fillRect(0, 0, width, height);
  context.font = '12px system-ui, sans-serif';
  context.fillStyle = '#e2e8f0';
  context.textBaseline = 'middle';
  context.textAlign = 'left';
  context.fillText(`${metricTitle[metric]} by ${heatmap.x.param} × ${heatmap.y.param}`, margin.left, 14);

  grid.forEach((row, yi) =>
    row.forEach((value, xi) => {
      context.fillStyle = value === null ? '#1e293b' : viridis(scale(value));
      context.fillRect(margin.left + xi * cellWidth, top(yi), Math.ceil(cellWidth), Math.ceil(cellHeight));
    }),
  );
  if (best) {
    context.strokeStyle = '#ffffff';
    context.lineWidth = 2;
    context.strokeRect(
      margin.left + best.xi * cellWidth + 1,
      top(best.yi) + 1,
      cellWidth - 2,
      cellHeight - 2,
    );
  }

  context.fillStyle = '#94a3b8';
  context.font = '11px system-ui, sans-serif';
  context.textAlign = 'center';
  const xEvery = labelEvery(xs.length, plotWidth, 28);
  xs.forEach((value, xi) => {
    if (xi % xEvery === 0)
      context.fillText(String(value), margin.left + (xi + 0.5) * cellWidth, margin.top + plotHeight + 10);
  });
  context.fillText(heatmap.x.param, margin.left + plotWidth / 2, margin.top + plotHeight + 26);
  context.textAlign = 'right';
  const yEvery = labelEvery(ys.length, plotHeight, 14);
  ys.forEach((value, yi) => {
    if (yi % yEvery === 0) context.fillText(String(value), margin.left - 6, top(yi) + cellHeight / 2);
  });
  context.save();
  context.translate(12, margin.top + plotHeight / 2);
  context.rotate(-Math.PI / 2);
  context.textAlign = 'center';
  context.fillText(heatmap.y.param, 0, 0);
  context.restore();

  // Colour legend: min … max under the plot.
  const legendTop = height - 18;
  const legendLeft = margin.left + 40;
  const legendWidth = Math.max(40, plotWidth - 80);
  for (let i = 0; i < legendWidth; i++) {
    context.fillStyle = viridis(i / (legendWidth - 1));
    context.fillRect(legendLeft + i, legendTop - 5, 1, 10);
  }
  context.fillStyle = '#94a3b8';
  context.textAlign = 'right';
  context.fillText(Number.isFinite(min) ? formatNumber(min, 3) : '—', legendLeft - 6, legendTop);
  context.textAlign = 'left';
  context.fillText(
    Number.isFinite(max) ? formatNumber(max, 3) : '—',
    legendLeft + legendWidth + 6,
    legendTop,
  );
}

/** Rows are the y parameter's values, columns the x parameter's; an empty cell was not evaluated. */
export function heatmapCsv(heatmap: Heatmap, metric: Metric): string {
  const header = [`${heatmap.y.param}\\${heatmap.x.param}`, ...heatmap.x.values.map(String)].join(',');
  const rows = heatmap.y.values.map((y, yi) =>
    [String(y), ...heatmap[metric][yi]!.map((value) => (value === null ? '' : String(value)))].join(','),
  );
  return `${[header, ...rows].join('\n')}\n`;
}

export function ThresholdHeatmap({ heatmap, baseName }: { heatmap: Heatmap; baseName: string }) {
  const [metric, setMetric] = useState<Metric>('score');
  const [hovered, setHovered] = useState<Cell | null>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { containerRef, width, height } = useCanvasSize(0.75, 260, 520);
  const { best } = useMemo(() => range(heatmap[metric]), [heatmap, metric]);

  useEffect(() => {
    if (canvasRef.current && width > 0) draw(canvasRef.current, width, height, heatmap, metric);
  }, [width, height, heatmap, metric]);

  const cellAt = (event: React.MouseEvent<HTMLCanvasElement>): Cell | null => {
    const box = event.currentTarget.getBoundingClientRect();
    const plotWidth = width - margin.left - margin.right;
    const plotHeight = height - margin.top - margin.bottom;
    const xi = Math.floor(((event.clientX - box.left - margin.left) / plotWidth) * heatmap.x.values.length);
    const fromTop = Math.floor(
      ((event.clientY - box.top - margin.top) / plotHeight) * heatmap.y.values.length,
    );
    const yi = heatmap.y.values.length - 1 - fromTop;
    const value = heatmap[metric][yi]?.[xi];
    return value === undefined || value === null ? null : { xi, yi, value };
  };
  const describe = (cell: Cell) =>
    `${heatmap.x.param} ${heatmap.x.values[cell.xi]} · ${heatmap.y.param} ${heatmap.y.values[cell.yi]}: ` +
    `${metricTitle[metric].toLowerCase()} ${formatNumber(cell.value, 3)}`;

  return (
    <div className="flex flex-col gap-2" data-testid="heatmap">
      <div className="flex flex-wrap items-center gap-2">
        <div className="w-44">
          <Select
            value={metric}
            aria-label="Heatmap metric"
            data-testid="heatmap-metric"
            onChange={(event) => setMetric(event.target.value as Metric)}
          >
            <option value="score">Objective score</option>
            <option value="profitFactor">Profit factor</option>
          </Select>
        </div>
        <Button
          tone="secondary"
          data-testid="heatmap-png"
          onClick={() =>
            canvasRef.current &&
            downloadUrl(`${baseName}-${metric}-heatmap.png`, canvasRef.current.toDataURL('image/png'))
          }
        >
          Export PNG
        </Button>
        <Button
          tone="secondary"
          data-testid="heatmap-csv"
          onClick={() =>
            downloadText(`${baseName}-${metric}-heatmap.csv`, heatmapCsv(heatmap, metric), 'text/csv')
          }
        >
          Export CSV
        </Button>
      </div>
      <div ref={containerRef} className="w-full">
        <canvas
          ref={canvasRef}
          role="img"
          aria-label={`${metricTitle[metric]} heatmap over ${heatmap.x.param} and ${heatmap.y.param}`}
          data-testid="heatmap-canvas"
          data-best={best ? `${heatmap.x.values[best.xi]},${heatmap.y.values[best.yi]}` : ''}
          onMouseMove={(event) => setHovered(cellAt(event))}
          onMouseLeave={() => setHovered(null)}
        />
      </div>
      <p className="min-h-5 text-xs text-slate-400" data-testid="heatmap-hover">
        {hovered
          ? describe(hovered)
          : best
            ? `Best: ${describe(best)}`
            : 'No set reached the minimum trade count.'}
      </p>
    </div>
  );
}
