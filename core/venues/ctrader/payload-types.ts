// The cTrader Open API message numbers (payloadType), taken from each message's `payloadType`
// default in Spotware's .proto files, not from the enum names (13 of those differ) —
// /work/shared/docs/venues.md. Only the messages this client sends or reads are listed.
export const PayloadType = {
  errorRes: 50,
  heartbeatEvent: 51,
  applicationAuthReq: 2100,
  applicationAuthRes: 2101,
  accountAuthReq: 2102,
  accountAuthRes: 2103,
  newOrderReq: 2106,
  cancelOrderReq: 2108,
  amendOrderReq: 2109,
  closePositionReq: 2111,
  symbolsListReq: 2114,
  symbolsListRes: 2115,
  symbolByIdReq: 2116,
  symbolByIdRes: 2117,
  traderReq: 2121,
  traderRes: 2122,
  reconcileReq: 2124,
  reconcileRes: 2125,
  executionEvent: 2126,
  subscribeSpotsReq: 2127,
  subscribeSpotsRes: 2128,
  spotEvent: 2131,
  orderErrorEvent: 2132,
  dealListReq: 2133,
  dealListRes: 2134,
  getTrendbarsReq: 2137,
  getTrendbarsRes: 2138,
  oaErrorRes: 2142,
  accountsTokenInvalidatedEvent: 2147,
  clientDisconnectEvent: 2148,
  getAccountListByAccessTokenReq: 2149,
  getAccountListByAccessTokenRes: 2150,
  refreshTokenReq: 2173,
  refreshTokenRes: 2174,
  orderListReq: 2175,
  orderListRes: 2176,
  orderDetailsReq: 2181,
  orderDetailsRes: 2182,
} as const;

export type PayloadTypeNumber = (typeof PayloadType)[keyof typeof PayloadType];

/** Requests counted against the 5-per-second history limit rather than only the general 50. */
export const historyRequests: ReadonlySet<number> = new Set([
  PayloadType.getTrendbarsReq,
  PayloadType.dealListReq,
]);

/**
 * The proto enum names of these messages, in case JSON mode spells payloadType as a name: both
 * spellings are accepted because which one the JSON port uses is unverified.
 */
const byName = new Map<string, number>([
  ['ERROR_RES', 50],
  ['HEARTBEAT_EVENT', 51],
  ...Object.entries(PayloadType).map(
    ([key, value]) =>
      [`PROTO_OA_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`, value] as [string, number],
  ),
]);

/** A payloadType as it arrived (number, numeric string or proto name) → its number, or NaN. */
export function readPayloadType(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return Number(value);
    return byName.get(value.toUpperCase()) ?? Number.NaN;
  }
  return Number.NaN;
}
