// A caller's buffer reused when it fits. Its own file because both the engine and the kernels use
// it: the kernels import the engine's types, so the engine importing a kernel file made a cycle.

/** `buffer` when it fits `length`, else a new array. */
export function reusable(buffer: Float64Array | undefined, length: number): Float64Array {
  return buffer !== undefined && buffer.length === length ? buffer : new Float64Array(length);
}
