// market-intelligence-calls.ts restates calls.ts's symbol and timeframe rules (it cannot import
// calls.ts, which spreads it): the same inputs must pass and fail both.
import { describe, expect, it } from 'vitest';
import { calls } from '../../core/contract/calls.ts';

describe('market-intelligence calls', () => {
  it.each(['GOOG', 'EUR/USD', 'BTC-USDT', '', ' ', 'a b', 'x'.repeat(41), 'GOOG$'])(
    'take the symbol %j exactly when candles.remove does',
    (symbol) => {
      const market = calls['sentiment.series'].input.safeParse({ symbol, timeframe: '1d' }).success;
      const core = calls['candles.remove'].input.safeParse({ symbol, timeframe: '1d' }).success;
      expect(market).toBe(core);
    },
  );

  it.each(['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w', '1M', '2h', ''])(
    'take the timeframe %j exactly when candles.remove does',
    (timeframe) => {
      const market = calls['tech.screen'].input.safeParse({ timeframe }).success;
      const core = calls['candles.remove'].input.safeParse({ symbol: 'GOOG', timeframe }).success;
      expect(market).toBe(core);
    },
  );
});
