// The messages between the optimisation pool (host) and its threads. A thread outlives a run
// (core/jobs/warm-threads.ts): 'load' gives it one run's candles, cancel flag and strategy,
// 'unload' drops them when the run lets the thread go; in between it answers the run's evaluate and
// detail tasks.
import type { ErrorCode, FieldIssue } from '../domain/autobot-error.ts';
import type { ParamSet } from './parameter-space.ts';
import type { EvaluatorSetup, SetDetail } from './set-evaluator.ts';
import type { SharedCandles } from './shared-candles.ts';
import type { KeyMetrics } from './spec.ts';
import type { BarRange } from './validation.ts';

/** The work of a run, one task per message; the thread checks the run's cancel flag before each. */
export type PoolTask =
  | { type: 'evaluate'; id: number; window: BarRange; sets: ParamSet[] }
  | { type: 'detail'; id: number; window: BarRange; params: ParamSet; rsiAtEntry: boolean };

export type PoolRequest =
  /** Answered 'ready', or 'failed' with id −1. */
  | { type: 'load'; candles: SharedCandles; cancelFlag: SharedArrayBuffer; setup: EvaluatorSetup }
  /** Not answered: the next message the thread can get is another run's 'load'. */
  | { type: 'unload' }
  | PoolTask;

export type PoolReply =
  | { type: 'ready' }
  | { type: 'evaluated'; id: number; metrics: KeyMetrics[] }
  | { type: 'detail'; id: number; detail: SetDetail }
  | { type: 'cancelled'; id: number }
  | {
      type: 'failed';
      /** −1 when the thread could not load the run. */
      id: number;
      error: { code: ErrorCode | null; message: string; issues?: FieldIssue[] };
    };
