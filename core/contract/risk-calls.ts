// The account's risk governor as calls (issue #12): its state with every breaker's trips and when
// each is expected to recover (the Risk page counts down to it), the journal of trips, recoveries
// and re-arms, the breakers' settings, the kill switch and re-arming. Trading calls: a licence or
// the trial (docs/risk.md).
import { z } from 'zod';
import { breakerNames, breakerSettingsSchema } from '../risk/breaker-settings-schema.ts';

export const breakerNameSchema = z.enum(breakerNames, {
  error: `breaker must be one of ${breakerNames.join(', ')}`,
});

export type BreakerNameJson = z.infer<typeof breakerNameSchema>;
/** Settings as a caller writes them: every field optional, defaults filled in by the core. */
export type BreakerSettingsJson = z.input<typeof breakerSettingsSchema>;

export const tradingStateSchema = z.enum(['active', 'reducing', 'halted']);

const valuesSchema = z.record(z.string(), z.number());

/** One trip in force. Times are epoch ms. */
export const riskTripSchema = z.object({
  breaker: breakerNameSchema,
  scope: z.enum(['account', 'bot', 'symbol']),
  /** '*' for the account, else the bot id or the symbol it holds. */
  key: z.string(),
  state: z.enum(['reducing', 'halted']),
  at: z.number(),
  /** When it recovers by itself; null: a rule (calm bars) or a re-arm ends it. */
  until: z.number().nullable(),
  recovery: z.string(),
  values: valuesSchema,
  message: z.string(),
  /**
   * 'wall': the account's governor, on now. 'bars': a paper bot's breakers on its replay's bar
   * times (scope 'bot'): `at`, `until` and `now` are market times (docs/risk.md, "Paper bots").
   */
  clock: z.enum(['wall', 'bars']),
  /** For a 'bars' trip: the bot's bars' clock (epoch ms), which its countdown runs from. */
  now: z.number().optional(),
});
export type RiskTripJson = z.infer<typeof riskTripSchema>;

export const riskStateSchema = z.object({
  /** The core's clock when it answered (epoch ms): countdowns run from it, not the viewer's clock. */
  now: z.number(),
  /** The account's state: its most severe account-scope trip. */
  state: tradingStateSchema,
  breakers: z.array(
    z.object({
      name: breakerNameSchema,
      enabled: z.boolean(),
      /** ACTIVE when none of its trips is in force; else the most severe one's state. */
      state: tradingStateSchema,
      trips: z.array(riskTripSchema),
    }),
  ),
});
export type RiskStateJson = z.infer<typeof riskStateSchema>;

export const riskEventSchema = z.object({
  kind: z.enum(['trip', 'recover', 'rearm']),
  breaker: breakerNameSchema,
  scope: z.enum(['account', 'bot', 'symbol']),
  key: z.string(),
  time: z.number(),
  state: z.enum(['reducing', 'halted']),
  trippedAt: z.number(),
  until: z.number().nullable(),
  recovery: z.string(),
  values: valuesSchema,
  message: z.string(),
  /** The clock it was judged on: 'wall' (now) or 'bars' (a paper bot's replay; times are the bars'). */
  clock: z.enum(['wall', 'bars']),
});
export type RiskEventJson = z.infer<typeof riskEventSchema>;

const flattenReportSchema = z.object({
  owner: z.string(),
  venue: z.string(),
  cancelled: z.number().int(),
  closed: z.array(z.object({ symbol: z.string(), quantity: z.number() })),
  failures: z.array(z.string()),
});

export const riskCalls = {
  'risk.state': {
    summary:
      'The account’s trading state (ACTIVE, REDUCING, HALTED) and each breaker’s: its trips in force, what tripped them and when each is expected to recover.',
    input: z.object({}).strict(),
    output: riskStateSchema,
    access: 'licensed',
  },
  'risk.history': {
    summary:
      'The risk journal, newest first: every trip, recovery and re-arm with the values that tripped it.',
    input: z
      .object({
        limit: z
          .number({ error: 'limit must be a number' })
          .int('limit must be a whole number')
          .min(1, 'limit must be at least 1')
          .max(10_000, 'limit must be at most 10,000')
          .default(200),
      })
      .strict(),
    output: z.object({ events: z.array(riskEventSchema) }),
    access: 'licensed',
  },
  'risk.settings.get': {
    summary: 'The circuit breakers’ settings, defaults filled in.',
    input: z.object({}).strict(),
    output: z.object({ settings: breakerSettingsSchema }),
    access: 'licensed',
  },
  'risk.settings.set': {
    summary:
      'Replace the circuit breakers’ settings (missing fields take their defaults); trips in force stay until they recover or are re-armed.',
    input: z.object({ settings: breakerSettingsSchema }).strict(),
    output: z.object({ settings: breakerSettingsSchema }),
    access: 'licensed',
  },
  'risk.killSwitch': {
    summary:
      'Halt the account, cancel every open order and close every position of every bot on every venue, in one call; HALTED until re-armed.',
    input: z
      .object({ reason: z.string().trim().max(200, 'reason is at most 200 characters').optional() })
      .strict(),
    output: z.object({ state: tradingStateSchema, routers: z.array(flattenReportSchema) }),
    access: 'licensed',
  },
  'risk.rearm': {
    summary:
      'Lift a breaker’s trips by hand (every key, or the one named); the only way out of max-drawdown and the kill switch.',
    input: z.object({ breaker: breakerNameSchema, key: z.string().min(1).max(120).optional() }).strict(),
    output: z.object({ rearmed: z.number().int(), state: tradingStateSchema }),
    access: 'licensed',
  },
} as const;

export const riskEvents = {
  /** A trip, a recovery, a re-arm or new settings: the Risk page and the banner ask risk.state again. */
  'risk.changed': z.object({
    state: tradingStateSchema,
    kind: z.enum(['trip', 'recover', 'rearm', 'settings']),
    breaker: breakerNameSchema.optional(),
  }),
};
