// Search a strategy's parameters and judge the result honestly: progress while it runs, the
// leaderboard, in-sample beside out-of-sample figures, the RSI threshold heatmap and scatter, and
// the best set applied to a backtest in one click.
import { useEffect, useState } from 'react';
import { api, describeError } from '../api/client.ts';
import { Card, Stat } from '../components/Card.tsx';
import { downloadText } from '../components/download.ts';
import { Button } from '../components/form.tsx';
import { formatIsoMinute, formatNumber } from '../components/format.ts';
import { Notice } from '../components/Notice.tsx';
import { RunAsBotButton } from '../components/RunAsBotButton.tsx';
import { useLongRunning } from '../components/use-long-running.ts';
import { QueuePosition } from '../components/QueuePosition.tsx';
import { OptimizeForm } from '../components/optimize/OptimizeForm.tsx';
import { Leaderboard, paramsText, ValidationTable } from '../components/optimize/OptimizeTables.tsx';
import { RsiEntryScatter } from '../components/optimize/RsiEntryScatter.tsx';
import { ThresholdHeatmap } from '../components/optimize/ThresholdHeatmap.tsx';
import { useBacktest } from '../stores/backtest-store.ts';
import { useOptimize, type OpenedOptimization } from '../stores/optimize-store.ts';

