// Issue #16's acceptance line: a backtest with reinvestment differs from one without exactly as the
// policy says, on a case worked out by hand below; a paper run of the same spec (the bot's runtime:
// strategy runner, router, simulated exchange, journal) makes the same fills; the spec's policy is
// refused field by field.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../core/app/app.ts';
import type { CallInput, CallName, CallOutput } from '../../core/contract/calls.ts';
import { parseCandlesCsv } from '../../core/data/csv-candles.ts';
import { SetEvaluator } from '../../core/optimize/set-evaluator.ts';
import { baseSpecSchema } from '../../core/optimize/spec.ts';
import { createLicensedTestApp } from '../support/licensed-app.ts';
import { makeTempDir } from '../support/temp-dir.ts';

// Daily bars whose open, high, low and close are one price, so every fill (at the next bar's open)
// is at that bar's price. sma-cross(1, 2) is long after a fall then a rise, short after a rise
// then a fall, and reverses at the next open:
//   bar  0  1  2  3  4  5  6  7  8  9  10
//   px  10  9 10 10 15 14 14 13 22 22  22
//   bar 2: fall then rise → buy, filled bar 3 at 10;  bar 5: rise then fall → sell, filled bar 6 at 14;
//   bar 8: fall then rise → buy, filled bar 9 at 22 (still open at the end).
const prices = [10, 9, 10, 10, 15, 14, 14, 13, 22, 22, 22];
const csv = [
  'Date,Open,High,Low,Close,Volume',
  ...prices.map((p, i) => `2024-01-${String(i + 1).padStart(2, '0')},${p},${p},${p},${p},1000`),
].join('\n');

// No costs, so the sums below are exact. Without reinvestment each entry is a fixed 20 shares.
const base = {
  strategy: 'sma-cross',
  params: { fast: 1, slow: 2 },
  cash: 1000,
  commission: 0,
  slippage: 0,
  sizing: { mode: 'fixed' as const, quantity: 20 },
};
const policy = { baseBudget: 200, reinvestShare: 0.5, cap: 230, drawdownThreshold: 0.1, derisk: 0.5 };

// With it, each entry spends the budget min(cap, 200 + 0.5 × realised) × (0.5 while drawdown > 10 %):
//   1. long at 10: nothing realised, budget 200 → 200 / 10 = 20 shares.
//      Closed at 14: +20 × 4 = +80; cash 1080, the closed-trade peak.
//   2. short at 14: budget min(230, 200 + 40 = 240) = 230 (the cap) → 230 / 14 = 16.4 → 16 shares.
//      Closed at 22: −16 × 8 = −128; cash 952, drawdown 128 / 1080 = 11.9 % > 10 %.
//   3. long at 22: min(230, 200 + 0.5 × −48 = 176) = 176, cut by half → 88 → 88 / 22 = 4 shares.
// Without it: 20 long at 10 (+80, cash 1080), 20 short at 14 (−160, cash 920), 20 long at 22.

const temp = makeTempDir('autobot-reinvest-');
let app: App;

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await app.dispatch(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value as CallOutput<N>;
}

const data = { source: 'csv' as const, csv, fileName: 'hand.csv' };

beforeAll(async () => {
  app = (await createLicensedTestApp({ dataDir: temp.dir })).app;
});
afterAll(() => {
  app?.close();
  temp.cleanup();
});

