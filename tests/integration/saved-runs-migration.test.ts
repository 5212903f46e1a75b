// A user's saved runs survive the move to one history: a database at schema version 3, with
// backtests in backtest_runs and optimisations (and their evaluations) in optimize_runs, opens at
// the latest version with every run listed, reopened whole and deletable through the same calls.
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../core/app/app.ts';
import { runBacktest } from '../../core/backtest/run-backtest.ts';
import { openDatabase, schemaVersion } from '../../core/storage/database.ts';
import { migrations } from '../../core/storage/migrations.ts';
import { allocateCandleColumns } from '../../core/storage/candle-columns.ts';
import type { CallResult } from '../../core/contract/result.ts';
import { MemorySecretStore } from '../support/memory-secret-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const temp = makeTempDir('autobot-saved-runs-');
afterAll(() => temp.cleanup());

function walk(length: number) {
  const candles = allocateCandleColumns(length);
  for (let i = 0; i < length; i++) {
    const price = 100 + 10 * Math.sin(i / 5);
    candles.time[i] = 1_700_000_000 + i * 3600;
    candles.open[i] = candles.close[i] = price;
    candles.high[i] = price + 1;
    candles.low[i] = price - 1;
  }
  return candles;
}

function value<T>(answer: CallResult): T {
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.value as T;
}

/** An optimisation's stored result (the repository stores it as given, less its evaluations). */
const optimizeResult = (lower: number) => ({
  strategy: 'rsi',
  method: 'grid',
  objective: 'default',
  best: { params: { lower, upper: 70 }, score: 0.12345678901234568, qualified: true },
});

