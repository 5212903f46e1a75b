// The Open API error codes this client acts on. ProtoOAErrorRes carries `errorCode` as the enum's
// name; the JSON port may also send the number, so both spellings normalise to the name
// (numbers from /work/shared/docs/venues.md).
const names = new Map<number, string>([
  [1, 'OA_AUTH_TOKEN_EXPIRED'],
  [9, 'MARKET_CLOSED'],
  [11, 'BLOCKED_PAYLOAD_TYPE'],
  [104, 'CH_ACCESS_TOKEN_INVALID'],
  [108, 'REQUEST_FREQUENCY_EXCEEDED'],
  [109, 'SERVER_IS_UNDER_MAINTENANCE'],
  [118, 'NOT_ENOUGH_MONEY'],
  [121, 'ORDER_NOT_FOUND'],
]);

export function errorCodeName(code: unknown): string {
  if (typeof code === 'number') return names.get(code) ?? String(code);
  if (typeof code === 'string' && /^\d+$/.test(code)) return names.get(Number(code)) ?? code;
  return typeof code === 'string' && code !== '' ? code : 'UNKNOWN_ERROR';
}

/** The access token no longer works: refresh it once, then ask the user to reconnect. */
export function isTokenError(code: string): boolean {
  return code === 'OA_AUTH_TOKEN_EXPIRED' || code === 'CH_ACCESS_TOKEN_INVALID';
}

/** The request was not taken and may be sent again later (after `retryAfter` when given). */
export function isRetryLater(code: string): boolean {
  return (
    code === 'REQUEST_FREQUENCY_EXCEEDED' ||
    code === 'SERVER_IS_UNDER_MAINTENANCE' ||
    code === 'BLOCKED_PAYLOAD_TYPE'
  );
}
