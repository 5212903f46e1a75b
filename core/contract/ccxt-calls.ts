// Calls of crypto exchanges through ccxt (issue #13). Spread into `calls` in calls.ts.
import { z } from 'zod';

const exchangeId = z
  .string()
  .trim()
  .regex(/^[a-z0-9]{2,32}$/, 'exchange is a ccxt id: 2 to 32 lowercase letters and digits, e.g. binance');

const apiUrl = z.url({ protocol: /^https?$/, error: 'apiUrl must be an http(s) URL' });

const changeKinds = [
  'accepted',
  'fill',
  'inferred_fill',
  'canceled',
  'cancel_not_taken',
  'expired',
  'rejected',
  'never_sent',
  'never_received',
  'not_yet_listed',
  'lost',
  'unexplained_fill',
  'external_order',
  'position_diff',
] as const;

export const ccxtCalls = {
  'exchange.describe': {
    summary:
      'What ccxt knows of an exchange before any connection (no network): its name, whether it has a test network (else `sandbox: true` is refused), whether it streams order updates, and whether its keys need a passphrase.',
    input: z.object({ exchange: exchangeId }).strict(),
    output: z.object({
      exchange: z.string(),
      /** ccxt's name for people, e.g. "Binance". */
      name: z.string(),
      /** ccxt has a test URL for it: the Account page's sandbox switch can be on. */
      hasSandbox: z.boolean(),
      /** Order updates arrive by stream (ccxt pro's watchOrders); else they are polled. */
      hasWatchOrders: z.boolean(),
      /** Its keys come with a passphrase (ccxt's `password`): OKX, KuCoin… */
      requiresPassphrase: z.boolean(),
    }),
    access: 'licensed',
  },
  'exchange.testConnection': {
    summary:
      "Connect to an exchange with the API key stored for it (vault provider = exchange id): its markets, the venue clock and the account's balances, or the exchange's own refusal.",
    input: z
      .object({
        exchange: exchangeId,
        /** Another REST base (a mirror or a local simulator). */
        apiUrl: z.url({ protocol: /^https?$/, error: 'apiUrl must be an http(s) URL' }).optional(),
        /** The exchange's test network; refused when the exchange has none. */
        sandbox: z.boolean().default(false),
      })
      .strict(),
    output: z.object({
      exchange: z.string(),
      sandbox: z.boolean(),
      markets: z.number().int().nonnegative(),
      /** Assets with a balance. */
      assets: z.number().int().nonnegative(),
      /** Venue clock minus ours, ms. */
      clockOffsetMs: z.number(),
    }),
    access: 'licensed',
  },
  'exchange.reconcile': {
    summary:
      'Reconcile the journal against the exchange account of the stored key now (core/orders/reconciler.ts): open orders, recent fills and balances; the run and its diff are saved (reconcile_runs) and returned with what was adopted as external.',
    input: z
      .object({
        exchange: exchangeId,
        apiUrl: apiUrl.optional(),
        sandbox: z.boolean().default(false),
        /** Symbols whose balances count as positions (default: those the exchange-fed bots trade). */
        symbols: z
          .array(
            z
              .string()
              .trim()
              .regex(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._:-]+$/, 'symbols are like BTC/USDT'),
          )
          .max(50, 'at most 50 symbols')
          .optional(),
      })
      .strict(),
    output: z.object({
      runId: z.number().int(),
      venue: z.string(),
      startedAt: z.number(),
      finishedAt: z.number(),
      /** Why the run could not finish (the exchange did not answer…); the diff is then empty. */
      error: z.string().nullable(),
      symbols: z.array(z.string()),
      changes: z.array(
        z.object({
          kind: z.enum(changeKinds),
          clientOrderId: z.string().optional(),
          symbol: z.string().optional(),
          quantity: z.number().optional(),
          price: z.number().optional(),
          why: z.string(),
        }),
      ),
      /** Venue orders and balances the journal could not explain, not yet acknowledged. */
      adoptions: z.array(
        z.object({
          kind: z.enum(['order', 'balance']),
          ref: z.string(),
          symbol: z.string(),
          quantity: z.number(),
          detail: z.string(),
        }),
      ),
    }),
    access: 'licensed',
  },
  'exchange.acknowledge': {
    summary:
      'Acknowledge what reconciliation adopted as external on this exchange: the adoptions are marked seen and the account is no longer held REDUCING by the reconcile breaker.',
    input: z.object({ exchange: exchangeId, sandbox: z.boolean().default(false) }).strict(),
    output: z.object({ acknowledged: z.number().int() }),
    access: 'licensed',
  },
} as const;
