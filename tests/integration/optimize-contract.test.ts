// optimize.* over the real headless host (HTTP for the calls, the WebSocket for progress), with a
// test licence: a run on a stored series saved and reopened, its best set exported and replayed by
// backtest.run, a CSV walk-forward run, a seeded genetic run, refusals naming the field, and a long
// run cancelled by its runId while the host keeps answering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { candlesToCsv, syntheticMinuteCandles } from '../../bench/synthetic-candles.ts';
import type { CallResult } from '../../core/contract/result.ts';
import type { BacktestResult } from '../../core/backtest/spec.ts';
import type { BacktestConfig } from '../../core/optimize/export-best.ts';
import type {
  OptimizeProgress,
  OptimizeRequestInput,
  OptimizeResult,
  OptimizeRunSummary,
} from '../../core/optimize/spec.ts';
import { CandleRepository } from '../../core/storage/candle-repository.ts';
import { postCall, startTestHost } from '../support/headless-app.ts';

type ProgressEvent = OptimizeProgress & { runId: string };
interface RunOutput {
  run: OptimizeRunSummary | null;
  result: OptimizeResult;
}
interface ExportOutput {
  config: BacktestConfig;
  configJson: string;
  evaluationsCsv: string;
  baseName: string;
}

let host: Awaited<ReturnType<typeof startTestHost>>;
let socket: WebSocket;
const progress: ProgressEvent[] = [];

const smallBars = 4000;
const longBars = 300_000;
const stored = { source: 'stored', symbol: 'SYN', timeframe: '1m' } as const;
const small = syntheticMinuteCandles(smallBars, 11);

beforeAll(async () => {
  host = await startTestHost();
  const repository = new CandleRepository(host.app.db);
  repository.upsert('SYN', '1m', small);
  // Long enough that a 2,000-set grid is still searching when it is cancelled.
  repository.upsert('LONG', '1m', syntheticMinuteCandles(longBars, 5));
  socket = new WebSocket(`${host.server.url.replace('http', 'ws')}/api/ws`);
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type: string; name?: string; payload?: unknown };
    if (message.type === 'event' && message.name === 'optimize.progress')
      progress.push(message.payload as ProgressEvent);
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
});

afterAll(async () => {
  socket?.close();
  await host?.stop();
});

/** Every call goes over real HTTP, as the headless UI sends it. */
async function call<T = unknown>(name: string, input: unknown): Promise<CallResult<T>> {
  const { body } = await postCall(host.server.url, name, input);
  return body as CallResult<T>;
}

