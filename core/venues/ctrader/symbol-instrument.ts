// A cTrader symbol (light list entry + full ProtoOASymbol) → our Instrument. Prices are sent with
// the symbol's `digits`; quantities are units, in steps of `stepVolume` (hundredths of a unit),
// from `minVolume`. A symbol whose details are missing is refused by field rather than guessed.
import { defineInstrument, type Instrument } from '../../domain/instrument.ts';
import { readInt64, volumeToUnits } from './scaling.ts';

export interface CTraderSymbol {
  symbolId: number;
  name: string;
  digits: number;
  /** Units in one lot (lotSize / 100). */
  lotUnits: number;
  instrument: Instrument;
}

export function toCTraderSymbol(
  venue: string,
  light: Record<string, unknown>,
  full: Record<string, unknown>,
): CTraderSymbol {
  const symbolId = readInt64(light.symbolId, 'symbol.symbolId');
  const name = typeof light.symbolName === 'string' ? light.symbolName : '';
  if (name === '') throw new RangeError(`symbol ${symbolId}: symbolName is missing`);
  const digits = readInt64(full.digits, `${name}.digits`);
  const step = volumeToUnits(full.stepVolume, `${name}.stepVolume`);
  const min = full.minVolume === undefined ? step : volumeToUnits(full.minVolume, `${name}.minVolume`);
  return {
    symbolId,
    name,
    digits,
    lotUnits: full.lotSize === undefined ? 1 : volumeToUnits(full.lotSize, `${name}.lotSize`),
    instrument: defineInstrument({
      symbol: name,
      venue,
      priceDecimals: digits,
      quantityStep: step,
      minQuantity: min,
    }),
  };
}
