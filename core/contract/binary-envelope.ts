// Call results that hold typed arrays (candle columns) travel as bytes, not as JSON number arrays:
// a million bars are 46 MB of JSON that take a second to stringify and another to parse, against
// 48 MB of float64 that the browser reads in place. The envelope is one JSON header describing the
// value, with each typed array replaced by a reference to its bytes, followed by the bytes:
//
//   "ABE1" | u32 header length (LE) | header (UTF-8 JSON) | padding to 8 | array bytes, each 8-aligned
//
// Decoding makes Float64Array views over the received buffer: no copy, no per-number parsing, so it
// stays on the main thread (what is left to do is trivially small). Lives in the contract because
// both the server and the renderer use it. Every platform AUTOBOT ships on is little-endian.

export const binaryEnvelopeType = 'application/x-autobot-binary';

const magic = 0x31454241; // "ABE1" read as a little-endian u32
const typedKinds = {
  f64: Float64Array,
  f32: Float32Array,
  i32: Int32Array,
  u32: Uint32Array,
  u8: Uint8Array,
} as const;
type TypedKind = keyof typeof typedKinds;
type Typed = InstanceType<(typeof typedKinds)[TypedKind]>;

interface TypedRef {
  $typed: TypedKind;
  offset: number;
  length: number;
}

function kindOf(value: unknown): TypedKind | null {
  if (value instanceof Float64Array) return 'f64';
  if (value instanceof Float32Array) return 'f32';
  if (value instanceof Int32Array) return 'i32';
  if (value instanceof Uint32Array) return 'u32';
  if (value instanceof Uint8Array) return 'u8';
  return null;
}

const align8 = (n: number) => (n + 7) & ~7;

/** Whether a value holds a typed array anywhere (then it is worth sending as an envelope). */
export function holdsTypedArrays(value: unknown): boolean {
  if (kindOf(value)) return true;
  if (Array.isArray(value)) return value.some(holdsTypedArrays);
  if (value && typeof value === 'object') return Object.values(value).some(holdsTypedArrays);
  return false;
}

/** The value as one envelope of bytes. */
export function encodeBinaryEnvelope(value: unknown): Uint8Array {
  const arrays: Typed[] = [];
  let offset = 0;
  const header = JSON.stringify(value, function (this: unknown, _key, item: unknown) {
    const kind = kindOf(item);
    if (!kind) return item;
    const typed = item as Typed;
    const ref: TypedRef = { $typed: kind, offset, length: typed.length };
    arrays.push(typed);
    offset = align8(offset + typed.byteLength);
    return ref;
  });
  const headerBytes = new TextEncoder().encode(header);
  const start = align8(8 + headerBytes.length);
  const out = new Uint8Array(start + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, true);
  view.setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  let at = start;
  for (const typed of arrays) {
    out.set(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength), at);
    at = align8(at + typed.byteLength);
  }
  return out;
}

/** The value of an envelope, typed arrays as views over `buffer`. */
export function decodeBinaryEnvelope(buffer: ArrayBuffer): unknown {
  const view = new DataView(buffer);
  if (buffer.byteLength < 8 || view.getUint32(0, true) !== magic) {
    throw new Error('The answer is not an AUTOBOT binary envelope.');
  }
  const headerLength = view.getUint32(4, true);
  const header = new TextDecoder().decode(new Uint8Array(buffer, 8, headerLength));
  const start = align8(8 + headerLength);
  return JSON.parse(header, (_key, item: unknown) => {
    if (!item || typeof item !== 'object' || !('$typed' in item)) return item;
    const ref = item as TypedRef;
    const Kind = typedKinds[ref.$typed];
    if (!Kind) throw new Error(`Unknown typed array kind ${String(ref.$typed)} in a binary envelope.`);
    return new Kind(buffer, start + ref.offset, ref.length);
  });
}

/** JSON for clients that did not ask for bytes (scripts, curl): typed arrays as plain number arrays. */
export function jsonWithTypedArrays(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (kindOf(item) ? Array.from(item as Typed) : item));
}
