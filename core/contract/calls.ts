// Every call the UI can make, declared once. The Electron preload, the IPC main, the headless
// server and the renderer client are all generated from this table: adding a call here is the
// only step needed to expose it everywhere, validated and behind the licence gate (its `access`).
import { z } from 'zod';
import { backtestResultSchema, backtestSpecSchema, savedRunSchema } from '../backtest/spec.ts';
import { paperCalls } from './paper-calls.ts';
import {
  optimizeProgressSchema,
  optimizeRequestSchema,
  optimizeResultSchema,
  optimizeRunSummarySchema,
} from '../optimize/spec.ts';
import { backtestConfigSchema } from '../optimize/export-best.ts';
import type { CallAccess } from './access.ts';
import { drawingsSchema } from './drawings.ts';
import { rlCalls, rlEvents } from './rl-calls.ts';
import { ctraderCalls } from './ctrader-calls.ts';
import { botsCalls, botsEvents } from './bots-calls.ts';
import { riskCalls, riskEvents } from './risk-calls.ts';

import { priceDecimalsSchema } from '../domain/price-format.ts';
import { symbolSchema } from '../domain/symbol.ts';
export { symbolSchema } from '../domain/symbol.ts';
import { ccxtCalls } from './ccxt-calls.ts';
import { marketDataCalls, marketDataEvents } from './market-data-calls.ts';
import { marketIntelligenceCalls } from './market-intelligence-calls.ts';
import { reinvestmentCalls } from './reinvestment-calls.ts';

/** Largest CSV accepted inline in candles.import; bigger files stream through an upload. */
export const inlineCsvMaxBytes = 16 * 1024 * 1024;

import { timeframeSchema } from '../domain/timeframe.ts';
export { timeframes, timeframeSchema, type Timeframe } from '../domain/timeframe.ts';

/** Unix time in seconds (UTC), the unit lightweight-charts and every venue agree on. */
const epochSeconds = z.number().int().min(0);

const seriesMetaSchema = z.object({
  symbol: z.string(),
  timeframe: timeframeSchema,
  count: z.number().int().nonnegative(),
  first: epochSeconds.nullable(),
  last: epochSeconds.nullable(),
  /** The timeframe these bars were resampled from; null for bars imported or downloaded. */
  derivedFrom: timeframeSchema.nullable(),
  /** Decimals the prices carry (EURUSD 5, BTC and shares 2): format prices with formatAtDecimals. */
  priceDecimals: priceDecimalsSchema,
});
export type SeriesMeta = z.infer<typeof seriesMetaSchema>;

/** Columnar candles: one array per field, index i is one bar. JSON-friendly for both transports. */
export const candleColumnsSchema = z.object({
  time: z.array(z.number()),
  open: z.array(z.number()),
  high: z.array(z.number()),
  low: z.array(z.number()),
  close: z.array(z.number()),
  volume: z.array(z.number()),
});
export type CandleColumnsJson = z.infer<typeof candleColumnsSchema>;

/**
 * Columnar candles as Float64Arrays: they cross the headless host as bytes (binary-envelope.ts) and
 * Electron's IPC by structured clone, never as JSON number arrays.
 */
const float64Column = z.custom<Float64Array>(
  (value) => value instanceof Float64Array,
  'must be a Float64Array',
);
export const typedCandleColumnsSchema = z.object({
  time: float64Column,
  open: float64Column,
  high: float64Column,
  low: float64Column,
  close: float64Column,
  volume: float64Column,
});
export type TypedCandleColumns = z.infer<typeof typedCandleColumnsSchema>;

