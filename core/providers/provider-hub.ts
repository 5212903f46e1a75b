// Which adapter answers for a provider right now: the real one when its key is in the vault, the
// demo generator when not. Every answer says which (`demo`), so pages can label it and storage
// can refuse it.
import { AutobotError } from '../contract/errors.ts';
import type { ApiKeyVault } from '../secrets/api-key-vault.ts';
import { AlphaVantage } from './alphavantage.ts';
import { CoinGecko } from './coingecko.ts';
import type { CandleSource, MacroSource, NewsSource, QuoteSource, RevenueSource } from './data-kinds.ts';
import { DemoMarket } from './demo-data.ts';
import { Fred } from './fred.ts';
import { NewsApi } from './newsapi.ts';
import type { ProviderContext } from './provider-context.ts';
import type { HttpSettings } from './provider-http.ts';
import { defaultEndpoints, type ProviderId } from './provider-ids.ts';
import { shopBaseUrl, Shopify } from './shopify.ts';
import { TwelveData } from './twelvedata.ts';

export interface Resolved<T> {
  source: T;
  demo: boolean;
}

export const candleProviders = ['alphavantage', 'twelvedata', 'coingecko'] as const;
export type CandleProviderId = (typeof candleProviders)[number];

export interface ProviderHubOptions {
  vault: ApiKeyVault;
  /** Base URLs replacing the real ones: loopback peers in tests only. */
  endpoints?: Partial<Record<ProviderId, string>>;
  http?: Partial<HttpSettings>;
  now?: () => number;
}

export class ProviderHub {
  readonly #options: ProviderHubOptions;

  constructor(options: ProviderHubOptions) {
    this.#options = options;
  }

  /** The saved credential's context, or null (demo mode) when none is saved or can be read. */
  async context(id: ProviderId): Promise<ProviderContext | null> {
    let credential;
    try {
      credential = await this.#options.vault.reveal(id);
    } catch (error) {
      // No key saved, or no keychain to hold one: the provider runs on demo data.
      if (
        error instanceof AutobotError &&
        (error.code === 'not_found' || error.code === 'keychain_unavailable')
      )
        return null;
      throw error;
    }
    const override = this.#options.endpoints?.[id];
    const baseUrl = override ?? (id === 'shopify' ? shopBaseUrl(credential.secret) : defaultEndpoints[id]);
    return { key: credential.key, baseUrl, ...(this.#options.http ? { http: this.#options.http } : {}) };
  }

  #demo(id: ProviderId): DemoMarket {
    return new DemoMarket(id, this.#options.now);
  }

  async candles(id: CandleProviderId): Promise<Resolved<CandleSource>> {
    const context = await this.context(id);
    if (!context) return { source: this.#demo(id), demo: true };
    const source =
      id === 'alphavantage'
        ? new AlphaVantage(context)
        : id === 'twelvedata'
          ? new TwelveData(context)
          : new CoinGecko(context);
    return { source, demo: false };
  }

  async quotes(): Promise<Resolved<QuoteSource>> {
    const context = await this.context('coingecko');
    return context
      ? { source: new CoinGecko(context), demo: false }
      : { source: this.#demo('coingecko'), demo: true };
  }

  async macro(): Promise<Resolved<MacroSource>> {
    const context = await this.context('fred');
    return context ? { source: new Fred(context), demo: false } : { source: this.#demo('fred'), demo: true };
  }

  async news(): Promise<Resolved<NewsSource>> {
    const context = await this.context('newsapi');
    return context
      ? { source: new NewsApi(context), demo: false }
      : { source: this.#demo('newsapi'), demo: true };
  }

  async revenue(): Promise<Resolved<RevenueSource>> {
    const context = await this.context('shopify');
    return context
      ? { source: new Shopify(context), demo: false }
      : { source: this.#demo('shopify'), demo: true };
  }
}
