// Errors are values the UI can show: a stable code, a sentence for people, and where it points.
// In the domain module so every layer (engines, storage, the contract) raises the same type without
// importing the contract; core/contract/errors.ts re-exports it.
import type { z } from 'zod';

export type ErrorCode =
  | 'invalid_input'
  | 'unknown_call'
  | 'license_required'
  | 'license_invalid'
  | 'forbidden_sender'
  /** The headless host wants its token (login link cookie or bearer header) first. */
  | 'unauthorized'
  | 'not_found'
  | 'keychain_unavailable'
  /** The operator's --secrets-dir, or a file in it, is open to other users, missing or read-only. */
  | 'secrets_dir_refused'
  | 'import_rejected'
  /** The call would change something in a way the user may not mean; repeat it with confirm: true. */
  | 'needs_confirmation'
  | 'payload_too_large'
  | 'cancelled'
  /** Starting one more bot would pass the licence's maxInstances (running bots at once). */
  | 'instance_limit'
  /** The call does not fit the thing's state now (e.g. removing a running bot). */
  | 'conflict'
  /** An exchange refused or could not be reached; detail.kind says which (rejected, outcome_unknown, retry_later). */
  | 'venue_error'
  /** A market-data or store provider (AlphaVantage, FRED, Shopify…) failed or answered in an unknown shape. */
  | 'provider_failed'
  | 'internal';

export interface FieldIssue {
  /** Dotted path of the offending field in the payload ("" for the payload itself). */
  path: string;
  message: string;
}

export interface CallError {
  code: ErrorCode;
  message: string;
  issues?: FieldIssue[];
  /** Extra machine-readable detail, e.g. the CSV line an import stopped at. */
  detail?: Record<string, unknown>;
  /** Why a licence refused the call (license_required / license_invalid): its own code and words. */
  reason?: { code: string; message: string };
}

/** An error raised inside the core that should reach the user as it is, not as "internal". */
export class AutobotError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[] | undefined;
  readonly detail: Record<string, unknown> | undefined;
  readonly reason: { code: string; message: string } | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      issues?: FieldIssue[];
      detail?: Record<string, unknown>;
      reason?: { code: string; message: string };
    } = {},
  ) {
    super(message);
    this.name = 'AutobotError';
    this.code = code;
    this.issues = options.issues;
    this.detail = options.detail;
    this.reason = options.reason;
  }

  toCallError(): CallError {
    const error: CallError = { code: this.code, message: this.message };
    if (this.issues) error.issues = this.issues;
    if (this.detail) error.detail = this.detail;
    if (this.reason) error.reason = this.reason;
    return error;
  }
}

/**
 * The same invalid_input error with its field paths placed under `prefix` ("params.slow" →
 * "spec.params.slow"), for a layer that names fields of a part of the call; paths in `keep` are
 * already call-level and stay as they are. Any other error passes through unchanged.
 */
export function withIssuePrefix(error: unknown, prefix: string, keep: readonly string[] = []): unknown {
  if (!(error instanceof AutobotError) || error.code !== 'invalid_input' || !error.issues) return error;
  return new AutobotError(error.code, error.message, {
    issues: error.issues.map((issue) => ({
      ...issue,
      path: keep.includes(issue.path) ? issue.path : issue.path ? `${prefix}.${issue.path}` : prefix,
    })),
    ...(error.detail ? { detail: error.detail } : {}),
  });
}

/** A schema's issues as field issues: dotted paths ("params.slow"), "" for the value itself. */
export function zodIssuesToFieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** A schema's refusal as AutobotError('invalid_input'): the first issue in the message, every issue listed. */
export function invalidInputError(zodIssues: readonly z.core.$ZodIssue[]): AutobotError {
  const issues = zodIssuesToFieldIssues(zodIssues);
  const first = issues[0]!;
  return new AutobotError('invalid_input', first.path ? `${first.path}: ${first.message}` : first.message, {
    issues,
  });
}