/** An exchange or data provider id: "binance", "kraken", "alphavantage", "ctrader-demo"… */
const providerSchema = z
  .string()
  .trim()
  .min(1, 'provider is required')
  .max(64, 'provider is at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'provider may hold lower-case letters, digits and . _ - only');

/** Mirrors core/secrets/secrets-status.ts (the renderer imports only the contract). */
export const secretsStatusSchema = z.object({
  backend: z.enum(['keychain', 'directory']),
  available: z.boolean(),
  message: z.string(),
  fix: z.string().optional(),
  directory: z.string().optional(),
});
export type SecretsStatusJson = z.infer<typeof secretsStatusSchema>;

const maskedCredentialSchema = z.object({
  provider: z.string(),
  keyHint: z.string(),
  hasSecret: z.boolean(),
  hasPassphrase: z.boolean(),
  updatedAt: z.string(),
});

const licenseReasonSchema = z.object({ code: z.string(), message: z.string() });

/** The machine's 14-day trial (core/license/trial.ts). */
const trialStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('available'), days: z.number().int().positive() }),
  z.object({
    state: z.literal('active'),
    startedAt: z.string(),
    endsAt: z.string(),
    daysLeft: z.number().int().positive(),
  }),
  z.object({ state: z.literal('ended'), startedAt: z.string().optional(), endsAt: z.string().optional() }),
  z.object({ state: z.literal('suspended'), startedAt: z.string(), endsAt: z.string(), message: z.string() }),
  z.object({ state: z.literal('unavailable'), message: z.string() }),
]);
export type TrialStatusJson = z.infer<typeof trialStatusSchema>;

/** A venue orders can go to with real money. */
const liveVenueSchema = z.object({ id: z.string(), name: z.string() });

/** What the License page shows; mirrors core/license (which the renderer must not import: it uses node:crypto). */
export const licenseStatusSchema = z.object({
  state: z.enum(['none', 'valid', 'invalid']),
  reason: licenseReasonSchema.optional(),
  license: z
    .object({
      id: z.string(),
      licensee: z.string(),
      email: z.string(),
      plan: z.string(),
      features: z.array(z.string()),
      maxInstances: z.number().int(),
      maxMachines: z.number().int().nullable(),
      issuedAt: z.string(),
      expiresAt: z.string().optional(),
      product: z.string(),
    })
    .optional(),
  activation: z
    .object({ licenseId: z.string(), fingerprint: z.string(), activatedAt: z.string() })
    .optional(),
  activationRequest: z.string().optional(),
  /** What the app may do now: the licence's, the trial's or the free tier's. */
  tier: z.enum(['free', 'trial', 'licensed']),
  /** "free", "trial" or the licence's plan. */
  plan: z.string(),
  features: z.array(z.string()),
  maxInstances: z.number().int().nonnegative(),
  trial: trialStatusSchema,
  testKeyTrusted: z.boolean(),
});
export type LicenseStatusJson = z.infer<typeof licenseStatusSchema>;

/** A saved backtest or optimisation, by its id. */
const savedRunIdSchema = z.object({ id: z.number().int().positive('id must be a saved run id') }).strict();

/** What a backtest runs on: a stored series (optionally a time range of it) or an uploaded CSV. */
export const backtestDataSchema = z.discriminatedUnion(
  'source',
  [
    z
      .object({
        source: z.literal('stored'),
        symbol: symbolSchema,
        timeframe: timeframeSchema,
        from: epochSeconds.optional(),
        to: epochSeconds.optional(),
      })
      .strict()
      .refine((v) => v.from === undefined || v.to === undefined || v.from <= v.to, {
        message: 'from must not be after to',
        path: ['from'],
      }),
    z
      .object({
        source: z.literal('csv'),
        // Below the headless host's 64 MiB call limit (core/server/payload-limits.ts), JSON escaping
        // included; a bigger series is imported first and run as a stored one.
        csv: z
          .string()
          .min(1, 'the file is empty')
          .max(48 * 1024 * 1024, 'the file is larger than 48 MiB: import it and run the stored series'),
        fileName: z.string().max(260).optional(),
      })
      .strict(),
  ],
  { error: 'data.source must be "stored" or "csv"' },
);
export type BacktestDataJson = z.infer<typeof backtestDataSchema>;

/** The most equity-curve points a backtest answers with (the CLI's --full asks for all of them). */
export const maxCurvePoints = 1_000_000;

/** A caller-chosen id for one run, so it can follow its progress events and cancel it. */
const runIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'runId may hold 1 to 64 letters, digits, _ and - only');

