// ctrader.* calls: the Account page's cTrader section. The user's own Open API application (client
// id and secret, kept in the keychain), Connect Demo / Connect Live through the system browser
// (RFC 8252), the accounts found, the token's expiry, Disconnect. Tokens never cross the contract.
// Connecting Live needs the `live-trading` feature and an explicit confirmation.
import { z } from 'zod';
import type { CallDeclaration } from './calls.ts';

export const ctraderEnvironmentSchema = z.enum(['demo', 'live']);

const ctraderAccountSchema = z.object({
  ctidTraderAccountId: z.number().int(),
  isLive: z.boolean(),
  traderLogin: z.number().int(),
  broker: z.string(),
  /** For the account the venue trades; null for the others (cTrader reports one at a time). */
  balance: z.number().nullable(),
});

const ctraderEnvironmentStatusSchema = z.object({
  environment: ctraderEnvironmentSchema,
  tokenStored: z.boolean(),
  /** Epoch ms the access token expires (refreshed automatically when under 7 days remain). */
  tokenExpiresAt: z.number().nullable(),
  connection: z.enum(['disconnected', 'connecting', 'connected', 'reconnecting']),
  /** Why it is not connected ("Reconnect needed: …"), when there is a reason. */
  reason: z.string().nullable(),
  accounts: z.array(ctraderAccountSchema),
  /** A sign-in waiting for the browser: the page to open, or to paste its redirect back. */
  authorizationUrl: z.string().nullable(),
});

export const ctraderStatusSchema = z.object({
  application: z.object({ configured: z.boolean(), clientIdHint: z.string().nullable() }),
  /** What to register on the Open API application. */
  redirectUri: z.string(),
  environments: z.array(ctraderEnvironmentStatusSchema),
});
export type CTraderStatus = z.infer<typeof ctraderStatusSchema>;

const environmentInput = z.object({ environment: ctraderEnvironmentSchema }).strict();

export const ctraderCalls = {
  'ctrader.status': {
    summary: 'The cTrader application, and per environment: token expiry, connection and the accounts found.',
    input: z.object({}).strict(),
    output: ctraderStatusSchema,
    access: 'licensed',
  },
  'ctrader.saveApplication': {
    summary: 'Store the client id and secret of your own cTrader Open API application in the keychain.',
    input: z
      .object({
        clientId: z.string().trim().min(1, 'the client id is required').max(200),
        clientSecret: z.string().trim().min(1, 'the client secret is required').max(400),
      })
      .strict(),
    output: ctraderStatusSchema,
    access: 'licensed',
  },
  'ctrader.connectDemo': {
    summary: 'Start signing in to cTrader Demo: opens the authorisation page (the headless host prints it).',
    input: z.object({}).strict(),
    output: z.object({ authorizationUrl: z.string() }),
    access: 'licensed',
  },
  'ctrader.connectLive': {
    summary: 'Start signing in to cTrader Live (real money): needs live-trading and confirm: true.',
    input: z
      .object({
        confirm: z.literal(true, {
          error: 'confirm: connecting Live trades real money and must be confirmed',
        }),
      })
      .strict(),
    output: z.object({ authorizationUrl: z.string() }),
    access: { feature: 'live-trading' },
  },
  'ctrader.pasteRedirect': {
    summary:
      'Finish a sign-in with the address the browser was redirected to (when the loopback could not be reached).',
    input: z
      .object({
        environment: ctraderEnvironmentSchema,
        address: z.string().trim().min(1, 'paste the address').max(4000),
      })
      .strict(),
    output: ctraderStatusSchema,
    access: 'licensed',
  },
  'ctrader.symbols': {
    summary:
      "The connected environment's symbols (the broker's names) with their price digits and volume steps, for a bot on its prices.",
    input: environmentInput,
    output: z.object({
      symbols: z.array(
        z.object({
          symbol: z.string(),
          priceDecimals: z.number().int(),
          quantityStep: z.number(),
          minQuantity: z.number(),
        }),
      ),
    }),
    access: 'licensed',
  },
  'ctrader.disconnect': {
    summary: 'Disconnect one environment and forget its tokens.',
    input: environmentInput,
    output: ctraderStatusSchema,
    access: 'licensed',
  },
} satisfies Record<string, CallDeclaration>;
