import { runStrategy, simulationConfig } from './core/backtest/engine.ts';
import { backtestSpecSchema } from './core/backtest/spec.ts';
import { breakerSettings } from './core/risk/breaker-settings.ts';
import { getStrategy } from './core/strategies/registry.ts';
import { rsiStrategy } from './core/strategies/rsi.ts';
import { syntheticMinuteCandles } from './bench/synthetic-candles.ts';
const rawParams = { period: 14, lower: 30, upper: 70, takeProfitPct: 1, stopLossPct: 0.5 };
const spec = backtestSpecSchema.parse({ strategy: 'rsi', params: rawParams, commission: 0.001 });
const params = rsiStrategy.paramsSchema.parse(rawParams);
const candles = syntheticMinuteCandles(1_000_000);
const equityOut = new Float64Array(1_000_000);
const defaults = breakerSettings({});
const mode = process.argv[2] ?? 'both';
const on = () => getStrategy('rsi').prepare(rawParams).api({ candles, series: {}, config: simulationConfig(spec), ticker: null, equityOut, breakers: defaults });
const off = () => runStrategy(rsiStrategy, params, { candles, series: {}, config: simulationConfig(spec), ticker: null, equityOut });
const times: Record<string, number[]> = { on: [], off: [] };
for (let k = 0; k < 30; k++) {
  for (const [name, f] of [['off', off], ['on', on]] as const) {
    if (mode !== 'both' && mode !== name) continue;
    const t = process.threadCpuUsage(); f(); const u = process.threadCpuUsage(t); times[name]!.push((u.user + u.system) / 1000);
  }
}
const med = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1];
const mn = (a: number[]) => Math.min(...a);
console.log('off', med(times.off!)?.toFixed(1), 'on', med(times.on!)?.toFixed(1), 'min off', mn(times.off!).toFixed(1), 'min on', mn(times.on!).toFixed(1));
