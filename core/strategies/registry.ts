// Built-in strategies by name, each with its strategy object (the readable, user-facing form) and
// its kernel (the same decisions as one tight loop). A new built-in is one entry here.
import { z } from 'zod';
import { AutobotError, type FieldIssue } from '../domain/autobot-error.ts';
import { sma } from '../indicators/sma.ts';
import { rsi } from '../indicators/rsi.ts';
import { BarArrays } from '../backtest/bar-arrays.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import { runStrategy, type EngineOutput, type SimulationInput } from '../backtest/engine.ts';
import { runStrategyWithBreakers } from '../backtest/breaker-run.ts';
import { rsiKernel } from '../backtest/kernels/rsi-kernel.ts';
import { smaCrossKernel } from '../backtest/kernels/sma-cross-kernel.ts';
import { rlPolicy } from './rl-policy.ts';
import { rsiStrategy } from './rsi.ts';
import { smaCross } from './sma-cross.ts';
import { requireSeries, type Strategy, type StrategyParams } from './strategy.ts';

/** A kernel run for validated params: computes its indicators, then the loop, in full mode. */
export type KernelRunner<P> = (input: SimulationInput, params: P) => EngineOutput;

/** A strategy with its params validated, ready to run either way. */
export interface PreparedStrategy {
  /** The params as the strategy will use them, defaults filled in. */
  params: Record<string, number>;
  api(input: SimulationInput): EngineOutput;
  kernel: ((input: SimulationInput) => EngineOutput) | null;
}

export interface StrategyEntry {
  readonly name: string;
  /** The strategy object itself: what the live path (core/runtime) runs one bar at a time. */
  readonly strategy: Strategy<StrategyParams, unknown>;
  /** Validates raw params like prepare(), returning them as the strategy reads them. */
  parseParams(params: Record<string, number>): StrategyParams;
  readonly summary: string;
  /** JSON Schema of the params (types, bounds, defaults), for forms and `--help`. */
  readonly paramsJsonSchema: Record<string, unknown>;
  /** Validates raw params; throws AutobotError('invalid_input') with issues at `params.<name>`. */
  prepare(params: Record<string, number>): PreparedStrategy;
}

export function registerStrategy<P extends StrategyParams, I>(
  strategy: Strategy<P, I>,
  kernel: KernelRunner<P> | null,
): StrategyEntry {
  return {
    name: strategy.name,
    strategy: strategy as unknown as Strategy<StrategyParams, unknown>,
    parseParams: (raw) => parseStrategyParams(strategy, raw),
    summary: strategy.summary,
    paramsJsonSchema: z.toJSONSchema(strategy.paramsSchema, { io: 'input', unrepresentable: 'any' }),
    prepare(raw) {
      const params = parseStrategyParams(strategy, raw);
      return {
        params: definedNumbers(params),
        api: (input) =>
          input.breakers === undefined
            ? runStrategy(strategy, params, input)
            : runStrategyWithBreakers(strategy, params, input, input.breakers),
        kernel:
          kernel === null
            ? null
            : (input) => {
                // A kernel has the risk checks inlined and no governor: it would ignore the breakers.
                if (input.breakers !== undefined) throw kernelWithBreakers();
                // It sizes by `sizing` alone: reinvestment's budget is the execution engine's.
                if (input.config.reinvestment !== undefined) throw kernelWithReinvestment();
                return kernel(input, params);
              },
      };
    },
  };
}

function kernelWithBreakers(): AutobotError {
  const message = 'the fast kernel cannot apply circuit breakers: run this backtest in api mode';
  return new AutobotError('invalid_input', message, { issues: [{ path: 'mode', message }] });
}

function kernelWithReinvestment(): AutobotError {
  const message = 'the fast kernel cannot size by a reinvestment policy: run this backtest in api mode';
  return new AutobotError('invalid_input', message, { issues: [{ path: 'mode', message }] });
}

function parseStrategyParams<P extends StrategyParams>(
  strategy: Strategy<P, unknown>,
  raw: Record<string, number>,
): P {
  const parsed = strategy.paramsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues: FieldIssue[] = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: `params.${key}`,
          message: `${strategy.name} has no parameter "${key}"`,
        }))
      : [{ path: ['params', ...issue.path.map(String)].join('.'), message: issue.message }],
  );
  const first = issues[0]!;
  throw new AutobotError('invalid_input', `${first.path}: ${first.message}`, { issues });
}

function definedNumbers(params: StrategyParams): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(params)) if (value !== undefined) out[name] = value;
  return out;
}

const builtIns: readonly StrategyEntry[] = [
  registerStrategy(smaCross, ({ candles, config, ticker, equityOut }, params) =>
    withBarArrays(candles, (arrays) =>
      smaCrossKernel(
        candles,
        {
          fast: sma(candles.close, params.fast, arrays.take()),
          slow: sma(candles.close, params.slow, arrays.take()),
        },
        config,
        'full',
        { ticker, equityOut },
      ),
    ),
  ),
  registerStrategy(rsiStrategy, (input, params) => {
    const { candles, config, ticker, equityOut } = input;
    const sentiment =
      params.minSentiment === undefined
        ? null
        : requireSeries({ candles, params, series: input.series }, 'sentiment', 'params.minSentiment');
    return withBarArrays(candles, (arrays) =>
      rsiKernel(
        candles,
        {
          rsi: rsi(candles.close, params.period, arrays.take()),
          lower: params.lower,
          upper: params.upper,
          bracket: { takeProfitPct: params.takeProfitPct, stopLossPct: params.stopLossPct },
          sentiment,
          minSentiment: params.minSentiment ?? -Infinity,
        },
        config,
        'full',
        { ticker, equityOut },
      ),
    );
  }),
  // A trained RL policy (issue #15): no kernel, it runs through the strategy-object API.
  registerStrategy(rlPolicy, null),
];

/** A kernel run's indicators in arrays lent for the run (as the engine lends them to init()). */
function withBarArrays(candles: CandleColumns, run: (arrays: BarArrays) => EngineOutput): EngineOutput {
  const arrays = new BarArrays(candles.close.length);
  try {
    return run(arrays);
  } finally {
    arrays.release();
  }
}

const byName = new Map(builtIns.map((entry) => [entry.name, entry]));

export const strategyNames: readonly string[] = builtIns.map((entry) => entry.name);

export function findStrategy(name: string): StrategyEntry | undefined {
  return byName.get(name);
}

/** The strategy named `name`, or AutobotError('invalid_input') at `strategy` listing the known ones. */
export function getStrategy(name: string): StrategyEntry {
  const entry = byName.get(name);
  if (entry !== undefined) return entry;
  const message = `unknown strategy "${name}" (known: ${strategyNames.join(', ')})`;
  throw new AutobotError('invalid_input', message, { issues: [{ path: 'strategy', message }] });
}

export function listStrategies(): readonly StrategyEntry[] {
  return builtIns;
}
