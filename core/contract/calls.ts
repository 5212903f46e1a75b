// Every call the UI can make, declared once. The Electron preload, the IPC main, the headless
// server and the renderer client are all generated from this table: adding a call here is the
// only step needed to expose it everywhere, validated and behind the licence gate.
import { z } from 'zod';
import { backtestResultSchema, backtestSpecSchema, savedRunSchema } from '../backtest/spec.ts';
import {
  optimizeProgressSchema,
  optimizeRequestSchema,
  optimizeResultSchema,
  optimizeRunSummarySchema,
} from '../optimize/spec.ts';
import { backtestConfigSchema } from '../optimize/export-best.ts';

export const symbolSchema = z
  .string()
  .trim()
  .min(1, 'symbol is required')
  .max(40, 'symbol is at most 40 characters')
  .regex(/^[A-Za-z0-9._/:-]+$/, 'symbol may hold letters, digits and . _ / : - only');

export const timeframes = ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w', '1M'] as const;
export const timeframeSchema = z.enum(timeframes);
export type Timeframe = z.infer<typeof timeframeSchema>;

/** Unix time in seconds (UTC), the unit lightweight-charts and every venue agree on. */
const epochSeconds = z.number().int().min(0);

const seriesMetaSchema = z.object({
  symbol: z.string(),
  timeframe: timeframeSchema,
  count: z.number().int().nonnegative(),
  first: epochSeconds.nullable(),
  last: epochSeconds.nullable(),
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

/** An exchange or data provider id: "binance", "kraken", "alphavantage", "ctrader-demo"… */
const providerSchema = z
  .string()
  .trim()
  .min(1, 'provider is required')
  .max(64, 'provider is at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'provider may hold lower-case letters, digits and . _ - only');

const maskedCredentialSchema = z.object({
  provider: z.string(),
  keyHint: z.string(),
  hasSecret: z.boolean(),
  hasPassphrase: z.boolean(),
  updatedAt: z.string(),
});

const licenseReasonSchema = z.object({ code: z.string(), message: z.string() });

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
        csv: z
          .string()
          .min(1, 'the file is empty')
          .max(512 * 1024 * 1024, 'the file is larger than 512 MiB'),
        fileName: z.string().max(260).optional(),
      })
      .strict(),
  ],
  { error: 'data.source must be "stored" or "csv"' },
);
export type BacktestDataJson = z.infer<typeof backtestDataSchema>;

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

const strategyParamSchema = z.object({
  name: z.string(),
  label: z.string(),
  description: z.string(),
  default: z.number().nullable(),
  min: z.number().optional(),
  max: z.number().optional(),
  step: z.number().optional(),
  integer: z.boolean(),
  optional: z.boolean(),
});

export const strategyInfoSchema = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  params: z.array(strategyParamSchema),
});
export type StrategyInfoJson = z.infer<typeof strategyInfoSchema>;

export interface CallDeclaration<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** The licence gate refuses this call unless a valid licence is active. */
  requiresLicense: boolean;
  /** Licence features this call additionally needs (e.g. "live-trading"). */
  features?: readonly string[];
  summary: string;
}

function declare<I extends z.ZodType, O extends z.ZodType>(declaration: CallDeclaration<I, O>) {
  return declaration;
}

