// How one CallResult leaves the headless host over HTTP. Results holding typed arrays (candle
// columns) go as a binary envelope to clients that ask for it (the UI sends Accept with
// binaryEnvelopeType); scripts and curl keep getting JSON, typed arrays written as number arrays.
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  binaryEnvelopeType,
  encodeBinaryEnvelope,
  holdsTypedArrays,
  jsonWithTypedArrays,
} from '../contract/binary-envelope.ts';
import type { CallResult } from '../contract/result.ts';
import { statusForResult } from './http-status.ts';

export function sendResult(request: FastifyRequest, reply: FastifyReply, result: CallResult) {
  reply.code(statusForResult(result));
  const wantsBytes = (request.headers.accept ?? '').includes(binaryEnvelopeType);
  if (wantsBytes && holdsTypedArrays(result)) {
    return reply.type(binaryEnvelopeType).send(Buffer.from(encodeBinaryEnvelope(result).buffer));
  }
  return reply.type('application/json').send(jsonWithTypedArrays(result));
}
