// bots.* calls and events (issue #11): paper bots the supervisor (core/bots/bot-supervisor.ts) runs
// on a replay of stored candles. Spread into `calls` and `events` in calls.ts; this file imports no
// value from calls.ts (that module spreads this one while it is still being evaluated).
import { z } from 'zod';
import { backtestSpecFields, checkLotCount } from '../backtest/spec.ts';
import { reinvestmentSchema } from '../reinvestment/reinvestment-schema.ts';
import type { Timeframe } from './calls.ts';
import { timeframeSecondsTable } from './timeframe-seconds.ts';
import { ctraderFeedSchema } from './ctrader-feed-schema.ts';
import type { CallDeclaration } from './calls.ts';

const botTimeframes = Object.keys(timeframeSecondsTable) as [Timeframe, ...Timeframe[]];
const botTimeframeSchema = z.enum(botTimeframes, {
  error: `timeframe must be one of ${botTimeframes.join(', ')}`,
});

export const botStatuses = ['created', 'running', 'paused', 'stopped', 'failed'] as const;
export const botStatusSchema = z.enum(botStatuses);
export type BotStatus = z.infer<typeof botStatusSchema>;

/**
 * Where a bot's orders go. `paper`: the in-process simulator. `live`: the venue its feed comes
 * from — the exchange of an `exchange` feed (its test network when `feed.sandbox`), the cTrader
 * environment of a `ctrader` feed (Demo or Live) — through the same router, journal and risk.
 * Real money (cTrader Live, an exchange outside its sandbox) needs the `live-trading` licence.
 */
export const botVenues = ['paper', 'live'] as const;
export const botVenueSchema = z.enum(botVenues, {
  error: 'venue must be "paper" (the simulator) or "live" (the venue the bot’s feed comes from)',
});
export type BotVenue = z.infer<typeof botVenueSchema>;

/**
 * Where a bot's bars come from. `replay`: the stored series, to its last bar. `ctrader`: a
 * cTrader environment's live prices (ctrader-feed-schema.ts). `exchange`: the
 * stored series, then the exchange's live closed bars through ccxt (core/feeds/ccxt-live-feed.ts),
 * each stored into the series as it closes; such a bot runs until it is stopped.
 */
export const replayFeedSchema = z.object({ kind: z.literal('replay') }).strict();
export const exchangeFeedSchema = z
  .object({
    kind: z.literal('exchange'),
    exchange: z
      .string({ error: 'feed.exchange must be text' })
      .trim()
      .regex(
        /^[a-z0-9]{2,32}$/,
        'feed.exchange is a ccxt id: 2 to 32 lowercase letters and digits, e.g. binance',
      ),
    /** As the exchange lists it: "BTC/USDT". */
    symbol: z
      .string({ error: 'feed.symbol must be text' })
      .trim()
      .regex(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._:-]+$/, 'feed.symbol is the exchange’s symbol, e.g. BTC/USDT'),
    timeframe: botTimeframeSchema,
    /** Another REST and stream base (a mirror, a local simulator). */
    apiUrl: z.url({ protocol: /^https?$/, error: 'feed.apiUrl must be an http(s) URL' }).optional(),
    /**
     * The exchange's test network, for the bars and (venue 'live') the orders alike: a sandbox's
     * prices are its own market, so its bars go to a series of their own ("binance-sandbox:BTC/USDT").
     */
    sandbox: z.boolean({ error: 'feed.sandbox must be true or false' }).default(false),
  })
  .strict();
export const botFeedSchema = z.discriminatedUnion(
  'kind',
  [replayFeedSchema, ctraderFeedSchema, exchangeFeedSchema],
  { error: 'feed.kind must be "replay", "ctrader" or "exchange"' },
);
export type BotFeed = z.output<typeof botFeedSchema>;

/** The series an exchange feed stores into (as candles.download names it; a sandbox's apart). */
export function exchangeSeries(feed: { exchange: string; symbol: string; sandbox?: boolean }): string {
  return `${feed.exchange}${feed.sandbox === true ? '-sandbox' : ''}:${feed.symbol}`;
}

/**
 * The symbol a bot's orders and positions carry: the exchange's own ("BTC/USDT") when it trades
 * there live, else its series (a paper account, or a cTrader symbol, named as the bars are).
 */
