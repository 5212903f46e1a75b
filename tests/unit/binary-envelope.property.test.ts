// Candle columns cross the headless host as bytes: whatever a result holds must come back equal,
// typed arrays as typed arrays of the same kind and values (NaN and -0 included), the rest as JSON.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeBinaryEnvelope,
  encodeBinaryEnvelope,
  holdsTypedArrays,
  jsonWithTypedArrays,
} from '../../core/contract/binary-envelope.ts';

const typed = fc.oneof(
  fc.float64Array({ maxLength: 300 }),
  fc.float32Array({ maxLength: 50 }),
  fc.int32Array({ maxLength: 50 }),
  fc.uint32Array({ maxLength: 50 }),
  fc.uint8Array({ maxLength: 61 }),
);
const jsonLeaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    jsonLeaf,
    typed,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(
      fc.string({ maxLength: 6 }).filter((k) => k !== '$typed' && k !== '__proto__'),
      tie('node'),
      {
        maxKeys: 4,
        noNullPrototype: true,
      },
    ),
  ),
})).node;

describe('the binary envelope', () => {
  it('round-trips any value, typed arrays bit for bit and of the same kind', () => {
    fc.assert(
      fc.property(value, (original) => {
        const bytes = encodeBinaryEnvelope(original);
        // A copy into a fresh buffer, as a network read would give.
        const decoded = decodeBinaryEnvelope(bytes.slice().buffer);
        expect(decoded).toStrictEqual(original);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps every typed array 8-byte aligned so Float64Array views need no copy', () => {
    const result = {
      ok: true,
      value: { a: new Uint8Array([1, 2, 3]), b: new Float64Array([1.5, Number.NaN, -0]), label: 'ü' },
    };
    const decoded = decodeBinaryEnvelope(encodeBinaryEnvelope(result).slice().buffer) as typeof result;
    expect(decoded.value.b).toBeInstanceOf(Float64Array);
    expect(decoded.value.b.byteOffset % 8).toBe(0);
    expect(Object.is(decoded.value.b[2], -0)).toBe(true);
    expect(Number.isNaN(decoded.value.b[1])).toBe(true);
    expect(decoded.value.label).toBe('ü');
  });

  it('refuses bytes that are not an envelope', () => {
    expect(() => decodeBinaryEnvelope(new TextEncoder().encode('{"ok":true}').buffer)).toThrow(
      /not an AUTOBOT/,
    );
  });

  it('writes typed arrays as number arrays for JSON clients', () => {
    const value = { ok: true, value: { close: new Float64Array([1.25, 2]) } };
    expect(holdsTypedArrays(value)).toBe(true);
    expect(holdsTypedArrays({ ok: true, value: [1, 2] })).toBe(false);
    expect(JSON.parse(jsonWithTypedArrays(value))).toEqual({ ok: true, value: { close: [1.25, 2] } });
  });
});
