// Prices at the instrument's precision: EURUSD at 5 decimals, shares and BTC at 2. The decimals
// come with the bars (candles.window's priceDecimals, recorded per series when it was imported);
// the text comes from the one formatter every host uses (core/domain/price-format.ts).
import { formatAtDecimals } from '../../../../core/contract/price-format.ts';

export function formatPrice(price: number, decimals: number): string {
  return formatAtDecimals(price, decimals, { grouping: true });
}

/** Volumes compact (1.2M, 35.4K), whole below a thousand. */
export function formatVolume(volume: number): string {
  if (Math.abs(volume) >= 1000)
    return volume.toLocaleString('en-US', { notation: 'compact', maximumFractionDigits: 2 });
  return volume.toLocaleString('en-US', { maximumFractionDigits: 4 });
}