export function tradedSymbol(definition: { symbol: string; venue: BotVenue; feed: BotFeed }): string {
  return definition.venue === 'live' && definition.feed.kind === 'exchange'
    ? definition.feed.symbol
    : definition.symbol;
}

/** Whether a bot's orders risk real money: live on cTrader Live, or on an exchange outside its sandbox. */
export function tradesRealMoney(definition: { venue: BotVenue; feed: BotFeed }): boolean {
  const { venue, feed } = definition;
  if (venue !== 'live') return false;
  return feed.kind === 'ctrader' ? feed.environment === 'live' : feed.kind === 'exchange' && !feed.sandbox;
}

/** An exchange feed's timeframe is the bot's, and its bars go to the series the bot reads. */
function checkFeed(
  definition: { symbol: string; timeframe: string; feed: BotFeed; venue: BotVenue; reinvestment?: unknown },
  ctx: z.RefinementCtx,
): void {
  const { feed } = definition;
  if (definition.venue === 'live' && feed.kind === 'replay')
    ctx.addIssue({
      code: 'custom',
      path: ['venue'],
      message:
        'venue "live" sends orders to the venue of a live feed: choose an exchange or cTrader feed (a replay has no market to trade on)',
    });
  // A live bot resumes from its checkpoint without re-running its past bars, so the sizer's realised
  // profit and peak are not rebuilt yet: refuse the policy rather than accept it and size without it.
  if (feed.kind !== 'replay' && definition.reinvestment !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['reinvestment'],
      message: 'reinvestment applies to bots replaying stored candles only; this bot runs on a live feed',
    });
  if (feed.kind !== 'exchange') return;
  if (feed.timeframe !== definition.timeframe)
    ctx.addIssue({
      code: 'custom',
      path: ['feed', 'timeframe'],
      message: `feed.timeframe (${feed.timeframe}) must be the bot's timeframe (${definition.timeframe})`,
    });
  if (definition.symbol !== exchangeSeries(feed))
    ctx.addIssue({
      code: 'custom',
      path: ['symbol'],
      message: `symbol must be the series the feed stores into, "${exchangeSeries(feed)}"`,
    });
}

/** The most bars a second a replay can be asked for; null replays as fast as the bot goes. */
export const maxBarsPerSecond = 10_000;

const money = backtestSpecFields.pick({
  cash: true,
  commission: true,
  fixedFee: true,
  slippage: true,
  lotSize: true,
  sizing: true,
  reinvestment: true,
});

/** What a bot is: the backtest's strategy, costs and sizing, plus the market and the replay speed. */
export const botDefinitionFields = money.extend({
  name: z
    .string({ error: 'name must be text' })
    .trim()
    .min(1, 'name is required')
    .max(80, 'name is at most 80 characters'),
  strategy: backtestSpecFields.shape.strategy,
  params: backtestSpecFields.shape.params,
  symbol: z
    .string({ error: 'symbol must be text' })
    .trim()
    .min(1, 'symbol is required')
    .max(40, 'symbol is at most 40 characters')
    .regex(/^[A-Za-z0-9._/:-]+$/, 'symbol may hold letters, digits and . _ / : - only'),
  timeframe: botTimeframeSchema,
  venue: botVenueSchema.default('paper'),
  /**
   * The bars' source. A cTrader feed ignores barsPerSecond and startAfter (the market sets the
   * pace); an exchange feed replays the stored bars first (after startAfter, at barsPerSecond).
   */
  feed: botFeedSchema.default({ kind: 'replay' }),
  /** Replay speed in bars per second; null: as fast as the bot goes. */
  barsPerSecond: z
    .number({ error: 'barsPerSecond must be a number or null' })
    .positive('barsPerSecond must be above 0')
    .max(maxBarsPerSecond, `barsPerSecond must be at most ${maxBarsPerSecond.toLocaleString('en-US')}`)
    .nullable()
    .default(10),
  /** Replay only bars after this time (epoch seconds); default from the first stored bar. */
  startAfter: z.number().int().min(0).nullable().default(null),
});
export const botDefinitionSchema = botDefinitionFields.superRefine(checkLotCount).superRefine(checkFeed);
export type BotDefinition = z.output<typeof botDefinitionSchema>;
export type BotDefinitionInput = z.input<typeof botDefinitionSchema>;

