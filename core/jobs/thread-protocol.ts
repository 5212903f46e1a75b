// Everything a pooled thread (warm-threads.ts) can be asked and can answer: a job (job-protocol.ts)
// or an optimisation's tasks (core/optimize/pool-protocol.ts). One thread body serves both, so
// backtests, imports and optimisations share one set of warm threads.
import type { PoolReply, PoolRequest } from '../optimize/pool-protocol.ts';
import type { JobMessage, JobRequest } from './job-protocol.ts';

export type ThreadRequest = JobRequest | PoolRequest;
export type ThreadReply = JobMessage | PoolReply;
