// Run a strategy over stored candles and read the outcome: stats, equity and drawdown, trades on
// the chart and in a table; reopen and compare saved runs.
import { useEffect, useMemo, useState } from 'react';
import type { CallOutput, CandleColumnsJson } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';
import { BacktestForm } from '../components/BacktestForm.tsx';
import { CandleChart, type TradeMarker } from '../components/CandleChart.tsx';
import { describePolicy } from '../components/ReinvestmentFields.tsx';
import { Card } from '../components/Card.tsx';
import { EquityChart } from '../components/EquityChart.tsx';
import { Button } from '../components/form.tsx';
import { formatIsoMinute, formatPct, formatTime } from '../components/format.ts';
import { MetricCards } from '../components/MetricCards.tsx';
import { RunAsBotButton } from '../components/RunAsBotButton.tsx';
import { Notice } from '../components/Notice.tsx';
import { QueuePosition } from '../components/QueuePosition.tsx';
import { useLongRunning } from '../components/use-long-running.ts';
import { RunComparison } from '../components/RunComparison.tsx';
import { TradeTable } from '../components/TradeTable.tsx';
import { useBacktest, type OpenedRun } from '../stores/backtest-store.ts';

function RunProgress() {
  const { running, cancel } = useBacktest();
  const shown = useLongRunning(running?.startedAt ?? null);
  if (!running || !shown) return null;
  return (
    <div className="flex items-center gap-3" data-testid="backtest-progress">
      {running.queuePosition !== null ? (
        <QueuePosition position={running.queuePosition} testId="backtest-queued" />
      ) : (
        <>
          <progress className="h-2 flex-1" max={1} value={running.fraction} />
          <span className="text-xs tabular-nums text-slate-400">{Math.round(running.fraction * 100)} %</span>
        </>
      )}
      <Button tone="secondary" onClick={() => void cancel()} data-testid="backtest-cancel">
        Cancel
      </Button>
    </div>
  );
}

function tradeMarkers(opened: OpenedRun): TradeMarker[] {
  const markers: TradeMarker[] = [];
  for (const trade of opened.result.trades) {
    markers.push({ time: trade.entryTime, kind: trade.side === 'long' ? 'buy' : 'sell' });
    markers.push({ time: trade.exitTime, kind: 'exit' });
  }
  const open = opened.result.openTrade;
  if (open) markers.push({ time: open.entryTime, kind: open.side === 'long' ? 'buy' : 'sell', text: 'open' });
  return markers;
}

function RunResult({ opened }: { opened: OpenedRun }) {
  const [candles, setCandles] = useState<CandleColumnsJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  const markers = useMemo(() => tradeMarkers(opened), [opened]);
  const { result } = opened;

  useEffect(() => {
    if (!opened.series) return;
    let stale = false;
    api
      .call('candles.get', {
        symbol: opened.series.symbol,
        timeframe: opened.series.timeframe,
        from: result.metrics.startTime,
        to: result.metrics.endTime,
      })
      .then((answer) => !stale && setCandles(answer.candles))
      .catch((caught: unknown) => !stale && setError(describeError(caught)));
    return () => {
      stale = true;
    };
  }, [opened.series, result.metrics.startTime, result.metrics.endTime]);

  return (
    <div className="flex flex-col gap-4" data-testid="backtest-result">
      <Card title={opened.run ? `Run #${opened.run.id}: ${opened.run.label}` : 'Result'}>
        <p className="mb-3 text-xs text-slate-400">
          {result.strategy} (
          {Object.entries(result.params)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}
          ) · {result.metrics.bars.toLocaleString()} bars,{' '}
          <span data-testid="backtest-period">
            {formatTime(result.metrics.startTime)} – {formatTime(result.metrics.endTime)}
          </span>{' '}
          · commission {formatPct(result.spec.commission * 100, 3)}
          {result.rejections.length > 0 &&
            ` · ${result.rejections.map((r) => `${r.count} order(s) refused: ${r.reason}`).join('; ')}`}
        </p>
        {result.spec.reinvestment && (
          <p className="mb-3 text-xs text-slate-300" data-testid="backtest-reinvestment">
            Reinvestment: {describePolicy(result.spec.reinvestment)}
          </p>
        )}
        <MetricCards metrics={result.metrics} />
        {opened.run && opened.run.source === 'stored' && (
          <div className="mt-3">
            <RunAsBotButton source={{ kind: 'backtest', id: opened.run.id }} />
          </div>
        )}
      </Card>
      <Card title="Equity and drawdown">
        <EquityChart curve={result.equity} trips={result.breakerTrips ?? []} />
      </Card>
      {result.spec.breakers !== undefined && (
        <Card title={`Circuit breaker trips (${result.breakerTrips?.length ?? 0})`}>
          <BreakerTripTable trips={result.breakerTrips ?? []} />
        </Card>
      )}
      {opened.series && (
        <Card title="Trades on the chart">
          {error && <Notice tone="error">{error}</Notice>}
          <CandleChart candles={candles} markers={markers} testId="backtest-chart" />
        </Card>
      )}
      <Card title={`Trades (${result.trades.length})`}>
        <TradeTable result={result} />
      </Card>
    </div>
  );
}

