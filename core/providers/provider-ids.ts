// The providers AUTOBOT can fetch from, by the id their key is filed under in the vault.
export const providerIds = ['alphavantage', 'twelvedata', 'coingecko', 'fred', 'newsapi', 'shopify'] as const;
export type ProviderId = (typeof providerIds)[number];

export const providerTitles: Record<ProviderId, string> = {
  alphavantage: 'AlphaVantage',
  twelvedata: 'TwelveData',
  coingecko: 'CoinGecko',
  fred: 'FRED',
  newsapi: 'NewsAPI',
  shopify: 'Shopify',
};

/** Where each provider answers; tests point these at loopback peers (AppOptions.providerEndpoints). */
export const defaultEndpoints: Record<ProviderId, string> = {
  alphavantage: 'https://www.alphavantage.co',
  twelvedata: 'https://api.twelvedata.com',
  coingecko: 'https://api.coingecko.com',
  fred: 'https://api.stlouisfed.org',
  newsapi: 'https://newsapi.org',
  // The store's own domain replaces this (https://DOMAIN); kept for the type's sake.
  shopify: 'https://{store}.myshopify.com',
};

export function isProviderId(value: string): value is ProviderId {
  return (providerIds as readonly string[]).includes(value);
}
