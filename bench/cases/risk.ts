// risk.check: the governor's pre-trade check with every default breaker enabled (daily loss, loss
// streak, volatility, max drawdown, kill switch, order-rate throttle), as the order path calls it:
// entries and exits of several bots on several symbols, with trips in force that hold other bots
// and symbols (so the check walks them) and throttle windows already counting. One run is
// `checks` calls; `per_check_ms` is the figure for issue #12's goal (median ≤ 0.002 ms).
//
// risk.backtest-api-breakers: backtest.api's run (rsi with take-profit and stop-loss on 1,000,000
// synthetic 1-minute candles, the strategy-object engine) with every default breaker applied
// through the governor (core/backtest/breaker-run.ts). Goal: ≤ 2× the same run without breakers.
// Each timed run is paired with a breakers-off run on the same series, in turn first and second,
// so both figures come from the same machine state (a shared machine's load swings within
// seconds): `breakers_off_ms` is the median of the off runs, `ratio` the median of the pairs'
// ratios. `cpu_ratio` is the same from the main thread's CPU time, which a busy machine inflates
// far less than the clock (a run that waits for a core is not charged for the wait).
import { runStrategy, simulationConfig } from '../../core/backtest/engine.ts';
import { backtestSpecSchema } from '../../core/backtest/spec.ts';
import { breakerSettings, governorFromSettings } from '../../core/risk/breaker-settings.ts';
import type { CandleColumns } from '../../core/storage/candle-columns.ts';
import { getStrategy } from '../../core/strategies/registry.ts';
import { rsiStrategy } from '../../core/strategies/rsi.ts';
import { median } from '../harness.ts';
import { syntheticMinuteCandles } from '../synthetic-candles.ts';
import type { RiskGovernor, RiskIntent } from '../../core/risk/risk-governor.ts';
import type { BenchCase } from '../harness.ts';

const checks = 200_000;

interface CheckState {
  governor: RiskGovernor;
  clock: { now: number };
  intents: RiskIntent[];
  positions: number[];
  accepted: number;
}

const million = 1_000_000;
const rawParams = { period: 14, lower: 30, upper: 70, takeProfitPct: 1, stopLossPct: 0.5 };
const spec = backtestSpecSchema.parse({ strategy: 'rsi', params: rawParams, commission: 0.001 });
const params = rsiStrategy.paramsSchema.parse(rawParams);

interface BreakerRunState {
  candles: CandleColumns;
  equityOut: Float64Array;
  /** Each timed run's breakers-off time and on/off ratio, warm-up runs included (dropped below). */
  offTimes: number[];
  ratios: number[];
  cpuRatios: number[];
  trips: number;
  trades: number;
}

const apiRun = (state: BreakerRunState, breakers: ReturnType<typeof breakerSettings> | undefined) =>
  getStrategy('rsi')
    .prepare(rawParams)
    .api({
      candles: state.candles,
      series: {},
      config: simulationConfig(spec),
      ticker: null,
      equityOut: state.equityOut,
      breakers,
    });

/** The breakers-off figure, as backtest.api runs it (runStrategy straight). */
const offRun = (state: BreakerRunState) =>
  runStrategy(rsiStrategy, params, {
    candles: state.candles,
    series: {},
    config: simulationConfig(spec),
    ticker: null,
    equityOut: state.equityOut,
  });

/** Wall-clock and main-thread CPU milliseconds of one run. */
const timed = (run: () => unknown): { ms: number; cpuMs: number } => {
  const cpu = process.threadCpuUsage();
  const started = performance.now();
  run();
  const ms = performance.now() - started;
  const used = process.threadCpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
};

const breakerRuns = 15;
const breakerWarmup = 3;

const defaults = breakerSettings({});

export const riskCases: BenchCase[] = [
  {
    name: 'risk.check',
    runs: 21,
    warmup: 5,
    setup: (): CheckState => {
      const clock = { now: Date.UTC(2026, 0, 5, 9) };
      const governor = governorFromSettings({}, () => clock.now);
      // Trips in force elsewhere: a cooling-down bot and a paused symbol the orders below do not trade.
      for (let i = 0; i < 3; i++) governor.onTrade({ owner: 'bot-cold', symbol: 'GBPUSD', pnl: -1 });
      governor.onBar('XAUUSD', { time: 0, open: 100, high: 100, low: 100, close: 100, volume: 1 });
      governor.onBar('XAUUSD', { time: 60, open: 100, high: 105, low: 100, close: 105, volume: 1 });
      governor.onEquity(10_000);
      const intents: RiskIntent[] = [];
      const positions: number[] = [];
      for (let bot = 0; bot < 8; bot++) {
        for (const symbol of ['EURUSD', 'BTCUSD']) {
          const intent = { owner: `bot-${bot}`, venue: 'sim', symbol, side: 'buy' as const, quantity: 1 };
          governor.admit(intent, { position: 0 });
          intents.push(intent, { ...intent, side: 'sell' });
          positions.push(0, 1);
        }
      }
      return { governor, clock, intents, positions, accepted: 0 };
    },
    run: (state) => {
      const s = state as CheckState;
      const { governor, intents, positions } = s;
      let accepted = 0;
      for (let i = 0; i < checks; i++) {
        s.clock.now += 1;
        const k = i % intents.length;
        if (governor.check(intents[k]!, { position: positions[k]! }).accepted) accepted++;
      }
      s.accepted = accepted;
    },
    figures: (medianMs, state) => ({
      checks,
      per_check_ms: Number((medianMs / checks).toPrecision(3)),
      goal_per_check_ms: 0.002,
      accepted: (state as CheckState).accepted,
    }),
  },
  {
    name: 'risk.backtest-api-breakers',
    runs: breakerRuns,
    warmup: breakerWarmup,
    setup: (): BreakerRunState => {
      const state: BreakerRunState = {
        candles: syntheticMinuteCandles(million),
        equityOut: new Float64Array(million),
        offTimes: [],
        ratios: [],
        cpuRatios: [],
        trips: 0,
        trades: 0,
      };
      const output = apiRun(state, defaults);
      state.trips = output.breakerTrips?.length ?? 0;
      state.trades = output.trades.length;
      return state;
    },
    measure: (state) => {
      const s = state as BreakerRunState;
      // Alternate which goes first, so neither always inherits the other's warm caches.
      const offFirst = s.offTimes.length % 2 === 0;
      const early = offFirst ? timed(() => offRun(s)) : null;
      const on = timed(() => apiRun(s, defaults));
      const off = early ?? timed(() => offRun(s));
      s.offTimes.push(off.ms);
      s.ratios.push(on.ms / off.ms);
      s.cpuRatios.push(on.cpuMs / off.cpuMs);
      return Promise.resolve(on.ms);
    },
    figures: (_medianMs, state) => {
      const s = state as BreakerRunState;
      const offTimes = s.offTimes.slice(breakerWarmup);
      return {
        breakers_off_ms: Number(median(offTimes).toFixed(2)),
        ratio: Number(median(s.ratios.slice(breakerWarmup)).toFixed(2)),
        cpu_ratio: Number(median(s.cpuRatios.slice(breakerWarmup)).toFixed(2)),
        goal_ratio: 2,
        trips: s.trips,
        trades: s.trades,
      };
    },
  },
];
