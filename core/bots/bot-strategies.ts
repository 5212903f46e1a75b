// The strategy objects a bot can run, by name. The registry (core/strategies/registry.ts) hands out
// prepared runs, not the objects; a bot needs the object itself to feed it bar by bar.
import { rsiStrategy } from '../strategies/rsi.ts';
import { smaCross } from '../strategies/sma-cross.ts';
import type { Strategy, StrategyParams } from '../strategies/strategy.ts';

const byName = new Map<string, Strategy<StrategyParams, unknown>>([
  [smaCross.name, smaCross as unknown as Strategy<StrategyParams, unknown>],
  [rsiStrategy.name, rsiStrategy as unknown as Strategy<StrategyParams, unknown>],
]);

export function builtInStrategy(name: string): Strategy<StrategyParams, unknown> | undefined {
  return byName.get(name);
}