describe('schema version 4: one saved-runs history', () => {
  it('keeps every backtest and optimisation saved at version 3, renumbered in the order they were saved', async () => {
    const dataDir = temp.dir;
    const file = `${dataDir}/autobot.db`;
    const old = openDatabase(
      file,
      migrations.filter((migration) => migration.version <= 3),
    );
    expect(schemaVersion(old)).toBe(3);

    const backtests = [
      runBacktest(walk(200), { strategy: 'sma-cross', params: { fast: 3, slow: 8 } }),
      runBacktest(walk(200), { strategy: 'rsi', params: { period: 5 } }),
    ];
    const insertBacktest = old.prepare(
      `INSERT INTO backtest_runs (created_at, label, symbol, timeframe, source, strategy, params, return_pct, trades, result)
       VALUES (?, ?, 'SYNTH', '1h', 'stored', ?, ?, ?, ?, ?)`,
    );
    const insertOptimization = old.prepare(
      `INSERT INTO optimize_runs (created_at, label, symbol, timeframe, source, strategy, method, objective,
         validation, best_params, best_score, oos_score, collapsed, evaluation_count, elapsed_ms, result)
       VALUES (?, ?, NULL, NULL, 'csv', 'rsi', 'grid', 'default', '{"kind":"none"}', ?, ?, NULL, NULL, 2, 12.5, ?)`,
    );
    const insertEvaluation = old.prepare(
      `INSERT INTO optimize_evaluations (run_id, seq, fold, params, score, qualified, trades, return_pct,
         profit_factor, win_rate_pct, max_drawdown_pct, sharpe, calmar)
       VALUES (?, ?, 0, ?, ?, 1, 12, 3.141592653589793, NULL, 50, -1.5, 0.7, NULL)`,
    );
    // Saved alternately: backtest, optimisation, backtest, optimisation.
    const saveBacktest = (at: string, index: number) => {
      const result = backtests[index]!;
      insertBacktest.run(
        at,
        `backtest ${index}`,
        result.strategy,
        JSON.stringify(result.params),
        result.metrics.returnPct,
        result.metrics.trades,
        JSON.stringify(result),
      );
    };
    const saveOptimization = (at: string, lower: number) => {
      const result = optimizeResult(lower);
      const id = Number(
        insertOptimization.run(
          at,
          `optimisation ${lower}`,
          JSON.stringify(result.best.params),
          result.best.score,
          JSON.stringify(result),
        ).lastInsertRowid,
      );
      insertEvaluation.run(id, 0, JSON.stringify({ lower, upper: 70 }), 0.5);
      insertEvaluation.run(id, 1, JSON.stringify({ lower: lower + 5, upper: 70 }), 0.25);
    };
    saveBacktest('2026-11-01T10:00:00.000Z', 0);
    saveOptimization('2026-11-02T10:00:00.000Z', 20);
    saveBacktest('2026-11-03T10:00:00.000Z', 1);
    saveOptimization('2026-11-04T10:00:00.000Z', 30);
    old.close();

    const app = createApp({ dataDir, host: 'test', secretStore: new MemorySecretStore() });
    try {
      expect(schemaVersion(app.db)).toBe(migrations.at(-1)!.version);
      const tables = app.db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%runs%'")
        .pluck()
        .all();
      // One history of saved runs: the two version-3 tables are gone (reconcile_runs, a later
      // migration's venue reconciliations, is not a saved backtest or optimisation).
      expect(tables).toContain('saved_runs');
      expect(tables).not.toContain('backtest_runs');
      expect(tables).not.toContain('optimize_runs');

      type Summary = { id: number; label: string; createdAt: string };
      const listedBacktests = value<{ runs: Summary[] }>(await app.dispatch('backtest.list', {})).runs;
      const listedOptimizations = value<{
        runs: Array<Summary & { bestScore: number; bestParams: unknown }>;
      }>(await app.dispatch('optimize.list', {})).runs;
      // One sequence of numbers, in the order the runs were saved; each list newest first.
      expect(listedBacktests.map((run) => [run.id, run.label])).toEqual([
        [3, 'backtest 1'],
        [1, 'backtest 0'],
      ]);
      expect(listedOptimizations.map((run) => [run.id, run.label])).toEqual([
        [4, 'optimisation 30'],
        [2, 'optimisation 20'],
      ]);
      expect(listedOptimizations[1]).toMatchObject({
        bestScore: 0.12345678901234568,
        bestParams: { lower: 20, upper: 70 },
        createdAt: '2026-11-02T10:00:00.000Z',
      });

      // Reopened whole: the backtest's result as it was saved, the optimisation's with its evaluations.
      const reopened = value<{ result: unknown }>(await app.dispatch('backtest.get', { id: 3 }));
      expect(reopened.result).toEqual(JSON.parse(JSON.stringify(backtests[1])));
      const optimisation = value<{ result: { evaluations: Array<{ params: unknown; metrics: unknown }> } }>(
        await app.dispatch('optimize.get', { id: 2 }),
      );
      expect(optimisation.result).toMatchObject(optimizeResult(20));
      expect(optimisation.result.evaluations.map((evaluation) => evaluation.params)).toEqual([
        { lower: 20, upper: 70 },
        { lower: 25, upper: 70 },
      ]);
      expect(optimisation.result.evaluations[0]!.metrics).toMatchObject({ returnPct: 3.141592653589793 });

      // Each call sees its own kind only: a backtest number is no optimisation.
      expect((await app.dispatch('optimize.get', { id: 1 })).ok).toBe(false);
      expect(value<{ removed: boolean }>(await app.dispatch('optimize.remove', { id: 1 })).removed).toBe(
        false,
      );
      expect(value<{ removed: boolean }>(await app.dispatch('optimize.remove', { id: 2 })).removed).toBe(
        true,
      );
      expect(app.db.prepare('SELECT count(*) FROM run_evaluations WHERE run_id = 2').pluck().get()).toBe(0);
      expect(value<{ removed: boolean }>(await app.dispatch('backtest.remove', { id: 1 })).removed).toBe(
        true,
      );
      expect(value<{ runs: Summary[] }>(await app.dispatch('backtest.list', {})).runs).toHaveLength(1);
    } finally {
      app.close();
    }
  });
});