export const botSourceSchema = z.object({ kind: z.enum(['backtest', 'optimize']), id: z.number().int() });
export type BotSource = z.infer<typeof botSourceSchema>;

const botIdSchema = z
  .number({ error: 'id must be a bot id' })
  .int('id must be a whole number')
  .positive('id must be positive');

const positionSchema = z.object({
  symbol: z.string(),
  /** Signed units: > 0 long, < 0 short. */
  quantity: z.number(),
  averagePrice: z.number().nullable(),
  mark: z.number().nullable(),
  unrealisedPnl: z.number(),
  realisedPnl: z.number(),
  fees: z.number(),
});
export type BotPositionJson = z.infer<typeof positionSchema>;

export const botSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  createdAt: z.string(),
  definition: botDefinitionFields,
  status: botStatusSchema,
  statusAt: z.string(),
  /** Why it failed (the strategy's error) or stopped on its own (the replay ended); null otherwise. */
  message: z.string().nullable(),
  createdFrom: botSourceSchema.nullable(),
  ghostOf: z.number().int().nullable(),
  /** Bars the bot has finished; the time of the last one (epoch seconds). */
  bars: z.number().int(),
  lastBarTime: z.number().nullable(),
  equity: z.number(),
  pnl: z.number(),
  /** PnL since the start of the UTC day of the last bar. */
  todayPnl: z.number(),
  positions: z.array(positionSchema),
  ruined: z.boolean(),
});
export type BotSummaryJson = z.infer<typeof botSummarySchema>;

