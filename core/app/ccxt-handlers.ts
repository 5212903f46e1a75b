// exchange.testConnection: the Account page's "Test connection". The key is read from the vault
// inside the core only (never returned); the connection goes through the shared registry, so a
// test uses the same instance, and limiter, the bots on that key will use.
import type { Handlers } from '../contract/dispatch.ts';
import { AutobotError } from '../contract/errors.ts';
import type { ApiKeyVault } from '../secrets/api-key-vault.ts';
import { CcxtVenue } from '../venues/ccxt/ccxt-venue.ts';
import { VenueError } from '../venues/venue-error.ts';

export function ccxtHandlers(deps: { vault: ApiKeyVault }): Pick<Handlers, 'exchange.testConnection'> {
  return {
    'exchange.testConnection': async (input) => {
      const credential = await deps.vault.reveal(input.exchange);
      const venue = new CcxtVenue({
        exchange: input.exchange,
        apiKey: credential.key,
        secret: credential.secret,
        password: credential.passphrase,
        apiUrl: input.apiUrl,
        sandbox: input.sandbox,
        pollIntervalMs: 0,
      });
      try {
        await venue.connect();
        const markets = (await venue.instruments()).length;
        const balances = await venue.balances();
        return {
          exchange: input.exchange,
          sandbox: input.sandbox,
          markets,
          assets: balances.filter((b) => b.free + b.locked > 0).length,
          clockOffsetMs: await venue.clockOffsetMs(),
        };
      } catch (error) {
        if (error instanceof VenueError) {
          const field = error.code === 'invalid' && /^sandbox:/.test(error.message) ? 'sandbox' : undefined;
          throw new AutobotError(field ? 'invalid_input' : 'venue_error', error.message, {
            detail: { kind: error.kind, code: error.code },
            ...(field ? { issues: [{ path: field, message: error.message.replace(/^sandbox: /, '') }] } : {}),
          });
        }
        throw error;
      } finally {
        await venue.disconnect();
      }
    },
  };
}
