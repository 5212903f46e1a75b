// Jobs by name. A bundled host (Electron) cannot import job modules by file URL, so the job worker
// reaches every built-in job through this table, which the bundler follows like any import.
import type { JobContext } from './job-protocol.ts';

export type JobFunction = (input: unknown, context: JobContext) => unknown;

export const jobRegistry: Record<string, () => Promise<JobFunction>> = {
  backtest: async () => (await import('../backtest/backtest-job.ts')).run as JobFunction,
  'import-candles': async () => (await import('../data/import-candles-job.ts')).run as JobFunction,
  'parse-candles': async () => (await import('../data/parse-candles-job.ts')).run as JobFunction,
  'rl-train': async () => (await import('../rl/train-job.ts')).run as JobFunction,
  'rl-train-trading': async () => (await import('../rl/trading-train-job.ts')).run as JobFunction,
};

export type JobName = keyof typeof jobRegistry;
