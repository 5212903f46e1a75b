// backtest.* through the one dispatcher every host uses: runs on stored candles, saved and
// reopened; refusals naming the field; long runs in a worker with progress, cancellation, and a
// host that keeps answering meanwhile.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticMinuteCandles } from '../../bench/synthetic-candles.ts';
import { inlineBarLimit } from '../../core/app/backtest-handlers.ts';
import type { CallResult } from '../../core/contract/result.ts';
import { CandleRepository } from '../../core/storage/candle-repository.ts';
import { postCall, startTestHost } from '../support/headless-app.ts';
import { sharedDataFile, sharedDataSkipReason } from '../support/shared-data.ts';

let host: Awaited<ReturnType<typeof startTestHost>>;
const goog = sharedDataFile('GOOG.csv');
const bigBars = 3_000_000;

beforeAll(async () => {
  host = await startTestHost();
  // A series long enough to go to a worker thread and to be cancelled mid-run.
  new CandleRepository(host.app.db).upsert('SYN', '1m', syntheticMinuteCandles(bigBars));
  const small = syntheticMinuteCandles(500, 7);
  new CandleRepository(host.app.db).upsert('SMALL', '1m', small);
});
afterAll(async () => host.stop());

const call = <T = unknown>(name: string, input: unknown) =>
  host.app.dispatch(name, input) as Promise<CallResult<T>>;

interface RunOutput {
  run: { id: number; label: string; trades: number; returnPct: number } | null;
  result: {
    strategy: string;
    params: Record<string, number>;
    metrics: { trades: number; finalEquity: number; returnPct: number; bars: number };
    equity: { time: number[] };
    trades: unknown[];
  };
}

