// What a backtest is asked to do (the spec) and what it answers (the result), as zod schemas the
// contract, the CLI and the worker all share. Results are JSON-friendly: plain number arrays, and
// null wherever a figure is undefined (no NaN, no Infinity). Formulas: docs/backtesting.md.
import { z } from 'zod';
import { priceDecimalsSchema } from '../domain/price-format.ts';
import { sizingSchema, type Sizing } from '../domain/sizing.ts';
import { breakerSettingsSchema } from '../risk/breaker-settings-schema.ts';
import { reinvestmentSchema } from '../reinvestment/reinvestment-schema.ts';
import { backtestBounds as bounds, backtestDefaults as defaults } from './defaults.ts';

/** A bound as people write it: 1,000,000,000,000 and 0.00000001, not 1e+12 and 1e-8. */
const plain = (value: number) =>
  value >= 1 ? value.toLocaleString('en-US') : value.toFixed(-Math.floor(Math.log10(value)));

/** Sizing is a domain term (core/domain/sizing.ts); re-exported where the spec has always offered it. */
export { sizingSchema, type Sizing } from '../domain/sizing.ts';

const costFraction = (field: string) =>
  z
    .number({ error: `${field} must be a number` })
    .min(0, `${field} must be 0 or more`)
    .lt(1, `${field} must be below 1`);

/** The spec's fields; backtestSpecSchema adds the checks across them. */
export const backtestSpecFields = z.object({
  strategy: z
    .string({ error: 'strategy must be a name' })
    .trim()
    .min(1, 'strategy is required')
    .max(64, 'strategy is at most 64 characters'),
  /** Strategy parameters by name; each strategy's own schema checks them (params.<name> in errors). */
  params: z.record(z.string(), z.number({ error: 'params must be numbers' })).default({}),
  cash: z
    .number({ error: 'cash must be a number' })
    .positive('cash must be positive')
    .max(bounds.cashMax, `cash must be at most ${plain(bounds.cashMax)}`)
    .default(defaults.cash),
  /** Fraction of traded value paid on every fill: 0.002 = 0.2 %. */
  commission: costFraction('commission').default(defaults.commission),
  /** Money paid on every fill on top of the commission. */
  fixedFee: z
    .number({ error: 'fixedFee must be a number' })
    .min(0, 'fixedFee must be 0 or more')
    .max(bounds.fixedFeeMax, `fixedFee must be at most ${plain(bounds.fixedFeeMax)}`)
    .default(defaults.fixedFee),
  /** Fraction of price lost on market and stop fills: buys fill higher, sells lower. */
  slippage: costFraction('slippage').default(defaults.slippage),
  /** Smallest tradable quantity step: 1 for shares, e.g. 0.0001 for crypto. */
  lotSize: z
    .number({ error: 'lotSize must be a number' })
    // One message for 0, negatives and dust: "positive" is what a user most often got wrong.
    .gte(bounds.lotSizeMin, `lotSize must be positive, at least ${plain(bounds.lotSizeMin)}`)
    .max(bounds.lotSizeMax, `lotSize must be at most ${plain(bounds.lotSizeMax)}`)
    .default(defaults.lotSize),
  sizing: sizingSchema.default(defaults.sizing),
  closeAtEnd: z.boolean({ error: 'closeAtEnd must be true or false' }).default(defaults.closeAtEnd),
  /**
   * The circuit breakers to apply (docs/risk.md), through the governor the live path uses. Absent
   * (the default): none, so results stay comparable with other engines. A run with breakers goes
   * through the strategy-object engine: the kernels cannot apply them and refuse to.
   */
  breakers: breakerSettingsSchema.optional(),
  /**
   * Reinvestment (core/reinvestment): each entry spends a budget that grows with a share of realised
   * profit, up to a cap, cut while closed-trade drawdown exceeds a threshold, in place of `sizing`.
   * Absent (the default): `sizing` alone. Runs on the strategy-object engine, like breakers.
   */
  reinvestment: reinvestmentSchema.optional(),
});

/** Checks across the money fields (see backtestBounds.lotsMax), for any object holding them. */
export function checkLotCount(
  spec: { cash: number; lotSize: number; sizing: Sizing },
  context: z.RefinementCtx,
): void {
  const most = `${plain(bounds.lotsMax)} lots`;
  if (spec.cash / spec.lotSize > bounds.lotsMax)
    context.addIssue({
      code: 'custom',
      path: ['lotSize'],
      message: `lotSize is too small for this cash: cash / lotSize must be at most ${most}`,
    });
  if (spec.sizing.mode === 'fixed' && spec.sizing.quantity / spec.lotSize > bounds.lotsMax)
    context.addIssue({
      code: 'custom',
      path: ['sizing', 'quantity'],
      message: `sizing.quantity is too large for this lotSize: quantity / lotSize must be at most ${most}`,
    });
}

export const backtestSpecSchema = backtestSpecFields.superRefine(checkLotCount);
export type BacktestSpec = z.output<typeof backtestSpecSchema>;
export type BacktestSpecInput = z.input<typeof backtestSpecSchema>;

export const tradeSideSchema = z.enum(['long', 'short']);
export type TradeSide = z.infer<typeof tradeSideSchema>;