export const backtestRunSummarySchema = savedRunSchema.extend({
  params: z.record(z.string(), z.number()),
  returnPct: z.number(),
  trades: z.number().int(),
});
export type BacktestRunSummaryJson = z.infer<typeof backtestRunSummarySchema>;

import { strategyInfoSchema } from '../strategies/strategy-info.ts';
export { strategyInfoSchema, type StrategyInfoJson } from '../strategies/strategy-info.ts';

export interface CallDeclaration<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** Who may make it: free, licensed (a licence or the running trial), or a licence feature (access.ts). */
  access: CallAccess;
  summary: string;
}

function declare<I extends z.ZodType, O extends z.ZodType>(declaration: CallDeclaration<I, O>) {
  return declaration;
}

export const calls = {
  ...marketDataCalls,
  ...ccxtCalls,
  'app.info': declare({
    summary: 'Version, host kind and data directory of the running core.',
    input: z.object({}).strict(),
    output: z.object({
      name: z.literal('AUTOBOT'),
      version: z.string(),
      host: z.enum(['electron', 'headless', 'cli', 'test']),
      dataDir: z.string(),
      node: z.string(),
    }),
    access: 'free',
  }),
  'candles.import': declare({
    summary:
      'Import an OHLCV CSV into a symbol and timeframe, all rows or none, in a worker with progress events; asks for confirm when the bars do not look like the series they join.',
    input: z
      .object({
        symbol: symbolSchema,
        timeframe: timeframeSchema,
        /** A small file's text (tests, tiny files); larger files go through an upload or a path. */
        csv: z
          .string()
          .min(1, 'the file is empty')
          .max(inlineCsvMaxBytes, 'the file is larger than 16 MiB: upload it (POST /api/upload) instead')
          .optional(),
        /** An id from POST /api/upload (headless host): the file streamed there first. */
        upload: z.string().max(64).optional(),
        /** A file on this machine (desktop app and CLI only; the headless host refuses it). */
        path: z.string().min(1).max(4096).optional(),
        fileName: z.string().max(260).optional(),
        /** Import even though the bars differ from the series (spacing, price level). */
        confirm: z.boolean().default(false),
        /** A caller-chosen id that candles.import.progress events carry. */
        importId: runIdSchema.optional(),
      })
      .strict()
      .refine((v) => [v.csv, v.upload, v.path].filter((x) => x !== undefined).length === 1, {
        message: 'give exactly one of csv, upload or path',
        path: ['csv'],
      }),
    output: z.object({
      symbol: z.string(),
      timeframe: timeframeSchema,
      rows: z.number().int().nonnegative(),
      inserted: z.number().int().nonnegative(),
      // Bars already stored at these times; their values are replaced by the file's.
      existing: z.number().int().nonnegative(),
      first: epochSeconds,
      last: epochSeconds,
    }),
    access: 'free',
  }),
  'candles.inspect': declare({
    summary:
      "What an import form proposes for a file: the symbol from its name and the timeframe from its first lines' spacing.",
    input: z
      .object({
        fileName: z.string().max(260),
        /** The first lines of the file (up to 1 MiB); a cut last line is ignored. */
        head: z.string().max(1024 * 1024, 'head is at most 1 MiB'),
      })
      .strict(),
    output: z.object({
      symbol: z.string().nullable(),
      timeframe: timeframeSchema.nullable(),
      spacingSeconds: z.number().nullable(),
      rows: z.number().int().nonnegative(),
    }),
    access: 'free',
  }),
  'candles.remove': declare({
    summary: 'Delete a stored series and all its candles.',
    input: z.object({ symbol: symbolSchema, timeframe: timeframeSchema }).strict(),
    output: z.object({ removed: z.boolean(), bars: z.number().int().nonnegative() }),
    access: 'free',
  }),
  'candles.list': declare({
    summary: 'Every stored series with its bar count and time range.',
    input: z.object({}).strict(),
    output: z.object({ series: z.array(seriesMetaSchema) }),
    access: 'free',
  }),
  'candles.get': declare({
    summary: 'Stored candles of one series, optionally within [from, to] (epoch seconds).',
    input: z
      .object({
        symbol: symbolSchema,
        timeframe: timeframeSchema,
        from: epochSeconds.optional(),
        to: epochSeconds.optional(),
      })
      .strict()
      .refine((v) => v.from === undefined || v.to === undefined || v.from <= v.to, {
        message: 'from must not be after to',
        path: ['from'],
      }),
    output: z.object({ symbol: z.string(), timeframe: timeframeSchema, candles: candleColumnsSchema }),
    access: 'free',
  }),
  'candles.window': declare({
    summary:
      'The bars of one symbol in [from, to] at the finest stored timeframe (no finer than `finest`) that fits in maxBars, or exactly at `timeframe`: what the chart shows as the user zooms.',
    input: z
      .object({
        symbol: symbolSchema,
        /** Exactly this timeframe (the latest maxBars bars of the range when it holds more). */
        timeframe: timeframeSchema.optional(),
        /** Auto resolution: the finest timeframe the window may use. */
        finest: timeframeSchema.optional(),
        from: epochSeconds.optional(),
        to: epochSeconds.optional(),
        maxBars: z
          .number()
          .int('maxBars must be a whole number')
          .min(10, 'maxBars must be at least 10')
          .max(20_000, 'maxBars is at most 20,000 (a screen shows a few thousand bars)')
          .default(2000),
      })
      .strict()
      .refine((v) => v.from === undefined || v.to === undefined || v.from <= v.to, {
        message: 'from must not be after to',
        path: ['from'],
      })
      .refine((v) => v.timeframe === undefined || v.finest === undefined, {
        message: 'give either timeframe (exact) or finest (auto), not both',
        path: ['finest'],
      }),
    output: z.object({
      symbol: z.string(),
      timeframe: timeframeSchema,
      derivedFrom: timeframeSchema.nullable(),
      truncated: z.boolean(),
      /** Decimals of the series' prices, for the price axis and the legend. */
      priceDecimals: priceDecimalsSchema,
      candles: typedCandleColumnsSchema,
    }),
    access: 'free',
  }),
  'chart.drawings': declare({
    summary: 'The horizontal and trend lines the user drew on a symbol’s chart.',
    input: z.object({ symbol: symbolSchema }).strict(),
    output: z.object({ symbol: z.string(), drawings: drawingsSchema }),
    access: 'free',
  }),
  'chart.saveDrawings': declare({
    summary: 'Replace the lines drawn on a symbol’s chart (all of them at once).',
    input: z.object({ symbol: symbolSchema, drawings: drawingsSchema }).strict(),
    output: z.object({ symbol: z.string(), drawings: drawingsSchema }),
    access: 'free',
  }),
  // backtest.* and optimize.* need no licence: research works offline without one (issue #10's free
  // tier), and the CLI runs them through this dispatcher without a keychain.
  'backtest.strategies': declare({
    summary: 'The built-in strategies and their parameters (names, defaults, ranges) for the Backtest form.',
    input: z.object({}).strict(),
    output: z.object({ strategies: z.array(strategyInfoSchema) }),
    access: 'free',
  }),
  'backtest.run': declare({
    summary:
      'Run a strategy over stored candles or an uploaded CSV; long runs wait their turn in the run queue (runs.queued), then go to a worker thread with progress events, and can be cancelled.',
    input: z
      .object({
        data: backtestDataSchema,
        spec: backtestSpecSchema,
        runId: runIdSchema.optional(),
        /** Save the run so it can be reopened and compared (default true). */
        save: z.boolean().default(true),
        label: z.string().trim().max(120, 'label is at most 120 characters').optional(),
        /** Most equity-curve points to return; metrics always use every bar. */
        curvePoints: z
          .number({ error: 'curvePoints must be a number' })
          .int('curvePoints must be a whole number')
          .min(2, 'curvePoints must be at least 2')
          .max(maxCurvePoints, `curvePoints must be at most ${maxCurvePoints.toLocaleString('en-US')}`)
          .default(2000),
        /** kernel (default for built-ins) or api, the strategy-object path: identical results. */
        mode: z.enum(['kernel', 'api'], { error: 'mode must be kernel or api' }).optional(),
      })
      .strict(),
    output: z.object({ run: backtestRunSummarySchema.nullable(), result: backtestResultSchema }),
    access: 'free',
  }),
  'backtest.cancel': declare({
    summary:
      'Cancel a backtest by its runId: a queued one leaves the queue, a running one stops within 100 ms.',
    input: z.object({ runId: runIdSchema }).strict(),
    output: z.object({ cancelled: z.boolean() }),
    access: 'free',
  }),
  'backtest.list': declare({
    summary: 'Saved backtest runs, newest first, with their headline figures.',
    input: z.object({}).strict(),
    output: z.object({ runs: z.array(backtestRunSummarySchema) }),
    access: 'free',
  }),
  'backtest.get': declare({
    summary: 'One saved backtest run with its full result.',
    input: savedRunIdSchema,
    output: z.object({ run: backtestRunSummarySchema, result: backtestResultSchema }),
    access: 'free',
  }),
  'backtest.remove': declare({
    summary: 'Delete a saved backtest run.',
    input: savedRunIdSchema,
    output: z.object({ removed: z.boolean() }),
    access: 'free',
  }),
  'optimize.run': declare({
    summary:
      'Search strategy parameters (grid or genetic) on a worker pool, with out-of-sample validation, after waiting for its threads in the run queue (runs.queued); progress events, cancellable.',
    input: z
      .object({
        data: backtestDataSchema,
        request: optimizeRequestSchema,
        runId: runIdSchema.optional(),
        save: z.boolean().default(true),
        label: z.string().trim().max(120, 'label is at most 120 characters').optional(),
        /** Worker threads (default: one per core; more than the host's cores run on as many as it has). */
        workers: z.number().int().min(1, 'workers must be at least 1').max(64).optional(),
      })
      .strict(),
    output: z.object({ run: optimizeRunSummarySchema.nullable(), result: optimizeResultSchema }),
    access: 'free',
  }),
  'optimize.cancel': declare({
    summary:
      'Cancel an optimisation by its runId: a queued one leaves the queue, a running one’s workers stop within 100 ms.',
    input: z.object({ runId: runIdSchema }).strict(),
    output: z.object({ cancelled: z.boolean() }),
    access: 'free',
  }),
  'optimize.list': declare({
    summary: 'Saved optimisations, newest first, with their best set and out-of-sample score.',
    input: z.object({}).strict(),
    output: z.object({ runs: z.array(optimizeRunSummarySchema) }),
    access: 'free',
  }),
  'optimize.get': declare({
    summary: 'One saved optimisation with its full result.',
    input: savedRunIdSchema,
    output: z.object({ run: optimizeRunSummarySchema, result: optimizeResultSchema }),
    access: 'free',
  }),
  'optimize.remove': declare({
    summary: 'Delete a saved optimisation and its evaluations.',
    input: savedRunIdSchema,
    output: z.object({ removed: z.boolean() }),
    access: 'free',
  }),
  'optimize.export': declare({
    summary:
      'A saved optimisation as files: its best parameters as a backtest config (JSON) and every evaluation (CSV).',
    input: savedRunIdSchema,
    output: z.object({
      config: backtestConfigSchema,
      configJson: z.string(),
      evaluationsCsv: z.string(),
      baseName: z.string(),
    }),
    access: 'free',
  }),
  'secrets.status': declare({
    summary:
      'Where secrets are kept (OS keychain or the --secrets-dir directory) and whether they can be now; when not, why and the fix for this OS.',
    input: z.object({}).strict(),
    output: secretsStatusSchema,
    // Free: it is what a page shows instead of failing when there is no keychain (no licence can be read then).
    access: 'free',
  }),
  'vault.list': declare({
    summary: 'Stored exchange and data-provider credentials, masked (never the secrets themselves).',
    input: z.object({}).strict(),
    output: z.object({ credentials: z.array(maskedCredentialSchema) }),
    access: 'licensed',
  }),
  'vault.save': declare({
    summary: 'Add or replace the API key of one exchange or data provider, in the OS keychain.',
    input: z
      .object({
        provider: providerSchema,
        key: z.string().trim().min(1, 'the API key is required').max(4096),
        secret: z.string().trim().min(1, 'the API secret is required').max(8192),
        passphrase: z.string().max(1024).optional(),
      })
      .strict(),
    output: maskedCredentialSchema,
    access: 'licensed',
  }),
  'vault.remove': declare({
    summary: 'Remove the stored API key of one provider.',
    input: z.object({ provider: providerSchema }).strict(),
    output: z.object({ removed: z.boolean() }),
    access: 'licensed',
  }),
  'license.status': declare({
    summary: 'The installed licence, its state and, when refused, the reason in plain words.',
    input: z.object({}).strict(),
    output: licenseStatusSchema,
    access: 'free',
  }),
  'license.install': declare({
    summary: 'Install a licence key (pasted text or the content of a .license file) into the OS keychain.',
    input: z.object({ key: z.string().trim().min(1, 'paste a licence key').max(20_000) }).strict(),
    output: licenseStatusSchema,
    access: 'free',
  }),
  'license.installActivation': declare({
    summary: "Install the vendor's activation file for this machine.",
    input: z.object({ activation: z.string().trim().min(1, 'paste the activation').max(20_000) }).strict(),
    output: licenseStatusSchema,
    access: 'free',
  }),
  'license.startTrial': declare({
    summary:
      'Start the 14-day trial on this machine (once per machine): every feature but live trading. Refused with the reason if already used.',
    input: z.object({}).strict(),
    output: licenseStatusSchema,
    access: 'free',
  }),
  'license.remove': declare({
    summary:
      'Remove the licence and its activation from this machine; the trial (if still running) or the free tier applies again.',
    input: z.object({}).strict(),
    output: z.object({ removed: z.boolean() }),
    access: 'free',
  }),
  'live.venues': declare({
    summary:
      'The venues a bot can trade real money on now: a connected cTrader Live session, and every ccxt exchange with an API key saved (venue "live" bots, docs/bots.md).',
    input: z.object({}).strict(),
    output: z.object({ venues: z.array(liveVenueSchema) }),
    access: { feature: 'live-trading' },
  }),
  ...botsCalls,
  ...paperCalls(backtestDataSchema),
  ...rlCalls,
  ...ctraderCalls,
  ...riskCalls,
  ...marketIntelligenceCalls,
  ...reinvestmentCalls,
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>;

export const callNames = Object.keys(calls) as CallName[];

export function isCallName(name: string): name is CallName {
  return Object.hasOwn(calls, name);
}

/** The kinds of heavy run that share a host's run queue. */
import { runKindSchema } from '../jobs/run-kind.ts';
export { runKindSchema, type RunKind } from '../jobs/run-kind.ts';

/** Events the core pushes to every connected UI (progress, data changes). */
export const events = {
  ...marketDataEvents,
  'candles.changed': z.object({ symbol: z.string(), timeframe: timeframeSchema }),
  'candles.import.progress': z.object({
    importId: z.string().nullable(),
    symbol: z.string(),
    timeframe: timeframeSchema,
    fraction: z.number().min(0).max(1),
  }),
  'backtest.progress': z.object({ runId: z.string(), fraction: z.number().min(0).max(1) }),
  'optimize.progress': optimizeProgressSchema.extend({ runId: z.string() }),
  // The host's run queue (core/jobs/run-queue.ts): a heavy run waiting for a free slot hears its
  // position (1 = next) each time it changes, then that it started.
  'runs.queued': z.object({
    runId: z.string(),
    kind: runKindSchema,
    position: z.number().int().min(1),
  }),
  'runs.started': z.object({ runId: z.string(), kind: runKindSchema }),
  ...rlEvents,
  ...botsEvents,
  ...riskEvents,
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]>;
