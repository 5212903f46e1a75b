// Every invalid backtest input is refused with invalid_input and an issue naming the parameter.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerBacktestCommand } from '../../core/cli/backtest-command.ts';
import { runBacktest } from '../../core/backtest/run-backtest.ts';
import { backtestDefaults } from '../../core/backtest/defaults.ts';
import type { BacktestSpecInput } from '../../core/backtest/spec.ts';
import { AutobotError } from '../../core/contract/errors.ts';
import { allocateCandleColumns, type CandleColumns } from '../../core/storage/candle-columns.ts';
import { listStrategies } from '../../core/strategies/registry.ts';
import { makeTempDir } from '../support/temp-dir.ts';

function walk(length: number): CandleColumns {
  const candles = allocateCandleColumns(length);
  for (let i = 0; i < length; i++) {
    const price = 100 + 10 * Math.sin(i / 7);
    candles.time[i] = 1_700_000_000 + i * 3_600;
    candles.open[i] = candles.close[i] = price;
    candles.high[i] = price + 1;
    candles.low[i] = price - 1;
  }
  return candles;
}

const candles = walk(100);

function refusal(spec: BacktestSpecInput, data: CandleColumns = candles, series = {}): AutobotError {
  try {
    runBacktest(data, spec, { series });
  } catch (error) {
    if (error instanceof AutobotError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(spec)}`);
}

const cases: [label: string, spec: BacktestSpecInput, path: string, message: RegExp][] = [
  ['an unknown strategy', { strategy: 'macd-magic' }, 'strategy', /unknown strategy "macd-magic".*sma-cross/],
  [
    'slow ≤ fast',
    { strategy: 'sma-cross', params: { fast: 20, slow: 20 } },
    'params.slow',
    /slow must be greater than fast/,
  ],
  [
    'a fractional period',
    { strategy: 'sma-cross', params: { fast: 2.5 } },
    'params.fast',
    /fast must be a whole number/,
  ],
  ['fast < 1', { strategy: 'sma-cross', params: { fast: 0 } }, 'params.fast', /fast must be at least 1/],
  [
    'an unknown parameter',
    { strategy: 'sma-cross', params: { fsat: 5 } },
    'params.fsat',
    /no parameter "fsat"/,
  ],
  [
    'rsi period < 2',
    { strategy: 'rsi', params: { period: 1 } },
    'params.period',
    /period must be at least 2/,
  ],
  [
    'lower ≥ upper',
    { strategy: 'rsi', params: { lower: 70, upper: 30 } },
    'params.lower',
    /lower must be below upper/,
  ],
  ['upper > 100', { strategy: 'rsi', params: { upper: 120 } }, 'params.upper', /upper must be at most 100/],
  [
    'a stop-loss of 100 %',
    { strategy: 'rsi', params: { stopLossPct: 100 } },
    'params.stopLossPct',
    /stopLossPct must be below 100/,
  ],
  [
    'a take-profit of 0',
    { strategy: 'rsi', params: { takeProfitPct: 0 } },
    'params.takeProfitPct',
    /takeProfitPct must be above 0/,
  ],
  ['negative cash', { strategy: 'sma-cross', cash: -1 }, 'cash', /cash must be positive/],
  ['commission ≥ 1', { strategy: 'sma-cross', commission: 1 }, 'commission', /commission must be below 1/],
  [
    'negative commission',
    { strategy: 'sma-cross', commission: -0.1 },
    'commission',
    /commission must be 0 or more/,
  ],
  ['a negative fixed fee', { strategy: 'sma-cross', fixedFee: -1 }, 'fixedFee', /fixedFee must be 0 or more/],
  ['slippage ≥ 1', { strategy: 'sma-cross', slippage: 1 }, 'slippage', /slippage must be below 1/],
  ['a zero lot size', { strategy: 'sma-cross', lotSize: 0 }, 'lotSize', /lotSize must be positive/],
  [
    'a sizing fraction above 1',
    { strategy: 'sma-cross', sizing: { mode: 'fraction', fraction: 1.5 } },
    'sizing.fraction',
    /sizing.fraction must be at most 1/,
  ],
  [
    'an unknown sizing mode',
    { strategy: 'sma-cross', sizing: { mode: 'yolo' } as never },
    'sizing.mode',
    /sizing.mode must be one of/,
  ],
];

describe('backtest parameters', () => {
  it.each(cases)('refuses %s, naming it', (_label, spec, path, message) => {
    const error = refusal(spec);
    expect(error.code).toBe('invalid_input');
    expect(error.issues?.[0]).toMatchObject({ path });
    expect(error.issues?.[0]?.message).toMatch(message);
    expect(error.message).toMatch(message);
  });

  it('refuses an empty range', () => {
    const error = refusal({ strategy: 'sma-cross' }, walk(0));
    expect(error.issues).toEqual([{ path: 'range', message: 'the chosen range holds no candles' }]);
  });

  it('refuses a sentiment threshold without a sentiment series, or one of the wrong length', () => {
    const spec = { strategy: 'rsi', params: { minSentiment: 0 } };
    expect(refusal(spec).issues?.[0]?.path).toBe('params.minSentiment');
    expect(refusal(spec, candles, { sentiment: new Float64Array(3) }).issues?.[0]?.path).toBe(
      'series.sentiment',
    );
  });

  it('lists every invalid field at once', () => {
    const error = refusal({ strategy: 'sma-cross', cash: 0, commission: 2 });
    expect(error.issues?.map((issue) => issue.path)).toEqual(['cash', 'commission']);
  });

  it('fills in the defaults and reports the params the strategy used', () => {
    const result = runBacktest(candles, { strategy: 'rsi', params: { takeProfitPct: 3 } });
    expect(result.params).toEqual({ period: 14, lower: 30, upper: 70, takeProfitPct: 3 });
    expect(result.spec).toEqual({ strategy: 'rsi', params: { takeProfitPct: 3 }, ...backtestDefaults });
  });

  it('describes each built-in strategy’s params as JSON Schema', () => {
    const sma = listStrategies().find((entry) => entry.name === 'sma-cross')!;
    expect(sma.paramsJsonSchema).toMatchObject({
      properties: { fast: { type: 'integer', default: 10 }, slow: { type: 'integer', default: 20 } },
    });
  });
});

describe('autobot backtest: invalid parameters', () => {
  const temp = makeTempDir('autobot-backtest-cli-');
  afterAll(() => temp.cleanup());
  const csv = path.join(temp.dir, 'candles.csv');
  writeFileSync(
    csv,
    [
      'time,open,high,low,close',
      ...Array.from({ length: 50 }, (_, i) => `${1_700_000_000 + i * 60},10,11,9,10`),
    ].join('\n'),
  );

  async function cli(args: string[]) {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const program = new Command('autobot')
      .exitOverride()
      .configureOutput({ writeOut: (text) => stdout.push(text), writeErr: (text) => stderr.push(text) });
    registerBacktestCommand(program);
    let exitCode = 0;
    try {
      await program.parseAsync([
        'node',
        'autobot',
        'backtest',
        '--csv',
        csv,
        '--data-dir',
        temp.dir,
        ...args,
      ]);
    } catch (error) {
      if (!(error instanceof CommanderError)) throw error;
      exitCode = error.exitCode;
    }
    return { exitCode, stdout: stdout.join(''), stderr: stderr.join('') };
  }

  it.each([
    [['--strategy', 'nope'], /unknown strategy "nope"/],
    [
      ['--strategy', 'sma-cross', '--param', 'fast=30', '--param', 'slow=10'],
      /params\.slow: slow must be greater than fast/,
    ],
    [['--strategy', 'rsi', '--param', 'period=1'], /params\.period: period must be at least 2/],
    [['--strategy', 'rsi', '--param', 'period=abc'], /params\.period: "abc" is not a number/],
    [['--strategy', 'rsi', '--cash', '-10'], /cash: cash must be positive/],
    [['--strategy', 'rsi', '--commission', '1'], /commission: commission must be below 1/],
    [['--strategy', 'rsi', '--lot', '0'], /lotSize: lotSize must be positive/],
    [['--strategy', 'rsi', '--cash', '1e308'], /cash: cash must be at most 1,000,000,000,000/],
    [['--strategy', 'rsi', '--lot', '1e-320'], /lotSize: lotSize must be positive, at least 0\.00000001/],
    [['--strategy', 'rsi', '--fixed-fee', '1e308'], /fixedFee: fixedFee must be at most 1,000,000/],
  ])('%j exits non-zero naming the parameter', async (args, message) => {
    const run = await cli(args);
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('prints one JSON object with --json', async () => {
    const run = await cli(['--strategy', 'sma-cross', '--param', 'fast=2', '--param', 'slow=5', '--json']);
    expect(run.exitCode).toBe(0);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    for (const key of [
      'trades',
      'finalEquity',
      'returnPct',
      'winRatePct',
      'maxDrawdownPct',
      'profitFactor',
      'sharpe',
      'sortino',
      'exposurePct',
      'commissions',
    ]) {
      expect(json).toHaveProperty(key);
    }
    expect(json).not.toHaveProperty('equity');
    expect(json).not.toHaveProperty('tradeList');
  });

  it('adds the equity curve and trade list with --full, and prints a table without --json', async () => {
    const full = JSON.parse((await cli(['--strategy', 'sma-cross', '--json', '--full'])).stdout) as {
      equity: { equity: number[] };
      tradeList: unknown[];
    };
    expect(full.equity.equity).toHaveLength(50);
    expect(Array.isArray(full.tradeList)).toBe(true);
    const table = await cli(['--strategy', 'sma-cross']);
    expect(table.stdout).toMatch(/Final equity\s+10,000\.00/);
  });
});
