// The leaderboard (best sets in sample, each re-run out of sample) and the in-sample /
// out-of-sample table per validation window. A set whose out-of-sample score collapses is flagged
// in words, not only in colour.
import { formatNumber, formatPct, formatTime } from '../format.ts';
import type { OptimizeResultJson } from '../../stores/optimize-store.ts';

type LeaderboardEntry = OptimizeResultJson['leaderboard'][number];
type ValidationRow = OptimizeResultJson['validationRows'][number];

export function paramsText(params: Record<string, number>): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
}

function CollapsedFlag({ collapsed }: { collapsed: boolean | null }) {
  if (collapsed === null) return <span className="text-slate-500">—</span>;
  return collapsed ? (
    <span className="rounded bg-amber-900 px-1.5 py-0.5 text-xs text-amber-200">collapses</span>
  ) : (
    <span className="text-xs text-emerald-300">holds</span>
  );
}

const th = 'px-2 py-1 font-normal';
const td = 'px-2 py-1 tabular-nums';

export function Leaderboard({
  entries,
  hasOutOfSample,
}: {
  entries: LeaderboardEntry[];
  hasOutOfSample: boolean;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-xs sm:text-sm" data-testid="leaderboard">
        <thead className="text-slate-400">
          <tr>
            <th className={th}>#</th>
            <th className={th}>Parameters</th>
            <th className={`${th} text-right`}>Score</th>
            <th className={`${th} text-right`}>Trades</th>
            <th className={`${th} text-right`}>Return</th>
            <th className={`${th} text-right`}>PF</th>
            <th className={`${th} text-right`}>Win rate</th>
            <th className={`${th} text-right`}>Max DD</th>
            {hasOutOfSample && <th className={`${th} text-right`}>OOS score</th>}
            {hasOutOfSample && <th className={`${th} text-right`}>OOS return</th>}
            {hasOutOfSample && <th className={th}>Out of sample</th>}
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr
              key={entry.rank}
              className={`border-t border-slate-800 ${entry.qualified ? '' : 'text-slate-500'}`}
            >
              <td className={td}>{entry.rank}</td>
              <td className="px-2 py-1">{paramsText(entry.params)}</td>
              <td className={`${td} text-right`}>
                {formatNumber(entry.score, 3)}
                {!entry.qualified && ' (too few trades)'}
              </td>
              <td className={`${td} text-right`}>{entry.metrics.trades}</td>
              <td className={`${td} text-right`}>{formatPct(entry.metrics.returnPct)}</td>
              <td className={`${td} text-right`}>{formatNumber(entry.metrics.profitFactor)}</td>
              <td className={`${td} text-right`}>{formatPct(entry.metrics.winRatePct, 1)}</td>
              <td className={`${td} text-right`}>{formatPct(entry.metrics.maxDrawdownPct, 1)}</td>
              {hasOutOfSample && <td className={`${td} text-right`}>{formatNumber(entry.oosScore, 3)}</td>}
              {hasOutOfSample && (
                <td className={`${td} text-right`}>{formatPct(entry.oosMetrics?.returnPct)}</td>
              )}
              {hasOutOfSample && (
                <td className="px-2 py-1">
                  <CollapsedFlag collapsed={entry.collapsed} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const compared = [
  ['Score', (s: ValidationRow['inSample']) => formatNumber(s.score, 3)],
  ['Trades', (s: ValidationRow['inSample']) => String(s.metrics.trades)],
  ['Return', (s: ValidationRow['inSample']) => formatPct(s.metrics.returnPct)],
  ['Profit factor', (s: ValidationRow['inSample']) => formatNumber(s.metrics.profitFactor)],
  ['Win rate', (s: ValidationRow['inSample']) => formatPct(s.metrics.winRatePct, 1)],
  ['Max drawdown', (s: ValidationRow['inSample']) => formatPct(s.metrics.maxDrawdownPct, 1)],
  ['Sharpe', (s: ValidationRow['inSample']) => formatNumber(s.metrics.sharpe)],
] as const;

function windowText(window: ValidationRow['train'] | null): string {
  return window
    ? `${formatTime(window.startTime)} – ${formatTime(window.endTime)} (${window.end - window.start} bars)`
    : '—';
}

/** One block per window: in-sample and out-of-sample figures side by side. */
export function ValidationTable({ rows }: { rows: ValidationRow[] }) {
  return (
    <div className="flex flex-col gap-4" data-testid="validation-table">
      {rows.map((row) => (
        <div key={row.fold} className="overflow-x-auto" data-testid={`validation-fold-${row.fold}`}>
          <p className="mb-1 text-xs text-slate-400">
            {row.fold > 0 ? `Window ${row.fold}: ` : ''}chose {paramsText(row.params)} ·{' '}
            <CollapsedFlag collapsed={row.collapsed} />
          </p>
          <table className="w-full text-left text-xs sm:text-sm">
            <thead className="text-slate-400">
              <tr>
                <th className={th} />
                <th className={`${th} text-right`}>In sample</th>
                <th className={`${th} text-right`}>Out of sample</th>
              </tr>
            </thead>
            <tbody>
              <tr className="border-t border-slate-800 text-slate-400">
                <td className="px-2 py-1">Bars</td>
                <td className="px-2 py-1 text-right">{windowText(row.train)}</td>
                <td className="px-2 py-1 text-right">{windowText(row.test)}</td>
              </tr>
              {compared.map(([label, read]) => (
                <tr key={label} className="border-t border-slate-800">
                  <td className="px-2 py-1">{label}</td>
                  <td className={`${td} text-right`}>{read(row.inSample)}</td>
                  <td className={`${td} text-right`}>{row.outOfSample ? read(row.outOfSample) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