export const calls = {
  'app.info': declare({
    summary: 'Version, host kind and data directory of the running core.',
    input: z.object({}).strict(),
    output: z.object({
      name: z.literal('AUTOBOT'),
      version: z.string(),
      host: z.enum(['electron', 'headless', 'test']),
      dataDir: z.string(),
      node: z.string(),
    }),
    requiresLicense: false,
  }),
  'candles.import': declare({
    summary: 'Import an OHLCV CSV into a symbol and timeframe, all rows or none.',
    input: z
      .object({
        symbol: symbolSchema,
        timeframe: timeframeSchema,
        csv: z
          .string()
          .min(1, 'the file is empty')
          .max(512 * 1024 * 1024, 'the file is larger than 512 MiB'),
        fileName: z.string().max(260).optional(),
      })
      .strict(),
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
    requiresLicense: true,
  }),
  'candles.list': declare({
    summary: 'Every stored series with its bar count and time range.',
    input: z.object({}).strict(),
    output: z.object({ series: z.array(seriesMetaSchema) }),
    requiresLicense: true,
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
    requiresLicense: true,
  }),
  'backtest.strategies': declare({
    summary: 'The built-in strategies and their parameters (names, defaults, ranges) for the Backtest form.',
    input: z.object({}).strict(),
    output: z.object({ strategies: z.array(strategyInfoSchema) }),
    requiresLicense: true,
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
        curvePoints: z.number().int().min(2).max(1_000_000).default(2000),
      })
      .strict(),
    output: z.object({ run: backtestRunSummarySchema.nullable(), result: backtestResultSchema }),
    requiresLicense: true,
  }),
  'backtest.cancel': declare({
    summary:
      'Cancel a backtest by its runId: a queued one leaves the queue, a running one stops within 100 ms.',
    input: z.object({ runId: runIdSchema }).strict(),
    output: z.object({ cancelled: z.boolean() }),
    requiresLicense: true,
  }),
  'backtest.list': declare({
    summary: 'Saved backtest runs, newest first, with their headline figures.',
    input: z.object({}).strict(),
    output: z.object({ runs: z.array(backtestRunSummarySchema) }),
    requiresLicense: true,
  }),
  'backtest.get': declare({
    summary: 'One saved backtest run with its full result.',
    input: savedRunIdSchema,
    output: z.object({ run: backtestRunSummarySchema, result: backtestResultSchema }),
    requiresLicense: true,
  }),
  'backtest.remove': declare({
    summary: 'Delete a saved backtest run.',
    input: savedRunIdSchema,
    output: z.object({ removed: z.boolean() }),
    requiresLicense: true,
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
    requiresLicense: true,
  }),
  'optimize.cancel': declare({
    summary:
      'Cancel an optimisation by its runId: a queued one leaves the queue, a running one’s workers stop within 100 ms.',
    input: z.object({ runId: runIdSchema }).strict(),
    output: z.object({ cancelled: z.boolean() }),
    requiresLicense: true,
  }),
  'optimize.list': declare({
    summary: 'Saved optimisations, newest first, with their best set and out-of-sample score.',
    input: z.object({}).strict(),
    output: z.object({ runs: z.array(optimizeRunSummarySchema) }),
    requiresLicense: true,
  }),
  'optimize.get': declare({
    summary: 'One saved optimisation with its full result.',
    input: savedRunIdSchema,
    output: z.object({ run: optimizeRunSummarySchema, result: optimizeResultSchema }),
    requiresLicense: true,
  }),
  'optimize.remove': declare({
    summary: 'Delete a saved optimisation and its evaluations.',
    input: savedRunIdSchema,
    output: z.object({ removed: z.boolean() }),
    requiresLicense: true,
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
    requiresLicense: true,
  }),
  'vault.list': declare({
    summary: 'Stored exchange and data-provider credentials, masked (never the secrets themselves).',
    input: z.object({}).strict(),
    output: z.object({ credentials: z.array(maskedCredentialSchema) }),
    requiresLicense: true,
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
    requiresLicense: true,
  }),
  'vault.remove': declare({
    summary: 'Remove the stored API key of one provider.',
    input: z.object({ provider: providerSchema }).strict(),
    output: z.object({ removed: z.boolean() }),
    requiresLicense: true,
  }),
  'license.status': declare({
    summary: 'The installed licence, its state and, when refused, the reason in plain words.',
    input: z.object({}).strict(),
    output: licenseStatusSchema,
    requiresLicense: false,
  }),
  'license.install': declare({
    summary: 'Install a licence key (pasted text or the content of a .license file) into the OS keychain.',
    input: z.object({ key: z.string().trim().min(1, 'paste a licence key').max(20_000) }).strict(),
    output: licenseStatusSchema,
    requiresLicense: false,
  }),
  'license.installActivation': declare({
    summary: "Install the vendor's activation file for this machine.",
    input: z.object({ activation: z.string().trim().min(1, 'paste the activation').max(20_000) }).strict(),
    output: licenseStatusSchema,
    requiresLicense: false,
  }),
  'license.remove': declare({
    summary: 'Remove the licence and its activation from this machine; the app locks again.',
    input: z.object({}).strict(),
    output: z.object({ removed: z.boolean() }),
    requiresLicense: false,
  }),
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
export const runKindSchema = z.enum(['backtest', 'optimize', 'import', 'train']);

/** Events the core pushes to every connected UI (progress, data changes). */
export const events = {
  'candles.changed': z.object({ symbol: z.string(), timeframe: timeframeSchema }),
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
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]>;
export type RunKind = z.output<typeof runKindSchema>;
