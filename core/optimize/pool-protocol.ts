// The messages between the optimisation pool (host) and its workers.
import type { ErrorCode, FieldIssue } from '../contract/errors.ts';
import type { ParamSet } from './parameter-space.ts';
import type { SetDetail } from './set-evaluator.ts';
import type { KeyMetrics } from './spec.ts';
import type { BarRange } from './validation.ts';

export type PoolRequest =
  | { type: 'evaluate'; id: number; window: BarRange; sets: ParamSet[] }
  | { type: 'detail'; id: number; window: BarRange; params: ParamSet; rsiAtEntry: boolean };

export type PoolReply =
  | { type: 'ready' }
  | { type: 'evaluated'; id: number; metrics: KeyMetrics[] }
  | { type: 'detail'; id: number; detail: SetDetail }
  | { type: 'cancelled'; id: number }
  | {
      type: 'failed';
      /** −1 when the worker could not start. */
      id: number;
      error: { code: ErrorCode | null; message: string; issues?: FieldIssue[] };
    };