function BreakerTripTable({
  trips,
}: {
  trips: NonNullable<CallOutput<'backtest.run'>['result']['breakerTrips']>;
}) {
  if (trips.length === 0)
    return <p className="text-sm text-slate-400">The breakers were on and none tripped.</p>;
  return (
    <div className="max-h-80 overflow-auto">
      <table className="w-full text-left text-xs sm:text-sm" data-testid="breaker-trips">
        <thead className="text-slate-400">
          <tr>
            <th className="px-2 py-1">Bar</th>
            <th className="px-2 py-1">Time (UTC)</th>
            <th className="px-2 py-1">Breaker</th>
            <th className="px-2 py-1">What tripped it</th>
          </tr>
        </thead>
        <tbody>
          {trips.map((trip, index) => (
            <tr key={index} className="border-t border-slate-800 align-top">
              <td className="px-2 py-1 tabular-nums">{trip.bar}</td>
              <td className="px-2 py-1 whitespace-nowrap tabular-nums">
                {new Date(trip.time * 1000).toISOString().slice(0, 16).replace('T', ' ')}
              </td>
              <td className="px-2 py-1">{trip.breaker}</td>
              <td className="px-2 py-1">{trip.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SavedRuns() {
  const { savedRuns, compared, open, toggleCompare, remove } = useBacktest();
  if (savedRuns.length === 0)
    return <p className="text-sm text-slate-400">Runs are saved here as they finish.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-xs sm:text-sm" data-testid="saved-runs">
        <thead className="text-slate-400">
          <tr>
            <th className="px-2 py-1">Compare</th>
            <th className="px-2 py-1">Run</th>
            <th className="px-2 py-1 text-right">Return</th>
            <th className="px-2 py-1 text-right">Trades</th>
            <th className="px-2 py-1" />
          </tr>
        </thead>
        <tbody>
          {savedRuns.map((run) => (
            <tr key={run.id} className="border-t border-slate-800">
              <td className="px-2 py-1">
                <input
                  type="checkbox"
                  aria-label={`Compare run ${run.id}`}
                  data-testid={`compare-${run.id}`}
                  checked={compared.some((entry) => entry.run?.id === run.id)}
                  onChange={() => void toggleCompare(run.id)}
                />
              </td>
              <td className="px-2 py-1">
                #{run.id} {run.label}
                <div className="text-xs text-slate-500">
                  {Object.entries(run.params)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(', ')}{' '}
                  · {formatIsoMinute(run.createdAt)}
                </div>
              </td>
              <td className="px-2 py-1 text-right tabular-nums">{formatPct(run.returnPct)}</td>
              <td className="px-2 py-1 text-right tabular-nums">{run.trades}</td>
              <td className="px-2 py-1 text-right whitespace-nowrap">
                <Button tone="secondary" onClick={() => void open(run.id)} data-testid={`open-${run.id}`}>
                  Open
                </Button>{' '}
                <Button tone="secondary" onClick={() => void remove(run.id)}>
                  Delete
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function BacktestPage() {
  const { strategies, opened, compared, running, error, load, run } = useBacktest();

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="flex flex-col gap-4">
      <Card title="Set up">
        <BacktestForm strategies={strategies} busy={running !== null} onRun={(input) => void run(input)} />
        <div className="mt-3 flex flex-col gap-2">
          <RunProgress />
          {error && (
            <Notice tone="error" testId="backtest-error">
              {error}
            </Notice>
          )}
        </div>
      </Card>
      {opened && <RunResult opened={opened} />}
      {compared.length > 0 && (
        <Card title="Comparison">
          <RunComparison runs={compared} />
        </Card>
      )}
      <Card title="Saved runs">
        <SavedRuns />
      </Card>
    </div>
  );
}
