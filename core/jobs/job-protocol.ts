import type { ErrorCode, FieldIssue } from '../contract/errors.ts';

/** What a job worker posts back to its host. */
export type JobMessage =
  | { type: 'progress'; fraction: number; message?: string }
  | { type: 'done'; value: unknown }
  | { type: 'cancelled' }
  | {
      type: 'error';
      message: string;
      code?: ErrorCode;
      issues?: FieldIssue[];
      detail?: Record<string, unknown>;
    };

/** What a job module's run() receives besides its input. */
export interface JobContext {
  signal: AbortSignal;
  progress(fraction: number, message?: string): void;
}
