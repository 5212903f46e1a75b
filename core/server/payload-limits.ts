// How much one call may carry. A JSON body or a WebSocket message becomes one string in the
// process, and V8 cannot hold a string past ~512 MiB (ERR_STRING_TOO_LONG would kill the host), so
// both limits sit far below that; files larger than a call should carry stream through an upload.
import type { CallResult } from '../contract/result.ts';

export const maxCallBodyBytes = 64 * 1024 * 1024;
export const maxWebSocketMessageBytes = 64 * 1024 * 1024;

export function describeBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/** The answer to a body or message over `limit`: the limit named, and where big files go instead. */
export function payloadTooLarge(what: string, limit: number): CallResult<never> {
  return {
    ok: false,
    error: {
      code: 'payload_too_large',
      message: `${what} is larger than ${describeBytes(limit)}, the most one call may carry; send large files as an upload.`,
    },
  };
}