describe('a backtest with reinvestment', () => {
  it('sizes 20 / 16 / 4 where the fixed sizing gives 20 / 20 / 20, as worked out by hand', async () => {
    const without = (await call('backtest.run', { data, spec: base, save: false })).result;
    const withIt = (
      await call('backtest.run', { data, spec: { ...base, reinvestment: policy }, save: false })
    ).result;

    const sizes = (result: typeof without) => [
      ...result.trades.map((trade) => `${trade.side} ${trade.size}@${trade.entryPrice}`),
      `${result.openTrade!.side} ${result.openTrade!.size}@${result.openTrade!.entryPrice}`,
    ];
    expect(sizes(without)).toEqual(['long 20@10', 'short 20@14', 'long 20@22']);
    expect(sizes(withIt)).toEqual(['long 20@10', 'short 16@14', 'long 4@22']);
    expect(withIt.trades.map((trade) => trade.pnl)).toEqual([80, -128]);
    expect(without.trades.map((trade) => trade.pnl)).toEqual([80, -160]);
    // Final equity: 952 in cash, the 4 shares bought at 22 still at 22; 920 for the fixed run.
    expect(withIt.metrics.finalEquity).toBe(952);
    expect(without.metrics.finalEquity).toBe(920);
    expect(withIt.spec.reinvestment).toEqual(policy);
  });

  it('trades the same in a paper run (the bot runtime) as in its backtest', async () => {
    const spec = { ...base, reinvestment: policy };
    const backtest = (await call('backtest.run', { data, spec, save: false })).result;
    const paper = await call('paper.run', { data, spec });
    expect(paper.status).toBe('finished');
    expect(paper.result.trades).toEqual(backtest.trades);
    expect(paper.result.openTrade).toEqual(backtest.openTrade);
    expect(paper.result.metrics.finalEquity).toBe(952);
  });

  it('is what the optimiser scores a set by, on its kernel path too', () => {
    const { candles } = parseCandlesCsv(csv);
    const evaluator = new SetEvaluator(candles, {
      strategy: 'sma-cross',
      baseSpec: baseSpecSchema.parse({ ...base, reinvestment: policy }),
      path: 'kernel',
    });
    // Marked at the last close, the 4 shares held at 22 leave 952: −4.8 % from 1000.
    const scored = evaluator.evaluate({ start: 0, end: prices.length }, { fast: 1, slow: 2 });
    expect(scored.returnPct).toBeCloseTo(-4.8, 10);
    expect(scored.trades).toBe(2);
  });

  it('refuses a policy that cannot mean anything, naming the field', async () => {
    const refusal = async (reinvestment: unknown) => {
      const result = await app.dispatch('backtest.run', {
        data,
        spec: { ...base, reinvestment } as never,
        save: false,
      });
      if (result.ok) throw new Error('accepted');
      return result.error.issues?.map((issue) => `${issue.path}: ${issue.message}`);
    };
    expect(await refusal({ ...policy, cap: 100 })).toEqual([
      'spec.reinvestment.cap: cap must be at least baseBudget (200), got 100',
    ]);
    expect(await refusal({ ...policy, derisk: 1.5 })).toEqual([
      'spec.reinvestment.derisk: derisk must be at most 1 (100 %)',
    ]);
    expect(await refusal({ baseBudget: 100 })).toEqual([
      'spec.reinvestment.cap: cap must be an amount of money',
    ]);
  });
});

describe('autobot backtest --reinvest', () => {
  const repoRoot = path.resolve(import.meta.dirname, '..', '..');
  let runs = 0;
  const file = () => path.join(temp.dir, 'hand.csv');
  const run = async (...args: string[]) => {
    const common = ['--csv', file(), '--strategy', 'sma-cross', '--param', 'fast=1', '--param', 'slow=2'];
    const money = ['--cash', '1000', '--commission', '0', '--sizing', 'fixed:20', '--no-save'];
    // A data folder per process: two starting at once on one folder would race to migrate it.
    const dir = ['--data-dir', path.join(temp.dir, `cli-${++runs}`)];
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [path.join(repoRoot, 'bin', 'autobot.js'), 'backtest', ...common, ...money, ...dir, ...args],
        { cwd: repoRoot },
      );
      return { code: 0, stdout, stderr: '' };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  it('prints the hand-checked sizes, and refuses a policy naming the field', async () => {
    writeFileSync(file(), csv);
    const [sized, refused] = await Promise.all([
      run('--reinvest', 'base=200,share=50%,cap=230,drawdown=10%,derisk=50%', '--json', '--full'),
      run('--reinvest', 'base=200,cap=100'),
    ]);
    const printed = JSON.parse(sized.stdout) as {
      tradeList: { size: number }[];
      openTrade: { size: number };
      finalEquity: number;
    };
    expect([...printed.tradeList.map((trade) => trade.size), printed.openTrade.size]).toEqual([20, 16, 4]);
    expect(printed.finalEquity).toBe(952);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('reinvestment.cap: cap must be at least baseBudget (200), got 100');
  }, 60_000);
});
