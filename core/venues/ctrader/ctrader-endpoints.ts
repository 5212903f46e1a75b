// Demo and Live are separate cTrader environments: separate hosts, connections, accounts and
// tokens. A venue is bound to one of them for its whole life and its id says which.
import type { Endpoint } from './tls-websocket.ts';

export type CTraderEnvironment = 'demo' | 'live';

/** Port 5036 speaks the JSON envelope (5035 is Protobuf only); both are TLS. */
export const ctraderJsonPort = 5036;

export function ctraderEndpoint(environment: CTraderEnvironment): Endpoint {
  return {
    host: environment === 'live' ? 'live.ctraderapi.com' : 'demo.ctraderapi.com',
    port: ctraderJsonPort,
  };
}

export function ctraderVenueId(environment: CTraderEnvironment): string {
  return `ctrader-${environment}`;
}
