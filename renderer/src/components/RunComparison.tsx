// Saved runs side by side: one column per run, one row per metric.
import type { OpenedRun } from '../stores/backtest-store.ts';
import { metricRows } from './MetricCards.tsx';

export function RunComparison({ runs }: { runs: OpenedRun[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-right text-xs tabular-nums sm:text-sm" data-testid="run-comparison">
        <thead className="text-slate-400">
          <tr>
            <th className="px-2 py-1 text-left font-medium">Metric</th>
            {runs.map((entry) => (
              <th key={entry.run?.id} className="px-2 py-1 font-medium">
                #{entry.run?.id} {entry.run?.label}
                <div className="text-xs font-normal text-slate-500">
                  {Object.entries(entry.result.params)
                    .map(([name, value]) => `${name}=${value}`)
                    .join(', ')}
                </div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {metricRows.map((row) => (
            <tr key={row.key} className="border-t border-slate-800">
              <td className="px-2 py-1 text-left text-slate-400">{row.label}</td>
              {runs.map((entry) => (
                <td key={entry.run?.id} className="px-2 py-1">
                  {row.format(entry.result.metrics)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
