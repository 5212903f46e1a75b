import type { ErrorCode, FieldIssue } from '../domain/autobot-error.ts';

/** What the host posts to a thread to run a job on it (worker-job.ts → thread-worker.ts). */
export type JobRequest =
  | {
      type: 'job';
      /** Unique per job in this process: the thread tags every answer with it. */
      jobId: number;
      /** A registry name, or (from source only) a module's file URL. */
      job: string;
      byUrl: boolean;
      exportName: string;
      input: unknown;
      /** The job's CancelFlag, read at every progress report. */
      cancelFlag: SharedArrayBuffer;
    }
  /** Aborts the job's signal, for jobs that wait on something rather than compute. */
  | { type: 'cancel-job'; jobId: number };

/** What a thread posts back about a job. */
export type JobMessage = { jobId: number } & (
  | { type: 'progress'; fraction: number; message?: string }
  | { type: 'done'; value: unknown }
  | { type: 'cancelled' }
  | {
      type: 'error';
      message: string;
      code?: ErrorCode;
      issues?: FieldIssue[];
      detail?: Record<string, unknown>;
    }
);

/** What a job module's run() receives besides its input. */
export interface JobContext {
  /** Aborted once the job is cancelled; a synchronous job sees it at its next progress report. */
  signal: AbortSignal;
  progress(fraction: number, message?: string): void;
}
