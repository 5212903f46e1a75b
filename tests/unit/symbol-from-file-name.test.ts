import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { symbolSchema } from '../../core/contract/calls.ts';
import { symbolFromFileName } from '../../core/data/symbol-from-file-name.ts';

describe('symbolFromFileName', () => {
  it.each([
    ['BTCUSD.csv', 'BTCUSD'],
    ['GOOG.csv', 'GOOG'],
    ['goog.CSV', 'GOOG'],
    ['binance_BTC-USDT_1h.csv', 'BTC-USDT'],
    ['EURUSD_H1_2020-2024.csv', 'EURUSD'],
    ['AAPL daily 2010-01-01.csv', 'AAPL'],
    ['/home/me/Downloads/ETHUSDT-1m-2024-05.csv', 'ETHUSDT'],
    ['C:\\data\\BRK.B.csv', 'BRK.B'],
    ['kraken_XBT-EUR.csv.gz', 'XBT-EUR'],
  ])('%s → %s', (name, symbol) => expect(symbolFromFileName(name)).toBe(symbol));

  it.each(['.csv', '2024-01-01.csv', '1h.csv', '%%%.csv'])('%s proposes nothing', (name) =>
    expect(symbolFromFileName(name)).toBeNull(),
  );

  it('property: any file name gives null or a symbol the contract accepts', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (name) => {
        const symbol = symbolFromFileName(`${name}.csv`);
        if (symbol !== null) expect(symbolSchema.safeParse(symbol).success).toBe(true);
      }),
    );
  });
});
