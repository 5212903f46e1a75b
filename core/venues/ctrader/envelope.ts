// The JSON envelope of the Open API's JSON port: {"clientMsgId":"…","payloadType":2100,"payload":{…}}.
// Parsing is lenient in the two ways the docs leave open (payloadType as number or name, int64 as
// number or string — the readers in scaling.ts take both) and strict about the shape.
import { readPayloadType } from './payload-types.ts';

export interface Envelope {
  clientMsgId?: string | undefined;
  payloadType: number;
  payload: Record<string, unknown>;
}

export function encodeEnvelope(envelope: Envelope): string {
  return JSON.stringify(envelope);
}

/** One frame → an envelope; throws a RangeError naming what is wrong with it. */
export function decodeEnvelope(text: string): Envelope {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new RangeError(`cTrader message is not JSON: ${text.slice(0, 80)}`);
  }
  if (typeof raw !== 'object' || raw === null) throw new RangeError('cTrader message is not an object');
  const record = raw as Record<string, unknown>;
  const payloadType = readPayloadType(record.payloadType);
  if (!Number.isInteger(payloadType))
    throw new RangeError(`payloadType is not a known message: ${JSON.stringify(record.payloadType)}`);
  const payload = record.payload ?? {};
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw new RangeError(`payload of message ${payloadType} is not an object`);
  const clientMsgId = record.clientMsgId;
  return {
    payloadType,
    payload: payload as Record<string, unknown>,
    clientMsgId: typeof clientMsgId === 'string' ? clientMsgId : undefined,
  };
}
