// ccxt's WebSocket clients keep a "future" (a promise) per message they wait for, and some are made
// ahead with nobody awaiting them: ccxt 4.5's binance creates one in
// ensureUserDataStreamWsSubscribeSignature (the user stream watchOrders reads) so that concurrent
// callers can wait on it. When the connection is refused or drops, the client rejects every future,
// that one included, and its rejection has no handler: Node reports an unhandled rejection per
// attempt, and a host that ends on those (Node's default) would stop while the stream is down.
// Here every future a client makes gets a handler that does nothing; whoever awaits one still
// receives its rejection, since a handler marks a promise handled without consuming it.
import type { Exchange } from 'ccxt';

interface FutureClient {
  future(messageHash: string): Promise<unknown>;
  orphanFuturesHandled?: true;
}

export function handleOrphanFutures(exchange: Exchange): void {
  const pro = exchange as unknown as { client?: (url: string) => FutureClient };
  const makeClient = pro.client;
  if (typeof makeClient !== 'function') return;
  pro.client = (url: string) => {
    const client = makeClient.call(exchange, url);
    if (client.orphanFuturesHandled !== true) {
      const future = client.future.bind(client);
      client.future = (messageHash: string) => {
        const made = future(messageHash);
        made.catch(() => undefined);
        return made;
      };
      client.orphanFuturesHandled = true;
    }
    return client;
  };
}
