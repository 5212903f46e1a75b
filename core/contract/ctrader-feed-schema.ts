// The feed of a bot that trades on cTrader's prices: closed bars built from one cTrader session's
// spots (core/feeds/ctrader-spot-feed.ts), of the bot's own `symbol` (the broker's name, EURUSD)
// and `timeframe` — they are not repeated here, so the two can never disagree. The orders still go
// to the bot's paper account. One member of the bot definition's `feed` union (bots-calls.ts).
import { z } from 'zod';

export const ctraderFeedSchema = z
  .object({
    kind: z.literal('ctrader'),
    environment: z.enum(['demo', 'live'], { error: 'environment must be "demo" or "live"' }).default('demo'),
    /** The ctidTraderAccountId whose session streams the spots; null: whichever account is connected. */
    accountId: z
      .number({ error: 'accountId must be a cTrader account id or null' })
      .int('accountId must be a whole number')
      .positive('accountId must be positive')
      .nullable()
      .default(null),
  })
  .strict();
export type CTraderFeed = z.output<typeof ctraderFeedSchema>;
