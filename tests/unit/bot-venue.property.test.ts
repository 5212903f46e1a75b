// Where a bot's orders go, as the contract decides it for any definition: `live` is refused on a
// replay (naming venue), real money is exactly cTrader Live or an exchange outside its sandbox, a
// live exchange bot's orders carry the exchange's symbol and its bars go to the series (a sandbox's
// apart), and everything else trades under its own symbol.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  botDefinitionSchema,
  exchangeSeries,
  tradedSymbol,
  tradesRealMoney,
} from '../../core/contract/bots-calls.ts';

const feeds = fc.oneof(
  fc.constant({ kind: 'replay' as const }),
  fc.record({
    kind: fc.constant('ctrader' as const),
    environment: fc.constantFrom('demo' as const, 'live' as const),
    accountId: fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: null }),
  }),
  fc.record({
    kind: fc.constant('exchange' as const),
    exchange: fc.constantFrom('binance', 'okx', 'kraken'),
    symbol: fc.constantFrom('BTC/USDT', 'ETH/USDT'),
    timeframe: fc.constant('1h' as const),
    sandbox: fc.boolean(),
  }),
);

describe('a bot’s venue', () => {
  it('is refused as "live" on a replay only, and real money only on cTrader Live or an exchange outside its sandbox', () => {
    fc.assert(
      fc.property(feeds, fc.constantFrom('paper' as const, 'live' as const), (feed, venue) => {
        const symbol = feed.kind === 'exchange' ? exchangeSeries(feed) : 'EURUSD';
        const parsed = botDefinitionSchema.safeParse({
          name: 'b',
          strategy: 'sma-cross',
          params: {},
          symbol,
          timeframe: '1h',
          venue,
          feed,
        });
        if (venue === 'live' && feed.kind === 'replay') {
          expect(parsed.success).toBe(false);
          expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['venue']);
          return;
        }
        expect(parsed.success).toBe(true);
        const definition = parsed.data!;
        const real =
          venue === 'live' &&
          ((feed.kind === 'ctrader' && feed.environment === 'live') ||
            (feed.kind === 'exchange' && !feed.sandbox));
        expect(tradesRealMoney(definition)).toBe(real);
        expect(tradedSymbol(definition)).toBe(
          venue === 'live' && feed.kind === 'exchange' ? feed.symbol : symbol,
        );
        if (feed.kind === 'exchange')
          expect(symbol).toBe(`${feed.exchange}${feed.sandbox ? '-sandbox' : ''}:${feed.symbol}`);
      }),
    );
  });

  it('defaults to paper, and an exchange feed to its real network', () => {
    const parsed = botDefinitionSchema.parse({
      name: 'b',
      strategy: 'sma-cross',
      params: {},
      symbol: 'binance:BTC/USDT',
      timeframe: '1h',
      feed: { kind: 'exchange', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' },
    });
    expect(parsed.venue).toBe('paper');
    expect(parsed.feed).toMatchObject({ sandbox: false });
  });
});
