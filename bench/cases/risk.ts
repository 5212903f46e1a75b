// risk.check: the governor's pre-trade check with every default breaker enabled (daily loss, loss
// streak, volatility, max drawdown, kill switch, order-rate throttle), as the order path calls it:
// entries and exits of several bots on several symbols, with trips in force that hold other bots
// and symbols (so the check walks them) and throttle windows already counting. One run is
// `checks` calls; `per_check_ms` is the figure for issue #12's goal (median ≤ 0.002 ms).
import { governorFromSettings } from '../../core/risk/breaker-settings.ts';
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
];
