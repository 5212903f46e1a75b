// The ccxt class of an exchange id: the streaming (pro) class where ccxt has one, else the REST one.
// Shared by the registry, which makes instances, and the description, which only reads the class.
import type { Exchange } from 'ccxt';
import { loadCcxt } from './load-ccxt.ts';

export type ExchangeClass = new (options: object) => Exchange;

/** Throws a RangeError naming the field when ccxt has no exchange of that id. */
export async function loadExchangeClass(id: string): Promise<ExchangeClass> {
  const ccxt = await loadCcxt();
  const classes = ccxt.pro as unknown as Record<string, ExchangeClass>;
  const rest = ccxt as unknown as Record<string, ExchangeClass>;
  const Class = classes[id] ?? rest[id];
  // `exchanges` guards against ids that are other exports of the module (`Exchange`, `pro`…).
  if (typeof Class !== 'function' || !Object.hasOwn(ccxt.exchanges, id))
    throw new RangeError(`exchange: ccxt has no exchange "${id}"`);
  return Class;
}

/**
 * Whether ccxt knows a test network for this instance's exchange. ccxt's sandbox switch does not
 * throw without one: it empties urls.api and every later call fails with "GET undefined/…".
 */
export function hasTestNetwork(exchange: Exchange): boolean {
  return exchange.urls['test'] !== undefined;
}