describe('backtest.strategies', () => {
  it('describes every built-in strategy with its parameters', async () => {
    const result = await call<{ strategies: { name: string; params: { name: string }[] }[] }>(
      'backtest.strategies',
      {},
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const byName = Object.fromEntries(
      result.value.strategies.map((s) => [s.name, s.params.map((p) => p.name)]),
    );
    expect(byName['sma-cross']).toEqual(expect.arrayContaining(['fast', 'slow']));
    expect(byName['rsi']).toEqual(expect.arrayContaining(['period', 'lower', 'upper']));
  });
});

// Skipped only on a clone without ../shared/data (sharedDataSkipReason says so in the name); under CI
// a missing file fails instead (tests/support/shared-data.ts).
describe.skipIf(!goog)(`backtest.run on stored GOOG (${sharedDataSkipReason})`, () => {
  it('reproduces the cross-check run, saves it, and reopens it whole', async () => {
    const imported = await call('candles.import', {
      symbol: 'GOOG',
      timeframe: '1d',
      csv: readFileSync(goog!, 'utf8'),
    });
    expect(imported.ok).toBe(true);
    // Over HTTP, as the headless UI sends it.
    const { body } = await postCall(host.server.url, 'backtest.run', {
      data: { source: 'stored', symbol: 'GOOG', timeframe: '1d' },
      spec: { strategy: 'sma-cross', params: { fast: 10, slow: 20 }, cash: 10_000, commission: 0.002 },
    });
    expect(body.ok).toBe(true);
    const output = body.value as RunOutput;
    expect(output.result.metrics.trades).toBe(93);
    expect(output.result.metrics.finalEquity).toBeCloseTo(56_263.52, 2);
    expect(output.run).toMatchObject({ label: 'sma-cross on GOOG 1d', trades: 93 });

    const listed = await call<{ runs: { id: number }[] }>('backtest.list', {});
    expect(listed.ok && listed.value.runs.map((run) => run.id)).toContain(output.run!.id);
    const reopened = await call<RunOutput>('backtest.get', { id: output.run!.id });
    expect(reopened.ok && reopened.value.result).toEqual(output.result);

    expect(await call('backtest.remove', { id: output.run!.id })).toEqual({
      ok: true,
      value: { removed: true },
    });
    const gone = await call('backtest.get', { id: output.run!.id });
    expect(gone.ok === false && gone.error.code).toBe('not_found');
  });
});

describe('backtest.run refusals', () => {
  const stored = { source: 'stored', symbol: 'SMALL', timeframe: '1m' };
  const refusal = async (input: unknown) => {
    const result = await call('backtest.run', input);
    expect(result.ok).toBe(false);
    if (result.ok) throw new Error('accepted');
    return result.error;
  };
  const savedCount = async () => {
    const listed = await call<{ runs: unknown[] }>('backtest.list', {});
    return listed.ok ? listed.value.runs.length : -1;
  };

  it.each([
    [{ strategy: 'no-such', params: {} }, 'spec.strategy', /no-such|unknown/i],
    [{ strategy: 'sma-cross', params: { fast: 20, slow: 10 } }, 'spec.params.slow', /greater than fast/],
    [{ strategy: 'rsi', params: { period: 1, lower: 30, upper: 70 } }, 'spec.params.period', /2/],
    [{ strategy: 'sma-cross', params: {}, cash: -5 }, 'spec.cash', /positive/],
    [{ strategy: 'sma-cross', params: {}, commission: 1 }, 'spec.commission', /below 1/],
  ])('refuses %j naming %s, and saves nothing', async (spec, path, message) => {
    const before = await savedCount();
    const error = await refusal({ data: stored, spec });
    expect(error.code).toBe('invalid_input');
    const issue = error.issues?.find((candidate) => candidate.path === path);
    expect(issue, JSON.stringify(error.issues)).toBeDefined();
    expect(issue!.message).toMatch(message);
    expect(await savedCount()).toBe(before);
  });

  it('refuses an empty range, naming the data', async () => {
    const error = await refusal({
      data: { ...stored, from: 1, to: 2 },
      spec: { strategy: 'sma-cross', params: { fast: 5, slow: 10 } },
    });
    expect(error).toMatchObject({ code: 'invalid_input', issues: [{ path: 'data' }] });
  });

  it('refuses a series that does not exist the same way', async () => {
    const error = await refusal({
      data: { source: 'stored', symbol: 'NOPE', timeframe: '1d' },
      spec: { strategy: 'sma-cross', params: { fast: 5, slow: 10 } },
    });
    expect(error.message).toMatch(/no candles/);
  });
});

describe('long runs in a worker thread', () => {
  it('runs past the inline limit off the event loop, with progress, and answers other calls meanwhile', async () => {
    expect(bigBars).toBeGreaterThan(inlineBarLimit);
    const progress: number[] = [];
    const stop = host.app.events.subscribe((name, payload) => {
      const event = payload as { runId: string; fraction: number };
      if (name === 'backtest.progress' && event.runId === 'long-1') progress.push(event.fraction);
    });
    let finished = false;
    const running = call<RunOutput>('backtest.run', {
      runId: 'long-1',
      save: false,
      data: { source: 'stored', symbol: 'SYN', timeframe: '1m' },
      spec: { strategy: 'rsi', params: { period: 14, lower: 30, upper: 70 } },
    }).finally(() => {
      finished = true;
    });
    const info = await call('app.info', {});
    expect(info.ok).toBe(true);
    expect(finished).toBe(false);
    const result = await running;
    stop();
    expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
    if (!result.ok) return;
    expect(result.value.run).toBeNull();
    expect(result.value.result.metrics.bars).toBe(bigBars);
    // The UI gets a chartable curve, not three million points.
    expect(result.value.result.equity.time.length).toBeLessThanOrEqual(2000);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(1);
  });

  it('cancels a running backtest by its runId', async () => {
    let cancelAnswer: CallResult | undefined;
    const stop = host.app.events.subscribe((name, payload) => {
      const event = payload as { runId: string };
      if (name === 'backtest.progress' && event.runId === 'long-2' && !cancelAnswer) {
        cancelAnswer = { ok: true, value: null };
        void call('backtest.cancel', { runId: 'long-2' }).then((answer) => (cancelAnswer = answer));
      }
    });
    const result = await call('backtest.run', {
      runId: 'long-2',
      data: { source: 'stored', symbol: 'SYN', timeframe: '1m' },
      spec: { strategy: 'sma-cross', params: { fast: 10, slow: 30 } },
    });
    stop();
    expect(result.ok === false && result.error.code).toBe('cancelled');
    expect(cancelAnswer).toEqual({ ok: true, value: { cancelled: true } });
    // Nothing half-done was saved.
    const listed = await call<{ runs: { label: string }[] }>('backtest.list', {});
    expect(listed.ok && listed.value.runs.some((run) => run.label.includes('SYN'))).toBe(false);
    // Cancelling a run that is not running says so.
    expect(await call('backtest.cancel', { runId: 'long-2' })).toEqual({
      ok: true,
      value: { cancelled: false },
    });
  });
});
