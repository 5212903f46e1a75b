import type { ErrorCode } from '../contract/errors.ts';
import type { CallResult } from '../contract/result.ts';

const statusByCode: Record<ErrorCode, number> = {
  invalid_input: 400,
  import_rejected: 422,
  needs_confirmation: 409,
  payload_too_large: 413,
  unknown_call: 404,
  not_found: 404,
  license_required: 402,
  license_invalid: 403,
  forbidden_sender: 403,
  unauthorized: 401,
  keychain_unavailable: 503,
  secrets_dir_refused: 503,
  cancelled: 409,
  instance_limit: 409,
  conflict: 409,
  // The exchange, not this server, refused or failed: a bad gateway in HTTP's words.
  venue_error: 502,
  provider_failed: 502,
  internal: 500,
};

export function statusForResult(result: CallResult): number {
  return result.ok ? 200 : statusByCode[result.error.code];
}
