// The training curve as it grows: mean return of the training episodes (thin) and the greedy
// evaluations (dots and line) against environment steps, with the solved line. Plain SVG: a few
// hundred points need no charting library, and steps (not time) are its x axis.
export interface CurvePoint {
  step: number;
  episodeReturn: number | null;
  evalReturn?: number;
}

const width = 640;
const height = 220;
const pad = 32;

export function TrainingCurve({
  points,
  totalSteps,
  solvedReturn,
  targetLabel = `solved (${solvedReturn})`,
}: {
  points: CurvePoint[];
  totalSteps: number;
  /** The dashed line: CartPole's solved return, or buy & hold's on the validation split (trading). */
  solvedReturn: number;
  targetLabel?: string;
}) {
  const maxY = Math.max(
    solvedReturn * 1.06,
    ...points.map((p) => Math.max(p.episodeReturn ?? 0, p.evalReturn ?? 0)),
  );
  // Trading returns can be losses: the axis then reaches below zero.
  const minY = Math.min(
    0,
    solvedReturn * 1.06,
    ...points.map((p) => Math.min(p.episodeReturn ?? 0, p.evalReturn ?? 0)),
  );
  const maxX = Math.max(totalSteps, points.at(-1)?.step ?? 1);
  const x = (step: number) => pad + (step / maxX) * (width - 2 * pad);
  const y = (value: number) => height - pad - ((value - minY) / (maxY - minY || 1)) * (height - 2 * pad);
  const line = (values: Array<[number, number]>) =>
    values.map(([s, v]) => `${x(s).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const training = points
    .filter((p) => p.episodeReturn !== null)
    .map((p) => [p.step, p.episodeReturn!] as [number, number]);
  const evals = points
    .filter((p) => p.evalReturn !== undefined)
    .map((p) => [p.step, p.evalReturn!] as [number, number]);
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      className="w-full rounded-md border border-slate-800 bg-slate-950"
      data-testid="rl-curve"
      data-points={points.length}
      data-evaluations={evals.length}
      role="img"
      aria-label="Training curve: episode return against steps"
    >
      <line
        x1={pad}
        x2={width - pad}
        y1={y(solvedReturn)}
        y2={y(solvedReturn)}
        stroke="#22c55e"
        strokeDasharray="4 4"
      />
      <text x={width - pad} y={y(solvedReturn) - 4} fill="#22c55e" fontSize="10" textAnchor="end">
        {targetLabel}
      </text>
      <line x1={pad} x2={pad} y1={pad / 2} y2={height - pad} stroke="#334155" />
      <line x1={pad} x2={width - pad} y1={height - pad} y2={height - pad} stroke="#334155" />
      <text x={pad} y={height - 10} fill="#94a3b8" fontSize="10">
        0
      </text>
      {minY < 0 && (
        <text x={4} y={y(minY) - 2} fill="#94a3b8" fontSize="10">
          {Math.round(minY)}
        </text>
      )}
      <text x={width - pad} y={height - 10} fill="#94a3b8" fontSize="10" textAnchor="end">
        {maxX.toLocaleString('en-US')} steps
      </text>
      <text x={4} y={y(maxY) + 10} fill="#94a3b8" fontSize="10">
        {Math.round(maxY)}
      </text>
      {training.length > 1 && (
        <polyline points={line(training)} fill="none" stroke="#64748b" strokeWidth="1" />
      )}
      {evals.length > 1 && <polyline points={line(evals)} fill="none" stroke="#38bdf8" strokeWidth="2" />}
      {evals.map(([s, v]) => (
        <circle key={s} cx={x(s)} cy={y(v)} r="2.5" fill="#38bdf8" />
      ))}
    </svg>
  );
}
