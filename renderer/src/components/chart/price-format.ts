// Prices at the instrument's precision: EURUSD at 5 decimals, shares and BTC at 2. Until venues
// describe instruments (issue #7), the decimals are read off the prices themselves.

/** The fewest decimals (2 to 8) that write every sampled price exactly. */
export function detectPriceDecimals(prices: ArrayLike<number>): number {
  const step = Math.max(1, Math.floor(prices.length / 500));
  let decimals = 2;
  for (let i = 0; i < prices.length; i += step) {
    const price = prices[i]!;
    if (!Number.isFinite(price)) continue;
    while (decimals < 8 && Math.abs(price * 10 ** decimals - Math.round(price * 10 ** decimals)) > 1e-6)
      decimals++;
  }
  return decimals;
}

export function formatPrice(price: number, decimals: number): string {
  return price.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Volumes compact (1.2M, 35.4K), whole below a thousand. */
export function formatVolume(volume: number): string {
  if (Math.abs(volume) >= 1000)
    return volume.toLocaleString('en-US', { notation: 'compact', maximumFractionDigits: 2 });
  return volume.toLocaleString('en-US', { maximumFractionDigits: 4 });
}
