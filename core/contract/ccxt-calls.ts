// Calls of crypto exchanges through ccxt (issue #13). Spread into `calls` in calls.ts.
import { z } from 'zod';

const exchangeId = z
  .string()
  .trim()
  .regex(/^[a-z0-9]{2,32}$/, 'exchange is a ccxt id: 2 to 32 lowercase letters and digits, e.g. binance');

export const ccxtCalls = {
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
} as const;
