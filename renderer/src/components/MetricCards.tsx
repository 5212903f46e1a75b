import type { CallOutput } from '../../../core/contract/calls.ts';
import { Stat } from './Card.tsx';
import { formatNumber, formatPct } from './format.ts';

type Metrics = CallOutput<'backtest.run'>['result']['metrics'];

/** The figures a trader reads first, in the order they read them. Formulas: docs/backtesting.md. */
export const metricRows: { key: keyof Metrics; label: string; format(metrics: Metrics): string }[] = [
  { key: 'finalEquity', label: 'Final equity', format: (m) => formatNumber(m.finalEquity) },
  { key: 'returnPct', label: 'Return', format: (m) => formatPct(m.returnPct) },
  { key: 'buyHoldReturnPct', label: 'Buy & hold', format: (m) => formatPct(m.buyHoldReturnPct) },
  { key: 'cagrPct', label: 'CAGR', format: (m) => formatPct(m.cagrPct) },
  { key: 'maxDrawdownPct', label: 'Max drawdown', format: (m) => formatPct(m.maxDrawdownPct) },
  {
    key: 'maxDrawdownDays',
    label: 'Longest drawdown (days)',
    format: (m) => formatNumber(m.maxDrawdownDays, 0),
  },
  { key: 'sharpe', label: 'Sharpe', format: (m) => formatNumber(m.sharpe) },
  { key: 'sortino', label: 'Sortino', format: (m) => formatNumber(m.sortino) },
  { key: 'calmar', label: 'Calmar', format: (m) => formatNumber(m.calmar) },
  { key: 'profitFactor', label: 'Profit factor', format: (m) => formatNumber(m.profitFactor) },
  { key: 'winRatePct', label: 'Win rate', format: (m) => formatPct(m.winRatePct) },
  { key: 'trades', label: 'Closed trades', format: (m) => String(m.trades) },
  { key: 'avgTradePct', label: 'Average trade', format: (m) => formatPct(m.avgTradePct) },
  { key: 'bestTradePct', label: 'Best trade', format: (m) => formatPct(m.bestTradePct) },
  { key: 'worstTradePct', label: 'Worst trade', format: (m) => formatPct(m.worstTradePct) },
  { key: 'expectancy', label: 'Expectancy', format: (m) => formatNumber(m.expectancy) },
  { key: 'exposurePct', label: 'Exposure', format: (m) => formatPct(m.exposurePct) },
  { key: 'commissions', label: 'Commissions', format: (m) => formatNumber(m.commissions) },
];

export function MetricCards({ metrics }: { metrics: Metrics }) {
  return (
    <div className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6" data-testid="backtest-stats">
      {metricRows.map((row) => (
        <Stat key={row.key} label={row.label} value={row.format(metrics)} testId={`stat-${row.key}`} />
      ))}
    </div>
  );
}