export const botOrderSchema = z.object({
  clientOrderId: z.string(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  type: z.enum(['market', 'limit', 'stop']),
  quantity: z.number(),
  price: z.number().nullable(),
  status: z.string(),
  filledQuantity: z.number(),
  reason: z.string().nullable(),
  createdAt: z.number(),
});
export type BotOrderJson = z.infer<typeof botOrderSchema>;

export const botFillSchema = z.object({
  clientOrderId: z.string(),
  tradeId: z.string(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  quantity: z.number(),
  price: z.number(),
  fee: z.number(),
  /** Epoch ms: the bar the fill happened on (the replay's clock). */
  time: z.number(),
});
export type BotFillJson = z.infer<typeof botFillSchema>;

const idInput = z.object({ id: botIdSchema }).strict();
const botOutput = z.object({ bot: botSummarySchema });

function declare<I extends z.ZodType, O extends z.ZodType>(declaration: CallDeclaration<I, O>) {
  return declaration;
}

// Bots need a licence or the running trial, like the Bots page; the licence's maxInstances caps
// how many run at once (instance_limit).
export const botsCalls = {
  'bots.list': declare({
    summary: 'Every bot with its status, PnL and positions.',
    input: z.object({}).strict(),
    output: z.object({ bots: z.array(botSummarySchema), maxInstances: z.number().int() }),
    access: 'licensed',
  }),
  'bots.get': declare({
    summary: 'One bot with its status, PnL and positions.',
    input: idInput,
    output: botOutput,
    access: 'licensed',
  }),
  'bots.create': declare({
    summary:
      'Create a bot (strategy, params, symbol, timeframe, costs, sizing, replay speed, feed, venue); it starts stopped. Venue "paper" trades on the simulator; "live" sends its orders to the venue of its live feed.',
    input: z.object({ definition: botDefinitionSchema }).strict(),
    output: botOutput,
    access: 'licensed',
  }),
  'bots.createFromRun': declare({
    summary:
      'Create a paper bot from a saved backtest (its strategy, params, costs and sizing) or an optimisation’s best set ("Run as paper bot").',
    input: z
      .object({
        source: botSourceSchema,
        name: botDefinitionFields.shape.name.optional(),
        barsPerSecond: botDefinitionFields.shape.barsPerSecond.optional(),
      })
      .strict(),
    output: botOutput,
    access: 'licensed',
  }),
  'bots.start': declare({
    summary:
      'Start (or resume) a bot; refused with instance_limit when the licence’s running-bot limit is reached, and a bot trading real money (venue "live" on cTrader Live, or on an exchange outside its sandbox) without the live-trading feature.',
    input: idInput,
    output: botOutput,
    access: 'licensed',
  }),
  'bots.pause': declare({
    summary: 'Pause a running bot: its replay halts, working orders stay.',
    input: idInput,
    output: botOutput,
    access: 'licensed',
  }),
  'bots.stop': declare({
    summary: 'Stop a bot: its replay halts and its working orders are cancelled; the position stays.',
    input: idInput,
    output: botOutput,
    access: 'licensed',
  }),
  'bots.duplicate': declare({
    summary: 'A new bot with the same definition, some fields overridden; it starts from the beginning.',
    input: z.object({ id: botIdSchema, overrides: botDefinitionFields.partial().default({}) }).strict(),
    output: botOutput,
    access: 'licensed',
  }),
  'bots.ghost': declare({
    summary:
      'A paper shadow of a bot: it receives the same bars and signals and trades them on its own paper account, shown beside the original.',
    input: z
      .object({
        id: botIdSchema,
        overrides: botDefinitionFields
          .pick({ name: true, cash: true, commission: true, fixedFee: true, slippage: true, sizing: true })
          .partial()
          .default({}),
      })
      .strict(),
    output: botOutput,
    access: 'licensed',
  }),
  'bots.remove': declare({
    summary: 'Delete a bot that is not running (its journaled orders stay in the journal).',
    input: idInput,
    output: z.object({ removed: z.boolean() }),
    access: 'licensed',
  }),
  'bots.setReinvestment': declare({
    summary:
      'Set (or clear, with null) a bot’s reinvestment policy: a share of realised profit compounded into its position budget, with a cap and a cut while drawdown exceeds a threshold. Only before the bot has run: a resumed bot re-derives its journaled orders with the sizing they were sent with.',
    input: z.object({ id: botIdSchema, reinvestment: reinvestmentSchema.nullable() }).strict(),
    output: botOutput,
    access: 'licensed',
  }),
  'bots.orders': declare({
    summary: 'A bot’s orders, newest first, with their status.',
    input: idInput,
    output: z.object({ orders: z.array(botOrderSchema) }),
    access: 'licensed',
  }),
  'bots.fills': declare({
    summary: 'A bot’s fills, newest first.',
    input: idInput,
    output: z.object({ fills: z.array(botFillSchema) }),
    access: 'licensed',
  }),
  'bots.positions': declare({
    summary: 'A bot’s positions marked at its last bar.',
    input: idInput,
    output: z.object({ positions: z.array(positionSchema) }),
    access: 'licensed',
  }),
  'bots.equity': declare({
    summary:
      'A bot’s equity at the close of every bar it has finished (at most `points` of them, evenly thinned).',
    input: z.object({ id: botIdSchema, points: z.number().int().min(2).max(100_000).default(2000) }).strict(),
    output: z.object({ time: z.array(z.number()), equity: z.array(z.number()) }),
    access: 'licensed',
  }),
} as const;

export const botsEvents = {
  'bots.status': z.object({
    id: z.number().int(),
    status: botStatusSchema,
    message: z.string().nullable(),
  }),
  'bots.order': z.object({ id: z.number().int(), order: botOrderSchema }),
  'bots.fill': z.object({ id: z.number().int(), fill: botFillSchema }),
  'bots.position': z.object({
    id: z.number().int(),
    positions: z.array(positionSchema),
    equity: z.number(),
    bars: z.number().int(),
    lastBarTime: z.number().nullable(),
  }),
} as const;

/**
 * The stored series a bot's bars are read from (its chart, its equity curve). A replayed or
 * exchange-fed bot's is its `symbol`; a cTrader bot's `symbol` is the broker's name (EURUSD), so its
 * live bars go to "ctrader-demo:EURUSD" (or "ctrader-live:…"), never into a series the user
 * imported under the bare name. No ccxt id holds a "-", so it cannot meet an exchange's series.
 */
export function seriesOf(definition: { symbol: string; feed: BotFeed }): string {
  const { feed, symbol } = definition;
  return feed.kind === 'ctrader' ? `ctrader-${feed.environment}:${symbol}` : symbol;
}
