// A ccxt market as our Instrument: precision and limits as loadMarkets reports them, never guessed.
// ccxt states precision one of two ways (exchange.precisionMode): as the increment itself
// (TICK_SIZE, most exchanges in 4.x, Binance among them) or as a number of decimals
// (DECIMAL_PLACES); both become the instrument's step.
import type { MarketInterface } from 'ccxt';
import { defineInstrument, type Instrument } from '../../domain/instrument.ts';

/** ccxt's precisionMode constants (ccxt/js/src/base/functions/number.js). */
export const decimalPlaces = 2;
export const tickSize = 4;

export function instrumentOf(market: MarketInterface, venue: string, precisionMode: number): Instrument {
  const price = market.precision.price;
  const amount = market.precision.amount;
  const step = (value: number | undefined) =>
    value === undefined
      ? undefined
      : precisionMode === decimalPlaces
        ? Number((10 ** -value).toFixed(value))
        : value;
  return defineInstrument({
    symbol: market.symbol,
    venue,
    tickSize: step(price) ?? 1e-8,
    quantityStep: step(amount) ?? 1e-8,
    minQuantity: market.limits.amount?.min ?? undefined,
    minNotional: market.limits.cost?.min ?? undefined,
  });
}
