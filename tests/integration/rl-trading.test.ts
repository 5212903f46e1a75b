// A trading policy end to end through the app's dispatcher, on real GOOG daily bars: rl.train with
// the trading environment (a worker job), the model saved with its split and its test-split
// evaluation beside buy & hold; the evaluation is the rl-policy strategy's own backtest of the test
// split; the policy's backtest equals its paper replay (runtime: router, simulated exchange,
// journal); the optimiser runs it on its worker threads (which read the model from the database
// file) with its in-sample / out-of-sample rows; a model that is not a trading one is refused.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../core/app/app.ts';
import type { CallInput, CallName, CallOutput } from '../../core/contract/calls.ts';
import { maxCurvePoints } from '../../core/contract/calls.ts';
import type { RlModel } from '../../core/contract/rl-calls.ts';
import { createLicensedTestApp } from '../support/licensed-app.ts';
import { sharedDataFile, sharedDataSkipReason } from '../support/shared-data.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const goog = sharedDataFile('GOOG.csv');
const temp = makeTempDir('autobot-rl-trading-');
let app: App;

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await app.dispatch(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value as CallOutput<N>;
}

beforeAll(async () => {
  const created = await createLicensedTestApp({ dataDir: temp.dir, licensed: false });
  app = created.app;
  const installed = await app.license.install(
    created.vendor.issue({ features: ['backtest', 'optimize', 'live-trading', 'rl'] }),
  );
  if (!installed.ok) throw new Error(installed.refusal.message);
});
afterAll(() => {
  app?.close();
  temp.cleanup();
});

describe.skipIf(goog === null)(`a trading policy on GOOG daily (${sharedDataSkipReason})`, () => {
  let model: RlModel;
  const stored = { source: 'stored' as const, symbol: 'GOOG', timeframe: '1d' as const };

  beforeAll(async () => {
    await call('candles.import', { symbol: 'GOOG', timeframe: '1d', csv: readFileSync(goog!, 'utf8') });
    ({ model } = await call('rl.train', {
      environment: 'trading',
      algorithm: 'ppo',
      steps: 2048,
      seed: 3,
      evalEvery: 1024,
      hyperparameters: { hidden: [16, 16], nSteps: 128 },
      trading: { symbol: 'GOOG', timeframe: '1d', split: { train: 0.6, validation: 0.2 }, allowShort: true },
    }));
  }, 240_000);

  it('is saved as a trading model with its time-ordered split and the test split beside buy & hold', () => {
    expect(model.environment).toBe('trading');
    expect(model.name).toBe('PPO trading GOOG 1d seed 3');
    const trading = model.evaluation.trading!;
    const { train, validation, test } = trading.segments;
    expect(train.bars + validation.bars + test.bars).toBe(2148);
    expect(train.to).toBeLessThan(validation.from);
    expect(validation.to).toBeLessThan(test.from);
    expect(trading.observation).toEqual({ window: 16, allowShort: true });
    expect(trading.test.equity.length).toBeGreaterThan(100);
    expect(trading.test.equity[0]).toMatchObject({ time: test.from, policy: 10_000, buyHold: 10_000 });
    // Buy & hold over the test split (bought when the policy could first act): GOOG rose over it.
    expect(trading.test.buyHoldReturnPct).not.toBe(0);
    expect(Number.isFinite(trading.test.policyReturnPct)).toBe(true);
    expect(model.curve.some((point) => point.evalReturn !== undefined)).toBe(true);
  });

  it('its test-split evaluation is the rl-policy backtest of those bars, and its paper replay equals that backtest', async () => {
    const test = model.evaluation.trading!.segments.test;
    const data = { ...stored, from: test.from, to: test.to };
    const spec = { strategy: 'rl-policy', params: { modelId: model.id } };
    const { result: backtest } = await call('backtest.run', {
      data,
      spec,
      save: false,
      curvePoints: maxCurvePoints,
    });
    expect(backtest.metrics.bars).toBe(test.bars);
    expect(backtest.metrics.finalEquity).toBeCloseTo(
      10_000 * (1 + model.evaluation.trading!.test.policyReturnPct / 100),
      6,
    );
    // A policy that trades, so the comparison below compares something.
    expect(backtest.trades.length).toBeGreaterThan(10);
    const paper = await call('paper.run', { data, spec });
    expect(paper.result.trades).toEqual(backtest.trades);
    expect(paper.result.metrics.finalEquity).toBeCloseTo(backtest.metrics.finalEquity, 6);
    expect(paper.result.equity).toEqual(backtest.equity);
  }, 120_000);

  it('runs in the optimiser on its worker threads, with in-sample and out-of-sample rows', async () => {
    const { result } = await call('optimize.run', {
      data: stored,
      request: {
        strategy: 'rl-policy',
        ranges: [{ name: 'modelId', from: model.id, to: model.id, step: 1 }],
        validation: { kind: 'split', train: 0.7 },
        minTrades: 0,
      },
      workers: 1,
      save: false,
    });
    expect(result.validationRows).toHaveLength(1);
    expect(result.best?.params).toEqual({ modelId: model.id });
  }, 120_000);

  it('refuses a model id that is not a saved trading model, naming params.modelId', async () => {
    const refused = await app.dispatch('backtest.run', {
      data: stored,
      spec: { strategy: 'rl-policy', params: { modelId: 9999 } },
      save: false,
    });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.issues?.[0]?.path).toBe('spec.params.modelId');
      expect(refused.error.message).toContain('no saved RL model 9999');
    }
  });

  it('refuses a trading run without a series, on a series not stored, or with a split that leaves a part too short — naming the field', async () => {
    const refusal = async (input: Record<string, unknown>) => {
      const result = await app.dispatch('rl.train', {
        environment: 'trading',
        algorithm: 'ppo',
        steps: 1000,
        ...input,
      } as CallInput<'rl.train'>);
      expect(result.ok).toBe(false);
      return result.ok ? null : result.error;
    };
    expect((await refusal({}))?.issues?.[0]?.path).toBe('trading');
    const missing = await refusal({ trading: { symbol: 'NOPE', timeframe: '1d' } });
    expect(missing?.issues?.[0]?.path).toBe('trading.symbol');
    expect(missing?.message).toContain('no NOPE 1d candles are stored');
    const short = await refusal({
      trading: { symbol: 'GOOG', timeframe: '1d', split: { train: 0.97, validation: 0.01 } },
    });
    expect(short?.issues?.[0]?.path).toBe('trading.split.validation');
    expect(short?.message).toMatch(/the validation split has \d+ bars; it needs at least 53/);
    const summed = await refusal({
      trading: { symbol: 'GOOG', timeframe: '1d', split: { train: 0.8, validation: 0.3 } },
    });
    expect(summed?.issues?.[0]?.path).toBe('trading.split.validation');
  });
});
