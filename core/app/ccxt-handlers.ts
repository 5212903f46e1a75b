// exchange.describe, exchange.testConnection and exchange.reconcile: the Account page's sandbox
// switch, "Test connection" and "Reconcile". The key is read from the vault inside the core only (never returned); the connection
// goes through the shared registry, so both use the same instance, and limiter, the bots on that
// key will use.
import type { Handlers } from '../contract/dispatch.ts';
import { AutobotError } from '../contract/errors.ts';
import type { OrderJournal } from '../orders/order-journal.ts';
import { Reconciler } from '../orders/reconciler.ts';
import type { RiskGovernor } from '../risk/risk-governor.ts';
import type { ApiKeyVault } from '../secrets/api-key-vault.ts';
import type { Database } from '../storage/database.ts';
import { CcxtVenue, type CcxtVenueOptions } from '../venues/ccxt/ccxt-venue.ts';
import { describeExchange } from '../venues/ccxt/describe-exchange.ts';
import { VenueError } from '../venues/venue-error.ts';

export interface CcxtHandlerDeps {
  vault: ApiKeyVault;
  db: Database;
  /** The journal of record (the bots'). */
  journal: OrderJournal;
  /** The exchange symbols the exchange-fed bots of this exchange trade. */
  symbolsOf: (exchange: string) => string[];
  /** The account's governor: adoptions hold it REDUCING until acknowledged (breaker `reconcile`). */
  governor?: Pick<RiskGovernor, 'trip' | 'rearm'>;
}

export function ccxtHandlers(
  deps: CcxtHandlerDeps,
): Pick<
  Handlers,
  'exchange.describe' | 'exchange.testConnection' | 'exchange.reconcile' | 'exchange.acknowledge'
> {
  return {
    'exchange.describe': async (input) => {
      try {
        return { ...(await describeExchange(input.exchange)) };
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        const message = error.message.replace(/^exchange: /, '');
        throw new AutobotError('invalid_input', error.message, { issues: [{ path: 'exchange', message }] });
      }
    },
    'exchange.testConnection': async (input) => {
      const venue = await onDemandVenue(deps.vault, input);
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
        throw refusal(error);
      } finally {
        await venue.disconnect();
      }
    },
    'exchange.reconcile': async (input) => {
      const symbols = input.symbols ?? deps.symbolsOf(input.exchange);
      const venue = await onDemandVenue(deps.vault, input, {
        symbols,
        symbolOf: (id) => deps.journal.get(id)?.intent.symbol,
      });
      try {
        await venue.connect();
      } catch (error) {
        await venue.disconnect();
        throw refusal(error);
      }
      // The periodic and reconnect runs belong to a live venue's own reconciler; this is the on-demand one.
      const reconciler = new Reconciler({
        db: deps.db,
        journal: deps.journal,
        venue,
        intervalMs: 0,
        governor: deps.governor,
      });
      try {
        const run = await reconciler.run('manual');
        return {
          runId: run.id,
          venue: run.venue,
          startedAt: run.startedAt,
          finishedAt: run.finishedAt,
          error: run.error,
          symbols: [...symbols],
          changes: run.changes.map((change) => ({ ...change })),
          adoptions: reconciler
            .adoptions()
            .filter((a) => a.acknowledgedAt === null)
            .map(({ kind, ref, symbol, quantity, detail }) => ({ kind, ref, symbol, quantity, detail })),
        };
      } finally {
        await reconciler.stop();
        await venue.disconnect();
      }
    },
    'exchange.acknowledge': async (input) => {
      // Acknowledging reads and writes only the journal: the venue is named, never connected.
      const venue = new CcxtVenue({ exchange: input.exchange, sandbox: input.sandbox, pollIntervalMs: 0 });
      const reconciler = new Reconciler({
        db: deps.db,
        journal: deps.journal,
        venue,
        intervalMs: 0,
        governor: deps.governor,
      });
      return { acknowledged: reconciler.acknowledge() };
    },
  };
}

/**
 * A venue for one call on the stored key: the key stays inside the core, and no polling runs since
 * the call ends with a disconnect.
 */
async function onDemandVenue(
  vault: ApiKeyVault,
  input: { exchange: string; apiUrl?: string | undefined; sandbox: boolean },
  extra: Pick<CcxtVenueOptions, 'symbols' | 'symbolOf'> = {},
): Promise<CcxtVenue> {
  const credential = await vault.reveal(input.exchange);
  return new CcxtVenue({
    exchange: input.exchange,
    apiKey: credential.key,
    secret: credential.secret,
    password: credential.passphrase,
    apiUrl: input.apiUrl,
    sandbox: input.sandbox,
    pollIntervalMs: 0,
    ...extra,
  });
}

/** A venue's refusal as the error the page shows: the exchange's own words, its kind and code. */
function refusal(error: unknown): unknown {
  if (!(error instanceof VenueError)) return error;
  const field = error.code === 'invalid' && /^sandbox:/.test(error.message) ? 'sandbox' : undefined;
  return new AutobotError(field ? 'invalid_input' : 'venue_error', error.message, {
    detail: { kind: error.kind, code: error.code },
    ...(field ? { issues: [{ path: field, message: error.message.replace(/^sandbox: /, '') }] } : {}),
  });
}
