// Ruin: an account whose equity reaches zero stops trading, visibly, instead of trading on below
// zero (a BTCUSD sma-cross backtest used to end at −13,573). The rule, the same for a backtest and
// a bot (core/runtime/strategy-runner.ts): at the first close where marked equity is zero or less,
// the position is closed at that close (slipped, with its fee, as `closeAtEnd` closes one), the
// trade's exit reason is `ruin`, and nothing trades afterwards: equity stays where that left it.
// Equity may end a little below zero — by the last bar's move past the point of ruin — because
// fills happen at prices, not at the exact level where the money ran out.
//
// Applied after the run rather than inside the bar loops: the engine and the kernels are causal
// (bar r's state does not depend on later bars), so running them again on the bars up to r with
// `closeAtEnd` gives, bit for bit, the account a run that stopped at r would have — and the hot
// loops, the kernels' parity with the engine and their speed figures stay exactly as they were.
import { sliceCandles } from '../storage/candle-columns.ts';
import type { SeriesSet } from '../strategies/strategy.ts';
import type { EngineOutput, SimulationInput } from './engine.ts';

/** The first bar whose close marks equity at zero or below, or −1. */
export function firstRuinBar(equity: Float64Array): number {
  for (let i = 0; i < equity.length; i++) if (!(equity[i]! > 0)) return i;
  return -1;
}

/** `output` as it would be had trading stopped at the first ruined close; unchanged when equity stayed above zero. */
export function stopAtRuin(
  output: EngineOutput,
  input: SimulationInput,
  run: (input: SimulationInput) => EngineOutput,
): EngineOutput {
  const bar = firstRuinBar(output.equity);
  if (bar < 0) return output;
  const markedEquity = output.equity[bar]!;
  const series: Record<string, Float64Array> = {};
  for (const [name, values] of Object.entries(input.series as SeriesSet))
    series[name] = values.subarray(0, bar + 1);
  const stopped = run({
    candles: sliceCandles(input.candles, 0, bar + 1),
    series,
    config: { ...input.config, closeAtEnd: true },
    ticker: null,
  });
  const equity = output.equity;
  equity.set(stopped.equity);
  equity.fill(stopped.equity[bar]!, bar + 1);
  const trades = stopped.trades;
  const last = trades.at(-1);
  if (last !== undefined && last.exitBar === bar && last.exitReason === 'end') last.exitReason = 'ruin';
  return { ...stopped, equity, trades, openPosition: null, ruin: { bar, equity: markedEquity } };
}
