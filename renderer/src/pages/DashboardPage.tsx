import { useEffect } from 'react';
import { Card, Stat } from '../components/Card.tsx';
import { Button } from '../components/form.tsx';
import { formatNumber } from '../components/format.ts';
import { followBotEvents, useBots } from '../stores/bots-store.ts';
import { canUse, planLabel, useLicense } from '../stores/license-store.ts';
import { useNavigation } from '../stores/navigation-store.ts';
import { useSeries } from '../stores/series-store.ts';

export function DashboardPage() {
  const { series, refresh } = useSeries();
  const status = useLicense((state) => state.status);
  const go = useNavigation((state) => state.go);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const bars = series.reduce((sum, meta) => sum + meta.count, 0);
  return (
    <div className="flex flex-col gap-4">
      {canUse(status, 'licensed') && <TradingOverview />}
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Stored series" value={series.length} />
        <Stat label="Stored candles" value={bars.toLocaleString()} />
        <Stat label="Plan" value={status ? planLabel(status) : '—'} testId="dashboard-plan" />
        <Stat label="Bot instances allowed" value={status?.maxInstances ?? '—'} />
      </div>
      <Card title="Get started">
        <ol className="list-decimal space-y-2 pl-5 text-sm text-slate-300">
          <li>
            Import candles from a CSV on the{' '}
            <Button tone="secondary" onClick={() => go('chart')}>
              Chart
            </Button>{' '}
            page.
          </li>
          <li>
            Test a strategy on them on the{' '}
            <Button tone="secondary" onClick={() => go('backtest')}>
              Backtest
            </Button>{' '}
            page.
          </li>
          <li>
            Run a result as a paper bot from the Backtest page, and follow it on the{' '}
            <Button tone="secondary" onClick={() => go('bots')}>
              Bots
            </Button>{' '}
            page. Live trading arrives with the venue adapters.
          </li>
        </ol>
      </Card>
    </div>
  );
}

/**
 * The paper account at a glance: every bot's account summed (equity, and PnL since the start of the
 * replay's current UTC day), the bots running and the positions they hold.
 */
function TradingOverview() {
  const { bots, refresh } = useBots();
  const go = useNavigation((state) => state.go);
  useEffect(() => {
    void refresh();
    return followBotEvents();
  }, [refresh]);
  const equity = bots.reduce((sum, bot) => sum + bot.equity, 0);
  const today = bots.reduce((sum, bot) => sum + bot.todayPnl, 0);
  const running = bots.filter((bot) => bot.status === 'running');
  const open = bots.flatMap((bot) =>
    bot.positions.filter((p) => p.quantity !== 0).map((p) => ({ bot, position: p })),
  );
  return (
    <Card title="Paper trading">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Account equity" value={formatNumber(equity)} testId="dashboard-equity" />
        <Stat label="Today's PnL" value={formatNumber(today)} testId="dashboard-today-pnl" />
        <Stat label="Running bots" value={running.length} testId="dashboard-running" />
        <Stat label="Open positions" value={open.length} testId="dashboard-positions" />
      </div>
      {open.length > 0 && (
        <table className="mt-3 w-full text-left text-sm" data-testid="dashboard-position-table">
          <thead className="text-xs text-slate-400">
            <tr>
              <th>Bot</th>
              <th>Symbol</th>
              <th className="text-right">Quantity</th>
              <th className="text-right">Entry</th>
              <th className="text-right">Unrealised</th>
            </tr>
          </thead>
          <tbody>
            {open.map(({ bot, position }) => (
              <tr key={`${bot.id}-${position.symbol}`} className="border-t border-slate-800">
                <td>{bot.name}</td>
                <td>{position.symbol}</td>
                <td className="text-right tabular-nums">{position.quantity}</td>
                <td className="text-right tabular-nums">{formatNumber(position.averagePrice)}</td>
                <td className="text-right tabular-nums">{formatNumber(position.unrealisedPnl)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="mt-3">
        <Button tone="secondary" onClick={() => go('bots')} data-testid="dashboard-open-bots">
          Open the Bots page
        </Button>
      </div>
    </Card>
  );
}