async function ok<T>(name: string, input: unknown): Promise<T> {
  const result = await call<T>(name, input);
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** Resolves with the first progress event (already received or still to come) that matches. */
function progressEvent(predicate: (event: ProgressEvent) => boolean, timeoutMs = 100_000) {
  return new Promise<ProgressEvent>((resolve, reject) => {
    const seen = progress.find(predicate);
    if (seen) return resolve(seen);
    const timer = setTimeout(() => {
      socket.off('message', check);
      reject(new Error('no matching optimize.progress event arrived'));
    }, timeoutMs);
    const check = () => {
      const hit = progress.find(predicate);
      if (!hit) return;
      clearTimeout(timer);
      socket.off('message', check);
      resolve(hit);
    };
    socket.on('message', check);
  });
}

async function savedIds(): Promise<number[]> {
  return (await ok<{ runs: OptimizeRunSummary[] }>('optimize.list', {})).runs.map((run) => run.id);
}

const rsiGrid: OptimizeRequestInput = {
  strategy: 'rsi',
  baseSpec: { cash: 10_000, commission: 0.0005, params: { period: 14 } },
  ranges: [
    { name: 'lower', from: 20, to: 40, step: 5 },
    { name: 'upper', from: 60, to: 80, step: 5 },
  ],
  validation: { kind: 'split', train: 0.7 },
};

describe('optimize.run on a stored series', () => {
  let output: RunOutput;

  beforeAll(async () => {
    output = await ok<RunOutput>('optimize.run', {
      data: stored,
      request: rsiGrid,
      runId: 'grid-1',
      workers: 2,
    });
  });

  it('searches every set and ranks them in a leaderboard led by the best set', () => {
    const { result } = output;
    expect(result.spaceSize).toBe(25);
    expect(result.evaluationCount).toBe(25);
    expect(result.evaluations).toHaveLength(25);
    expect(result.best).not.toBeNull();
    // The fixed period travels with the searched thresholds.
    expect(result.best!.params).toEqual({ period: 14, lower: expect.any(Number), upper: expect.any(Number) });
    expect(result.leaderboard).toHaveLength(20);
    expect(result.leaderboard.map((entry) => entry.rank)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(result.leaderboard[0]!.params).toEqual(result.best!.params);
    for (let i = 1; i < result.leaderboard.length; i++) {
      const [before, after] = [result.leaderboard[i - 1]!, result.leaderboard[i]!];
      if (before.qualified === after.qualified) expect(after.score).toBeLessThanOrEqual(before.score);
      else expect(before.qualified).toBe(true);
    }
    // Nothing evaluated scores above the leader.
    const qualified = result.evaluations.filter((evaluation) => evaluation.qualified);
    expect(Math.max(...qualified.map((evaluation) => evaluation.score))).toBe(result.best!.score);
    // Each leaderboard set was also measured out of sample.
    expect(result.leaderboard.every((entry) => entry.oosMetrics !== null)).toBe(true);
    expect(result.heatmap).toMatchObject({
      x: { param: 'lower', values: [20, 25, 30, 35, 40] },
      y: { param: 'upper', values: [60, 65, 70, 75, 80] },
    });
  });

  it('shows the chosen set in sample and out of sample side by side', () => {
    const { result } = output;
    expect(result.validationRows).toHaveLength(1);
    const row = result.validationRows[0]!;
    const cut = Math.floor(smallBars * 0.7);
    expect(row.train).toEqual({ start: 0, end: cut, startTime: small.time[0], endTime: small.time[cut - 1] });
    expect(row.test).toEqual({
      start: cut,
      end: smallBars,
      startTime: small.time[cut],
      endTime: small.time[smallBars - 1],
    });
    expect(row.params).toEqual(result.best!.params);
    expect(row.inSample.metrics.bars).toBe(cut);
    expect(row.outOfSample!.metrics.bars).toBe(smallBars - cut);
    expect(row.inSample.score).toBe(result.best!.score);
    expect(row.outOfSample!.score).toBe(result.best!.oosScore);
    expect(row.collapsed).toBe(result.best!.collapsed);
    // Collapsed means: unqualified out of sample, or below half the in-sample score.
    const oos = row.outOfSample!;
    expect(row.collapsed).toBe(!oos.qualified || oos.score < 0.5 * row.inSample.score);
  });

  it('saves the run, lists it and reopens it whole', async () => {
    const { run, result } = output;
    expect(run).toMatchObject({
      label: 'rsi optimisation on SYN 1m',
      source: 'stored',
      symbol: 'SYN',
      timeframe: '1m',
      strategy: 'rsi',
      method: 'grid',
      objective: 'default',
      validation: { kind: 'split', train: 0.7 },
      bestParams: result.best!.params,
      bestScore: result.best!.score,
      oosScore: result.best!.oosScore,
      collapsed: result.best!.collapsed,
      evaluationCount: 25,
    });
    const listed = await ok<{ runs: OptimizeRunSummary[] }>('optimize.list', {});
    expect(listed.runs.find((summary) => summary.id === run!.id)).toEqual(run);
    const reopened = await ok<RunOutput>('optimize.get', { id: run!.id });
    expect(reopened.run).toEqual(run);
    expect(reopened.result).toEqual(result);
  });

  it('reports progress over the WebSocket under its runId, from starting to done', async () => {
    const done = await progressEvent((event) => event.runId === 'grid-1' && event.phase === 'done');
    const events = progress.filter((event) => event.runId === 'grid-1');
    expect(events[0]).toMatchObject({ phase: 'starting', done: 0, total: 25, fold: 0, folds: 1 });
    expect(events.map((event) => event.phase)).toContain('validating');
    expect(done).toMatchObject({ done: 25, total: 25, etaMs: 0 });
    expect(done.best).toEqual({
      params: output.result.best!.params,
      score: output.result.best!.score,
      qualified: true,
    });
    const counts = events.map((event) => event.done);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
  });

  it('exports the best set as a config backtest.run accepts and replays to the same figures', async () => {
    const { run, result } = output;
    const exported = await ok<ExportOutput>('optimize.export', { id: run!.id });
    const { config } = exported;
    expect(config).toMatchObject({
      format: 'autobot.backtest-config',
      version: 1,
      strategy: 'rsi',
      params: result.best!.params,
      spec: { strategy: 'rsi', params: result.best!.params, cash: 10_000, commission: 0.0005 },
      optimisation: {
        method: 'grid',
        objective: 'default',
        score: result.best!.score,
        oosScore: result.best!.oosScore,
        evaluations: 25,
      },
    });
    expect(JSON.parse(exported.configJson)).toEqual(config);
    expect(exported.baseName).toBe(`autobot-optimisation-${run!.id}-rsi`);

    // The exported spec, as it is, on the training window gives the in-sample figures, and on the
    // test window the out-of-sample ones.
    const row = result.validationRows[0]!;
    const replay = async (from: number, to: number) =>
      (
        await ok<{ run: unknown; result: BacktestResult }>('backtest.run', {
          data: { ...stored, from, to },
          spec: config.spec,
          save: false,
        })
      ).result;
    const inSample = await replay(row.train.startTime, row.train.endTime);
    expect(inSample.params).toEqual(result.best!.params);
    expect(inSample.metrics).toEqual(row.inSample.metrics);
    const outOfSample = await replay(row.test!.startTime, row.test!.endTime);
    expect(outOfSample.metrics).toEqual(row.outOfSample!.metrics);
  });

  it('exports every evaluation as CSV: a header, then one line per evaluation', async () => {
    const { run, result } = output;
    const { evaluationsCsv } = await ok<ExportOutput>('optimize.export', { id: run!.id });
    const lines = evaluationsCsv.trimEnd().split('\n');
    expect(lines).toHaveLength(result.evaluationCount + 1);
    expect(lines[0]).toBe(
      'fold,period,lower,upper,score,qualified,trades,return_pct,profit_factor,win_rate_pct,max_drawdown_pct,sharpe,calmar',
    );
    result.evaluations.forEach((evaluation, i) => {
      const cells = lines[i + 1]!.split(',');
      expect(cells).toHaveLength(13);
      expect(cells.slice(0, 4).map(Number)).toEqual([
        evaluation.fold,
        evaluation.params.period,
        evaluation.params.lower,
        evaluation.params.upper,
      ]);
      expect(Number(cells[4])).toBe(evaluation.score);
      expect(cells[5]).toBe(evaluation.qualified ? '1' : '0');
      expect(Number(cells[6])).toBe(evaluation.metrics.trades);
    });
  });

  it('removes a saved run with its exports', async () => {
    const id = output.run!.id;
    expect(await call('optimize.remove', { id })).toEqual({ ok: true, value: { removed: true } });
    expect(await savedIds()).not.toContain(id);
    for (const name of ['optimize.get', 'optimize.export']) {
      const gone = await call(name, { id });
      expect(gone.ok === false && gone.error.code, name).toBe('not_found');
    }
    expect(await call('optimize.remove', { id })).toEqual({ ok: true, value: { removed: false } });
  });
});

describe('optimize.run with other sources and settings', () => {
  it('walks forward over an uploaded CSV, one in-sample / out-of-sample row per fold', async () => {
    const bars = 3000;
    const { run, result } = await ok<RunOutput>('optimize.run', {
      data: { source: 'csv', csv: candlesToCsv(syntheticMinuteCandles(bars, 3)), fileName: 'minutes.csv' },
      // 750-bar windows: fewer trades than a 70 % split, so a lower minimum.
      request: { ...rsiGrid, minTrades: 3, validation: { kind: 'walk-forward', folds: 3 } },
      workers: 2,
    });
    expect(run).toMatchObject({ source: 'csv', symbol: null, label: 'rsi optimisation on minutes.csv' });
    expect(result.validationRows.map((row) => row.fold)).toEqual([1, 2, 3]);
    // Rolling: each fold trains on the block just before its test block; the tests walk on without gaps.
    const block = bars / 4;
    result.validationRows.forEach((row, i) => {
      expect(row.train).toMatchObject({ start: i * block, end: (i + 1) * block });
      expect(row.test).toMatchObject({ start: (i + 1) * block, end: (i + 2) * block });
      expect(row.outOfSample!.metrics.bars).toBe(block);
    });
    expect(result.evaluationCount).toBe(75);
    expect(result.evaluations.filter((evaluation) => evaluation.fold === 3)).toHaveLength(25);
    // The set to trade is the one chosen on the last training window.
    expect(result.best).not.toBeNull();
    expect(result.best!.params).toEqual(result.validationRows[2]!.params);
    expect(result.best!.score).toBe(result.validationRows[2]!.inSample.score);
  });

  it('replays a genetic search exactly for the same seed, within its budget', async () => {
    const request: OptimizeRequestInput = {
      ...rsiGrid,
      ranges: [
        { name: 'lower', from: 15, to: 45, step: 1 },
        { name: 'upper', from: 55, to: 85, step: 1 },
      ],
      method: 'genetic',
      budget: 40,
      seed: 7,
      genetic: { population: 10, elite: 2 },
    };
    const runs: OptimizeResult[] = [];
    for (const workers of [1, 2])
      runs.push(
        (await ok<RunOutput>('optimize.run', { data: stored, request, save: false, workers })).result,
      );
    const [first, second] = runs;
    expect(first!.seed).toBe(7);
    expect(first!.spaceSize).toBe(961);
    expect(first!.evaluationCount).toBeLessThanOrEqual(40);
    const keys = first!.evaluations.map(
      (evaluation) => `${evaluation.params.lower}/${evaluation.params.upper}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
    expect(second!.best).toEqual(first!.best);
    expect(second!.evaluations).toEqual(first!.evaluations);
  });

  it('finds no best set when none reaches the trade minimum, and has nothing to export', async () => {
    const { run, result } = await ok<RunOutput>('optimize.run', {
      data: stored,
      request: { ...rsiGrid, minTrades: 100_000 },
      workers: 1,
    });
    expect(result.best).toBeNull();
    expect(result.leaderboard.every((entry) => !entry.qualified && entry.score === 0)).toBe(true);
    expect(run).toMatchObject({ bestParams: null, bestScore: null });
    const exported = await call('optimize.export', { id: run!.id });
    expect(exported).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: expect.stringMatching(/100000 trades/) },
    });
  });
});

describe('optimize.run refusals', () => {
  const range = (overrides: object) => [{ name: 'lower', from: 20, to: 40, step: 5, ...overrides }];
  it.each([
    ['a step of 0', { ranges: range({ step: 0 }) }, 'request.ranges.0.step', /above 0/],
    ['a negative step', { ranges: range({ step: -1 }) }, 'request.ranges.0.step', /above 0/],
    ['to below from', { ranges: range({ from: 40, to: 20 }) }, 'request.ranges.0.to', /below from/],
    ['an unknown strategy', { strategy: 'no-such' }, 'request.strategy', /unknown strategy "no-such"/],
    [
      'a parameter both searched and fixed',
      { baseSpec: { params: { period: 14, lower: 30 } } },
      'request.ranges.0.name',
      /both searched and fixed/,
    ],
    [
      'a constraint on an unknown parameter',
      { constraints: [{ less: ['lower', 'nope'] }] },
      'request.constraints.0',
      /"nope"/,
    ],
    [
      'a grid too large to walk',
      {
        ranges: [
          { name: 'lower', from: 0, to: 99, step: 0.01 },
          { name: 'upper', from: 0, to: 99, step: 0.01 },
        ],
      },
      'request.ranges',
      /genetic/,
    ],
    [
      'an elite as large as the population',
      { method: 'genetic', genetic: { population: 10, elite: 10 } },
      'request.genetic.elite',
      /below genetic.population/,
    ],
    ['an unknown objective', { objective: 'luck' }, 'request.objective', /objective must be one of/],
    [
      'ranges that cross where the strategy needs lower < upper',
      {
        ranges: [
          { name: 'lower', from: 20, to: 60, step: 10 },
          { name: 'upper', from: 50, to: 80, step: 10 },
        ],
      },
      'request.ranges',
      /refuses the set .*lower=50, upper=50.*constraint such as lower < upper/,
    ],
  ])('refuses %s, naming %s, and saves nothing', async (_label, overrides, path, message) => {
    const before = await savedIds();
    const result = await call('optimize.run', {
      data: stored,
      request: { ...rsiGrid, ...overrides },
      workers: 1,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_input');
    const issue = result.error.issues?.find((candidate) => candidate.path === path);
    expect(issue, JSON.stringify(result.error.issues)).toBeDefined();
    expect(issue!.message).toMatch(message);
    expect(await savedIds()).toEqual(before);
  });

  it('refuses windows too short to trade in, naming the validation setting', async () => {
    const result = await call('optimize.run', {
      data: { ...stored, from: small.time[0], to: small.time[39] },
      request: rsiGrid,
      workers: 1,
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: 'request.validation.train' }] },
    });
  });

  it('refuses a series that holds no candles, naming the data', async () => {
    const result = await call('optimize.run', {
      data: { source: 'stored', symbol: 'NOPE', timeframe: '1m' },
      request: rsiGrid,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: 'data' }] } });
  });
});

describe('cancelling a running optimisation', () => {
  it('stops the run by its runId while the host keeps answering, and saves nothing', async () => {
    const before = await savedIds();
    let settled = false;
    const running = call('optimize.run', {
      data: { source: 'stored', symbol: 'LONG', timeframe: '1m' },
      request: {
        ...rsiGrid,
        ranges: [
          { name: 'lower', from: 5, to: 54, step: 1 },
          { name: 'upper', from: 55, to: 94, step: 1 },
        ],
        validation: { kind: 'none' },
      },
      runId: 'long-1',
      workers: 1,
    }).finally(() => (settled = true));

    await progressEvent((event) => event.runId === 'long-1' && event.phase === 'searching' && event.done > 0);
    const info = await postCall(host.server.url, 'app.info', {});
    expect(info).toMatchObject({ status: 200, body: { ok: true, value: { name: 'AUTOBOT' } } });
    // A second run under the same runId is refused while the first one runs.
    const twin = await call('optimize.run', { data: stored, request: rsiGrid, runId: 'long-1' });
    expect(twin).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: 'runId' }] } });
    expect(settled).toBe(false);

    // How soon it stops is speed: `npm run bench -- cancel`. Here: it stops, early, and saves nothing.
    expect(await call('optimize.cancel', { runId: 'long-1' })).toEqual({
      ok: true,
      value: { cancelled: true },
    });
    const result = await running;
    expect(result).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    const last = progress.filter((event) => event.runId === 'long-1').at(-1)!;
    expect(last.done).toBeLessThan(2000);
    expect(await savedIds()).toEqual(before);

    // Nothing is running under that runId any more: cancelling again says so, and it can be reused.
    expect(await call('optimize.cancel', { runId: 'long-1' })).toEqual({
      ok: true,
      value: { cancelled: false },
    });
    const again = await ok<RunOutput>('optimize.run', {
      data: stored,
      request: rsiGrid,
      runId: 'long-1',
      save: false,
      workers: 1,
    });
    expect(again.run).toBeNull();
    expect(again.result.evaluationCount).toBe(25);
  });

  it('gives a constrained grid too large to count up front a progress total, and cancels it', async () => {
    // 1000 × 1000 × 2 raw points with lower < upper: above the runner's counting limit.
    const running = call('optimize.run', {
      data: stored,
      request: {
        ...rsiGrid,
        baseSpec: {},
        ranges: [
          { name: 'lower', from: 0, to: 99.9, step: 0.1 },
          { name: 'upper', from: 0, to: 99.9, step: 0.1 },
          { name: 'period', from: 13, to: 14, step: 1 },
        ],
        constraints: [{ less: ['lower', 'upper'] }],
        validation: { kind: 'none' },
      },
      runId: 'huge-1',
      workers: 2,
    });
    const starting = await progressEvent((event) => event.runId === 'huge-1' && event.phase === 'starting');
    expect(starting.total).toBe(2_000_000);
    expect(await call('optimize.cancel', { runId: 'huge-1' })).toEqual({
      ok: true,
      value: { cancelled: true },
    });
    expect(await running).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  });
});