/** `ruin`: the account's equity reached zero and the position was closed at that bar's close. */
export const exitReasonSchema = z.enum(['signal', 'stop-loss', 'take-profit', 'end', 'ruin']);
export type ExitReason = z.infer<typeof exitReasonSchema>;

/** A closed trade. Times are bar open times in epoch seconds; money in the account currency. */
export const backtestTradeSchema = z.object({
  side: tradeSideSchema,
  /** Units traded (lots × lot size), on the lot-size grid without float noise (39.6825). */
  size: z.number(),
  entryBar: z.number().int(),
  exitBar: z.number().int(),
  entryTime: z.number(),
  exitTime: z.number(),
  entryPrice: z.number(),
  exitPrice: z.number(),
  /** Net of the commissions and fees of both fills. */
  pnl: z.number(),
  /** pnl / (entryPrice × size) × 100. */
  returnPct: z.number(),
  commission: z.number(),
  exitReason: exitReasonSchema,
});
export type BacktestTrade = z.infer<typeof backtestTradeSchema>;

/** The position still open after the last bar, marked to the last close (not a closed trade). */
export const openTradeSchema = z.object({
  side: tradeSideSchema,
  size: z.number(),
  entryBar: z.number().int(),
  entryTime: z.number(),
  entryPrice: z.number(),
  markTime: z.number(),
  markPrice: z.number(),
  /** Unrealised, net of the entry commission (the exit would cost more). */
  pnl: z.number(),
  returnPct: z.number(),
  commission: z.number(),
});
export type OpenTrade = z.infer<typeof openTradeSchema>;

const maybe = z.number().nullable();

export const backtestMetricsSchema = z.object({
  bars: z.number().int(),
  startTime: z.number(),
  endTime: z.number(),
  /** Bars per year observed in the data, used to annualise Sharpe and Sortino. */
  periodsPerYear: maybe,
  startEquity: z.number(),
  finalEquity: z.number(),
  peakEquity: z.number(),
  returnPct: z.number(),
  cagrPct: maybe,
  buyHoldReturnPct: z.number(),
  /** Deepest fall from a running peak, ≤ 0. */
  maxDrawdownPct: z.number(),
  maxDrawdownBars: z.number().int(),
  maxDrawdownDays: z.number(),
  sharpe: maybe,
  sortino: maybe,
  calmar: maybe,
  profitFactor: maybe,
  winRatePct: maybe,
  avgTradePct: maybe,
  bestTradePct: maybe,
  worstTradePct: maybe,
  /** Average net PnL per closed trade, in money. */
  expectancy: maybe,
  exposurePct: z.number(),
  trades: z.number().int(),
  commissions: z.number(),
});
export type BacktestMetrics = z.infer<typeof backtestMetricsSchema>;

export const equityCurveSchema = z.object({
  time: z.array(z.number()),
  equity: z.array(z.number()),
  /** (equity / running peak − 1) × 100 per bar, ≤ 0. */
  drawdownPct: z.array(z.number()),
});
export type EquityCurve = z.infer<typeof equityCurveSchema>;

export const rejectionSchema = z.object({ code: z.string(), reason: z.string(), count: z.number().int() });
export type RejectionSummary = z.infer<typeof rejectionSchema>;

/** What every saved run (a backtest, an optimisation) is listed with: when, what it is called, on what data. */
export const savedRunSchema = z.object({
  id: z.number().int(),
  createdAt: z.string(),
  label: z.string(),
  symbol: z.string().nullable(),
  timeframe: z.string().nullable(),
  source: z.enum(['stored', 'csv']),
  strategy: z.string(),
});

/** A circuit breaker tripping during a backtest: at which bar, which breaker, what tripped it. */
export const breakerTripSchema = z.object({
  breaker: z.string(),
  /** The bar's open time, epoch seconds, like the trades' times. */
  time: z.number(),
  bar: z.number().int(),
  scope: z.enum(['account', 'bot', 'symbol']),
  state: z.enum(['reducing', 'halted']),
  /** When it was expected to recover, epoch seconds; null: after calm bars, or never in the run (re-arm). */
  until: z.number().nullable(),
  values: z.record(z.string(), z.number()),
  message: z.string(),
});
export type BreakerTrip = z.infer<typeof breakerTripSchema>;

export const backtestResultSchema = z.object({
  strategy: z.string(),
  /** The parameters as the strategy used them, defaults filled in. */
  params: z.record(z.string(), z.number()),
  spec: backtestSpecSchema,
  metrics: backtestMetricsSchema,
  equity: equityCurveSchema,
  trades: z.array(backtestTradeSchema),
  openTrade: openTradeSchema.nullable(),
  /** Orders the risk engine refused, grouped by reason (e.g. not enough equity for one lot). */
  rejections: z.array(rejectionSchema),
  /** Decimals the prices carry (EURUSD 5, shares 2): how every host shows the trades' prices. */
  priceDecimals: priceDecimalsSchema,
  /** The account ran out of money: the bar (and its time) where marked equity reached zero, and that equity. */
  ruin: z.object({ bar: z.number().int(), time: z.number(), equity: z.number() }).nullable().default(null),
  /** Every trip of the spec's breakers, in order; empty without breakers (absent in runs saved before them). */
  breakerTrips: z.array(breakerTripSchema).optional(),
});
export type BacktestResult = z.infer<typeof backtestResultSchema>;
