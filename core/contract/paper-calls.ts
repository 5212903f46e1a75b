// paper.* calls: a forward test of one bot through the trading runtime (core/runtime), answered in
// the backtest's result shape so the two compare figure for figure.
import { z } from 'zod';
import { backtestResultSchema, backtestSpecSchema } from '../backtest/spec.ts';
import type { backtestDataSchema, CallDeclaration } from './calls.ts';

/**
 * The calls, given the candle-source schema calls.ts defines (passed in rather than imported, so
 * that calls.ts can spread these without a module cycle).
 */
export const paperCalls = (data: typeof backtestDataSchema) =>
  ({
    'paper.run': {
      summary:
        'Forward-test a strategy as a paper bot: a replay of the candles as fast as possible through risk, the order router, the simulated venue and the order journal (not the backtest engine); answers like backtest.run.',
      input: z
        .object({
          data,
          spec: backtestSpecSchema,
          /** The bot's id in the journal (its orders' owner); a new one when left out. */
          botId: z
            .string()
            .regex(/^[A-Za-z0-9_-]{1,40}$/, 'botId is 1 to 40 of A-Z a-z 0-9 _ -')
            .optional(),
        })
        .strict(),
      output: z.object({
        result: backtestResultSchema,
        status: z.enum(['idle', 'running', 'paused', 'stopped', 'finished', 'ruined', 'failed']),
        botId: z.string(),
        /** Orders the bot journaled. */
        orders: z.number().int(),
      }),
      access: 'free',
    },
  }) as const satisfies Record<string, CallDeclaration>;
