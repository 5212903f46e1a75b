// One ccxt instance per exchange and API key, shared by every bot that trades with that key.
// ccxt's rate limiter lives in the instance and believes it owns the whole quota: two instances on
// one key each spend the full budget and together earn the IP ban users report (docs/venues.md).
// So instances are made here only, keyed by (exchange, key, REST base, sandbox), and reused.
import { createHash } from 'node:crypto';
import type { Exchange } from 'ccxt';
import { rewriteApiUrls, type UrlTree } from './api-url.ts';
import { hasTestNetwork, loadExchangeClass } from './exchange-class.ts';
import { handleOrphanFutures } from './orphan-futures.ts';

export interface ExchangeConfig {
  /** ccxt's id: "binance", "kraken", "okx"… */
  exchange: string;
  apiKey?: string | undefined;
  secret?: string | undefined;
  /** OKX, KuCoin and a few others call it a passphrase; ccxt calls it `password`. */
  password?: string | undefined;
  /** Another REST base (a mirror, a local simulator): every `urls.api` entry keeps its path. */
  apiUrl?: string | undefined;
  /** The exchange's test network; refused where the exchange has none. */
  sandbox?: boolean | undefined;
  /** Per request, ms (ccxt's default is 10 s). */
  timeoutMs?: number | undefined;
  /** ccxt's limiter (default on). Off only for a loopback peer that has no quota (the bench). */
  rateLimit?: boolean | undefined;
}

/**
 * Options per exchange that keep loadMarkets to the spot endpoints: else Binance also calls futures
 * and margin, and OKX lists its swaps, futures and options (one instruments request each).
 */
const spotOnly: Record<string, Record<string, unknown>> = {
  binance: {
    fetchMarkets: { types: ['spot'] },
    fetchCurrencies: false,
    fetchMargins: false,
    defaultType: 'spot',
    warnOnFetchOpenOrdersWithoutSymbol: false,
  },
  okx: { fetchMarkets: { types: ['spot'] } },
  okxus: { fetchMarkets: { types: ['spot'] } },
  myokx: { fetchMarkets: { types: ['spot'] } },
};

export class ExchangeRegistry {
  private readonly instances = new Map<string, Promise<Exchange>>();

  /** The shared instance for this exchange and key, made on first use. */
  get(config: ExchangeConfig): Promise<Exchange> {
    // A changed secret for the same key is a new instance; the secret itself is not kept in the key.
    const secret = createHash('sha256')
      .update(`${config.secret ?? ''}\0${config.password ?? ''}`)
      .digest('hex');
    const key = JSON.stringify([
      config.exchange,
      config.apiKey ?? '',
      secret,
      config.apiUrl ?? '',
      config.sandbox === true,
    ]);
    let instance = this.instances.get(key);
    if (instance === undefined) {
      instance = createExchange(config);
      this.instances.set(key, instance);
      // A failed creation (unknown exchange) is not cached: the next attempt tries again.
      instance.catch(() => this.instances.delete(key));
    }
    return instance;
  }

  /** How many instances exist: one per exchange and key, whatever the number of bots. */
  get size(): number {
    return this.instances.size;
  }

  async closeAll(): Promise<void> {
    const all = [...this.instances.values()];
    this.instances.clear();
    for (const instance of all) {
      const exchange = await instance.catch(() => undefined);
      await exchange?.close?.().catch(() => undefined);
    }
  }
}

/** The process-wide registry: every venue and download of this process goes through it. */
export const exchanges = new ExchangeRegistry();

export async function createExchange(config: ExchangeConfig): Promise<Exchange> {
  const Class = await loadExchangeClass(config.exchange);
  const exchange = new Class({
    enableRateLimit: config.rateLimit ?? true,
    timeout: config.timeoutMs ?? 10_000,
    ...(config.apiKey !== undefined ? { apiKey: config.apiKey } : {}),
    ...(config.secret !== undefined ? { secret: config.secret } : {}),
    ...(config.password !== undefined ? { password: config.password } : {}),
    options: { ...(spotOnly[config.exchange] ?? {}) },
  });
  handleOrphanFutures(exchange);
  if (config.sandbox === true) {
    if (!hasTestNetwork(exchange))
      throw new RangeError(`sandbox: ${config.exchange} has no test network in ccxt`);
    exchange.setSandboxMode(true);
  }
  if (config.apiUrl !== undefined) {
    exchange.urls['api'] = rewriteApiUrls(exchange.urls['api'] as UrlTree, config.apiUrl) as never;
    // ccxt refuses a non-TLS ws:// stream until its plain http agent is loaded (docs/venues.md).
    if (config.apiUrl.startsWith('http://')) await exchange.loadHttpProxyAgent();
  }
  return exchange;
}
