// What the Account page needs to know about an exchange before connecting to it: its name, whether
// ccxt has a test network for it (else the sandbox switch must stay off), whether it streams order
// updates, and whether its keys come with a passphrase. Read from the ccxt class, no network.
import { hasTestNetwork, loadExchangeClass } from './exchange-class.ts';

export interface ExchangeDescription {
  /** ccxt's id, as asked. */
  exchange: string;
  /** ccxt's name for people: "Binance", "Coinbase Advanced"… */
  name: string;
  hasSandbox: boolean;
  hasWatchOrders: boolean;
  requiresPassphrase: boolean;
}

// A class's description does not change while the process runs; an instance costs tens of ms.
const described = new Map<string, ExchangeDescription>();

/** Throws a RangeError naming the field `exchange` when ccxt has no exchange of that id. */
export async function describeExchange(id: string): Promise<ExchangeDescription> {
  const cached = described.get(id);
  if (cached) return cached;
  const Class = await loadExchangeClass(id);
  // A bare instance: no key, no request; ccxt fills urls, `has` and the credentials it wants.
  const exchange = new Class({});
  const description: ExchangeDescription = {
    exchange: id,
    name: exchange.name ?? id,
    hasSandbox: hasTestNetwork(exchange),
    hasWatchOrders: exchange.has['watchOrders'] === true,
    requiresPassphrase: exchange.requiredCredentials['password'] === true,
  };
  described.set(id, description);
  return description;
}
