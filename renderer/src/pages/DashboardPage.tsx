import { useEffect } from 'react';
import { Card, Stat } from '../components/Card.tsx';
import { Button } from '../components/form.tsx';
import { planLabel, useLicense } from '../stores/license-store.ts';
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
            Bots, risk breakers and live trading arrive in later versions; their pages say what they will
            hold.
          </li>
        </ol>
      </Card>
    </div>
  );
}