function seconds(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 60_000
    ? `${(ms / 1000).toFixed(1)} s`
    : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function OptimizeProgress() {
  const { running, cancel } = useOptimize();
  const shown = useLongRunning(running?.startedAt ?? null);
  if (!running || !shown) return null;
  const progress = running.progress;
  const fraction = progress && progress.total > 0 ? progress.done / progress.total : 0;
  return (
    <div className="flex flex-col gap-1" data-testid="optimize-progress">
      <div className="flex items-center gap-3">
        {running.queuePosition !== null ? (
          <QueuePosition position={running.queuePosition} testId="optimize-queued" />
        ) : (
          <progress className="h-2 flex-1" max={1} value={fraction} />
        )}
        <Button tone="secondary" onClick={() => void cancel()} data-testid="optimize-cancel">
          Cancel
        </Button>
      </div>
      {running.queuePosition === null && (
        <p className="text-xs text-slate-400 tabular-nums" data-testid="optimize-progress-text">
          {progress
            ? `${progress.done.toLocaleString()} of ${progress.total.toLocaleString()} evaluations` +
              (progress.folds > 1 ? ` · window ${progress.fold} of ${progress.folds}` : '') +
              ` · ${seconds(progress.elapsedMs)} elapsed · about ${seconds(progress.etaMs)} left` +
              (progress.best
                ? ` · best so far ${paramsText(progress.best.params)} (${formatNumber(progress.best.score, 3)})`
                : '')
            : 'Starting the workers…'}
        </p>
      )}
    </div>
  );
}

function exportFiles(id: number, onError: (message: string) => void) {
  api
    .call('optimize.export', { id })
    .then((files) => {
      downloadText(`${files.baseName}.json`, files.configJson, 'application/json');
      downloadText(`${files.baseName}-evaluations.csv`, files.evaluationsCsv, 'text/csv');
    })
    .catch((error: unknown) => onError(describeError(error)));
}

function OptimizeResultView({ opened }: { opened: OpenedOptimization }) {
  const { applyBest } = useOptimize();
  const backtestBusy = useBacktest((state) => state.running !== null);
  const [exportError, setExportError] = useState<string | null>(null);
  const { result, run } = opened;
  const best = result.best;
  const hasOutOfSample = result.validation.kind !== 'none';
  const baseName = `autobot-optimisation-${run?.id ?? 'unsaved'}-${result.strategy}`;
  const lastRow = result.validationRows.at(-1);
  return (
    <div className="flex flex-col gap-4" data-testid="optimize-result">
      <Card title={run ? `Optimisation #${run.id}: ${run.label}` : 'Optimisation'}>
        <div className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6">
          <Stat
            label="Best parameters"
            value={best ? paramsText(best.params) : 'none qualified'}
            testId="optimize-best"
          />
          <Stat label={`In-sample score (${result.objective})`} value={formatNumber(best?.score, 3)} />
          <Stat
            label="Out-of-sample score"
            value={formatNumber(best?.oosScore, 3)}
            testId="optimize-oos-score"
          />
          <Stat label="Evaluations" value={result.evaluationCount.toLocaleString()} />
          <Stat label="Workers" value={result.workers} />
          <Stat label="Time" value={seconds(result.elapsedMs)} />
        </div>
        {best?.collapsed && (
          <div className="mt-3">
            <Notice tone="warning" testId="optimize-collapsed">
              The best set&apos;s score collapses out of sample: it was probably fitted to the past. Do not
              trade it without more evidence.
            </Notice>
          </div>
        )}
        {!best && (
          <div className="mt-3">
            <Notice tone="warning">
              No parameter set reached {result.minTrades} closed trades in sample, so there is no best set.
            </Notice>
          </div>
        )}
        <div className="mt-3 flex flex-wrap gap-2">
          <Button
            disabled={!best || !opened.series || backtestBusy}
            onClick={() => void applyBest()}
            data-testid="optimize-apply"
            title={opened.series ? undefined : 'Only runs on a stored series can be applied here'}
          >
            Backtest the best set
          </Button>
          {run && best && opened.series && (
            <RunAsBotButton source={{ kind: 'optimize', id: run.id }} testId="optimize-run-as-bot" />
          )}
          {run && (
            <Button
              tone="secondary"
              disabled={!best}
              onClick={() => exportFiles(run.id, setExportError)}
              data-testid="optimize-export"
            >
              Export best config (JSON) and evaluations (CSV)
            </Button>
          )}
        </div>
        {exportError && (
          <div className="mt-2">
            <Notice tone="error">{exportError}</Notice>
          </div>
        )}
      </Card>
      <Card title="In sample and out of sample">
        {lastRow ? (
          <ValidationTable rows={result.validationRows} />
        ) : (
          <p className="text-sm text-slate-400">No windows.</p>
        )}
      </Card>
      <Card title={`Leaderboard (top ${result.leaderboard.length})`}>
        <Leaderboard entries={result.leaderboard} hasOutOfSample={hasOutOfSample} />
      </Card>
      {result.heatmap && (
        <Card title="RSI threshold heatmap">
          <ThresholdHeatmap heatmap={result.heatmap} baseName={baseName} />
        </Card>
      )}
      {result.rsiAtEntry && (
        <Card title="RSI at entry against trade PnL (best set, in sample)">
          <RsiEntryScatter data={result.rsiAtEntry} baseName={baseName} />
        </Card>
      )}
    </div>
  );
}

function SavedOptimizations() {
  const { savedRuns, open, remove } = useOptimize();
  if (savedRuns.length === 0)
    return <p className="text-sm text-slate-400">Optimisations are saved here as they finish.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-xs sm:text-sm" data-testid="saved-optimizations">
        <thead className="text-slate-400">
          <tr>
            <th className="px-2 py-1 font-normal">Run</th>
            <th className="px-2 py-1 font-normal">Best</th>
            <th className="px-2 py-1 text-right font-normal">Score</th>
            <th className="px-2 py-1 text-right font-normal">OOS</th>
            <th className="px-2 py-1" />
          </tr>
        </thead>
        <tbody>
          {savedRuns.map((run) => (
            <tr key={run.id} className="border-t border-slate-800">
              <td className="px-2 py-1">
                #{run.id} {run.label}
                <div className="text-xs text-slate-500">
                  {run.method} · {run.objective} · {run.evaluationCount.toLocaleString()} evaluations ·{' '}
                  {formatIsoMinute(run.createdAt)}
                </div>
              </td>
              <td className="px-2 py-1">{run.bestParams ? paramsText(run.bestParams) : '—'}</td>
              <td className="px-2 py-1 text-right tabular-nums">{formatNumber(run.bestScore, 3)}</td>
              <td className="px-2 py-1 text-right tabular-nums">
                {formatNumber(run.oosScore, 3)}
                {run.collapsed && <span className="ml-1 text-amber-300">collapses</span>}
              </td>
              <td className="px-2 py-1 text-right whitespace-nowrap">
                <Button
                  tone="secondary"
                  onClick={() => void open(run.id)}
                  data-testid={`open-optimization-${run.id}`}
                >
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

export function OptimizerPage() {
  const { opened, running, error, load, run } = useOptimize();
  const { strategies, load: loadStrategies } = useBacktest();
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    void load();
    if (strategies.length === 0) void loadStrategies();
  }, [load, loadStrategies, strategies.length]);

  const shown = formError ?? error;
  return (
    <div className="flex flex-col gap-4">
      <Card title="Set up">
        <OptimizeForm
          strategies={strategies}
          busy={running !== null}
          onInvalid={setFormError}
          onRun={(input) => {
            setFormError(null);
            void run(input);
          }}
        />
        <div className="mt-3 flex flex-col gap-2">
          <OptimizeProgress />
          {shown && (
            <Notice tone="error" testId="optimize-error">
              {shown}
            </Notice>
          )}
        </div>
      </Card>
      {opened && <OptimizeResultView opened={opened} />}
      <Card title="Saved optimisations">
        <SavedOptimizations />
      </Card>
    </div>
  );
}
