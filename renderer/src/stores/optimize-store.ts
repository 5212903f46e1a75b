// The Optimizer page's state outlives the page, like the Backtest page's: a search keeps running
// (with its progress) while the user looks elsewhere, and saved runs come from the core's journal.
import { create } from 'zustand';
import { type CallInput, type CallOutput, type EventPayload } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';
import { isCancelled, newRunId, seriesOfRequest, seriesOfSaved, type RunSeries } from './run-support.ts';
import { followQueuePosition } from './run-queue-position.ts';
import { useBacktest } from './backtest-store.ts';
import { draftOfSpec, useBacktestDraft } from './backtest-draft.ts';
import { seriesKey } from './series-store.ts';
import { useNavigation } from './navigation-store.ts';

export type OptimizeRunSummaryJson = CallOutput<'optimize.list'>['runs'][number];
export type OptimizeResultJson = CallOutput<'optimize.run'>['result'];
export type OptimizeProgressJson = EventPayload<'optimize.progress'>;

export interface OpenedOptimization {
  run: OptimizeRunSummaryJson | null;
  result: OptimizeResultJson;
  /** The stored series it ran on: what "apply to a backtest" runs on. */
  series: RunSeries;
}

interface OptimizeState {
  savedRuns: OptimizeRunSummaryJson[];
  opened: OpenedOptimization | null;
  /** `queuePosition`: the run waits for free slots in the host's run queue (1 = next); null once it runs. */
  running: {
    runId: string;
    startedAt: number;
    progress: OptimizeProgressJson | null;
    queuePosition: number | null;
  } | null;
  error: string | null;
  load(): Promise<void>;
  run(input: Omit<CallInput<'optimize.run'>, 'runId'>): Promise<void>;
  cancel(): Promise<void>;
  open(id: number): Promise<void>;
  remove(id: number): Promise<void>;
  /**
   * Fills the Backtest form with the best set, the series and the costs the optimisation ran, then
   * runs that backtest and shows it on the Backtest page: what the form shows is what ran.
   */
  applyBest(): Promise<void>;
}

export const useOptimize = create<OptimizeState>((set, get) => ({
  savedRuns: [],
  opened: null,
  running: null,
  error: null,

  async load() {
    try {
      const { runs } = await api.call('optimize.list', {});
      set({ savedRuns: runs });
    } catch (error) {
      set({ error: describeError(error) });
    }
  },

  async run(input) {
    const runId = newRunId('opt');
    set({ running: { runId, startedAt: Date.now(), progress: null, queuePosition: null }, error: null });
    const stopProgress = api.on('optimize.progress', (progress) => {
      const running = get().running;
      if (running?.runId === progress.runId) set({ running: { ...running, progress } });
    });
    const stopQueue = followQueuePosition(runId, (queuePosition) => {
      const running = get().running;
      if (running?.runId === runId) set({ running: { ...running, queuePosition } });
    });
    try {
      const { run, result } = await api.call('optimize.run', { ...input, runId });
      set({ opened: { run, result, series: seriesOfRequest(input.data) } });
      await get().load();
    } catch (error) {
      const cancelled = isCancelled(error);
      set({ error: cancelled ? 'The optimisation was cancelled; nothing was saved.' : describeError(error) });
    } finally {
      stopProgress();
      stopQueue();
      set({ running: null });
    }
  },

  async cancel() {
    const running = get().running;
    if (running) await api.call('optimize.cancel', { runId: running.runId });
  },

  async open(id) {
    try {
      const { run, result } = await api.call('optimize.get', { id });
      set({ opened: { run, result, series: seriesOfSaved(run) }, error: null });
    } catch (error) {
      set({ error: describeError(error) });
    }
  },

  async remove(id) {
    try {
      await api.call('optimize.remove', { id });
      set((state) => ({ opened: state.opened?.run?.id === id ? null : state.opened }));
      await get().load();
    } catch (error) {
      set({ error: describeError(error) });
    }
  },

  async applyBest() {
    const opened = get().opened;
    if (!opened?.series || !opened.result.best) return;
    const { baseSpec, strategy } = opened.result;
    // The fixed parameters, then the best set (which names every searched one).
    const spec = { ...baseSpec, strategy, params: { ...baseSpec.params, ...opened.result.best.params } };
    useBacktestDraft
      .getState()
      .change({ ...draftOfSpec(spec), series: seriesKey(opened.series), from: '', to: '' });
    useNavigation.getState().go('backtest');
    const label = `${strategy} best of optimisation${opened.run ? ` #${opened.run.id}` : ''}`;
    await useBacktest.getState().run({ data: { source: 'stored', ...opened.series }, spec, label });
  },
}));
