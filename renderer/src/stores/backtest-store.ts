// The Backtest page's state outlives the page: a run keeps going (and its result stays) while the
// user looks at another page. Saved runs come from the core's journal, never from memory alone.
import { create } from 'zustand';
import {
  type BacktestRunSummaryJson,
  type CallInput,
  type CallOutput,
  type StrategyInfoJson,
} from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';
import { isCancelled, newRunId, seriesOfRequest, seriesOfSaved, type RunSeries } from './run-support.ts';
import { followQueuePosition } from './run-queue-position.ts';

type BacktestResultJson = CallOutput<'backtest.run'>['result'];

export interface OpenedRun {
  run: BacktestRunSummaryJson | null;
  result: BacktestResultJson;
  /** The stored series the run used, for the candlestick chart with its trade markers. */
  series: RunSeries;
}

interface BacktestState {
  strategies: StrategyInfoJson[];
  savedRuns: BacktestRunSummaryJson[];
  opened: OpenedRun | null;
  compared: OpenedRun[];
  /** `queuePosition`: the run waits for a free slot in the host's run queue (1 = next); null once it runs. */
  running: { runId: string; startedAt: number; fraction: number; queuePosition: number | null } | null;
  error: string | null;
  load(): Promise<void>;
  run(input: Omit<CallInput<'backtest.run'>, 'runId'>): Promise<void>;
  cancel(): Promise<void>;
  open(id: number): Promise<void>;
  toggleCompare(id: number): Promise<void>;
  remove(id: number): Promise<void>;
}

export const useBacktest = create<BacktestState>((set, get) => ({
  strategies: [],
  savedRuns: [],
  opened: null,
  compared: [],
  running: null,
  error: null,

  async load() {
    try {
      const [{ strategies }, { runs }] = await Promise.all([
        api.call('backtest.strategies', {}),
        api.call('backtest.list', {}),
      ]);
      set({ strategies, savedRuns: runs });
    } catch (error) {
      set({ error: describeError(error) });
    }
  },

  async run(input) {
    const runId = newRunId('bt');
    set({ running: { runId, startedAt: Date.now(), fraction: 0, queuePosition: null }, error: null });
    const stopProgress = api.on('backtest.progress', (progress) => {
      const running = get().running;
      if (running?.runId === progress.runId) set({ running: { ...running, fraction: progress.fraction } });
    });
    const stopQueue = followQueuePosition(runId, (queuePosition) => {
      const running = get().running;
      if (running?.runId === runId) set({ running: { ...running, queuePosition } });
    });
    try {
      const { run, result } = await api.call('backtest.run', { ...input, runId });
      set({ opened: { run, result, series: seriesOfRequest(input.data) } });
      const { runs } = await api.call('backtest.list', {});
      set({ savedRuns: runs });
    } catch (error) {
      const cancelled = isCancelled(error);
      set({ error: cancelled ? 'The backtest was cancelled.' : describeError(error) });
    } finally {
      stopProgress();
      stopQueue();
      set({ running: null });
    }
  },

  async cancel() {
    const running = get().running;
    if (running) await api.call('backtest.cancel', { runId: running.runId });
  },

  async open(id) {
    try {
      const { run, result } = await api.call('backtest.get', { id });
      set({ opened: { run, result, series: seriesOfSaved(run) }, error: null });
    } catch (error) {
      set({ error: describeError(error) });
    }
  },

  async toggleCompare(id) {
    const compared = get().compared;
    if (compared.some((entry) => entry.run?.id === id)) {
      set({ compared: compared.filter((entry) => entry.run?.id !== id) });
      return;
    }
    try {
      const { run, result } = await api.call('backtest.get', { id });
      set({ compared: [...get().compared, { run, result, series: seriesOfSaved(run) }] });
    } catch (error) {
      set({ error: describeError(error) });
    }
  },

  async remove(id) {
    try {
      await api.call('backtest.remove', { id });
      const { runs } = await api.call('backtest.list', {});
      set((state) => ({
        savedRuns: runs,
        compared: state.compared.filter((entry) => entry.run?.id !== id),
        opened: state.opened?.run?.id === id ? null : state.opened,
      }));
    } catch (error) {
      set({ error: describeError(error) });
    }
  },
}));
