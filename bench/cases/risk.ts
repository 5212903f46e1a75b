// risk.check: the governor's pre-trade check with every default breaker enabled (daily loss, loss
// streak, volatility, max drawdown, kill switch, order-rate throttle), as the order path calls it:
// entries and exits of several bots on several symbols, with trips in force that hold other bots
// and symbols (so the check walks them) and throttle windows already counting. One run is
// `checks` calls; `per_check_ms` is the figure for issue #12's goal (median ≤ 0.002 ms).
//
// risk.backtest-api-breakers: backtest.api's run (rsi with take-profit and stop-loss on 1,000,000
// synthetic 1-minute candles, the strategy-object engine) with every default breaker applied
// through the governor (core/backtest/breaker-run.ts). Goal: ≤ 2× the same run without breakers,
// which setup measures on the same series (median of 7) and reports beside it as `ratio`.
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
  offMs: number;
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
    runs: 11,
    warmup: 3,
    setup: (): BreakerRunState => {
      const state: BreakerRunState = {
        candles: syntheticMinuteCandles(million),
        equityOut: new Float64Array(million),
        offMs: 0,
        trips: 0,
        trades: 0,
      };
      // The breakers-off figure, as backtest.api runs it (runStrategy straight), on this series.
      const off = () =>
        runStrategy(rsiStrategy, params, {
          candles: state.candles,
          series: {},
          config: simulationConfig(spec),
          ticker: null,
          equityOut: state.equityOut,
        });
      for (let i = 0; i < 3; i++) off();
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const started = performance.now();
        off();
        times.push(performance.now() - started);
      }
      state.offMs = median(times);
      const output = apiRun(state, defaults);
      state.trips = output.breakerTrips?.length ?? 0;
      state.trades = output.trades.length;
      return state;
    },
    run: (state) => apiRun(state as BreakerRunState, defaults),
    figures: (medianMs, state) => {
      const s = state as BreakerRunState;
      return {
        breakers_off_ms: Number(s.offMs.toFixed(2)),
        ratio: Number((medianMs / s.offMs).toFixed(2)),
        goal_ratio: 2,
        trips: s.trips,
        trades: s.trades,
      };
    },
  },
];
