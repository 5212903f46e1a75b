// A small SVG line (or bar) chart for macro series, sentiment and revenue: a few hundred points at
// most, so plain SVG scales with the card and needs no canvas library.
export interface LinePoint {
  label: string;
  value: number;
}

export function LineChart({
  points,
  height = 160,
  bars = false,
  testId,
  color = '#38bdf8',
  zeroLine = false,
}: {
  points: readonly LinePoint[];
  height?: number;
  bars?: boolean;
  testId?: string;
  color?: string;
  zeroLine?: boolean;
}) {
  const width = 600;
  if (points.length === 0)
    return (
      <div data-testid={testId} className="text-sm text-slate-500">
        No values to draw.
      </div>
    );
  const values = points.map((point) => point.value);
  let min = Math.min(...values, ...(bars || zeroLine ? [0] : []));
  let max = Math.max(...values, ...(zeroLine ? [0] : []));
  if (min === max) {
    min -= 1;
    max += 1;
  }
  const x = (i: number) => (points.length === 1 ? width / 2 : (i / (points.length - 1)) * (width - 8) + 4);
  const y = (v: number) => height - 4 - ((v - min) / (max - min)) * (height - 8);
  const first = points[0]!;
  const last = points.at(-1)!;
  return (
    <figure data-testid={testId} className="w-full">
      <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" className="h-40 w-full" role="img">
        <title>{`${first.label} ${first.value} … ${last.label} ${last.value}`}</title>
        {(zeroLine || bars) && min < 0 && (
          <line x1={0} x2={width} y1={y(0)} y2={y(0)} stroke="#475569" strokeDasharray="4 4" />
        )}
        {bars ? (
          points.map((point, i) => {
            const w = Math.max(1, (width - 8) / points.length - 1);
            const top = Math.min(y(point.value), y(0));
            return (
              <rect
                key={i}
                x={x(i) - w / 2}
                y={top}
                width={w}
                height={Math.max(1, Math.abs(y(point.value) - y(0)))}
                fill={color}
              />
            );
          })
        ) : (
          <polyline
            fill="none"
            stroke={color}
            strokeWidth={2}
            vectorEffect="non-scaling-stroke"
            points={points.map((point, i) => `${x(i)},${y(point.value)}`).join(' ')}
          />
        )}
      </svg>
      <figcaption className="flex justify-between text-xs text-slate-500">
        <span>{first.label}</span>
        <span>{last.label}</span>
      </figcaption>
    </figure>
  );
}
