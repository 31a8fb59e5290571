// DataViews over a caller's bytes, made through the intrinsic accessors so
// a Uint8Array subclass that overrides `buffer` and co. cannot point the
// cipher at other memory.

const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as object;
const getter = (name: string) => Object.getOwnPropertyDescriptor(typedArrayProto, name)!.get!;
const bufferOf = getter('buffer') as (this: Uint8Array) => ArrayBufferLike;
const offsetOf = getter('byteOffset') as (this: Uint8Array) => number;

/** A DataView over `n` bytes of `b` from `off` (the caller checked the range). */
export function viewOf(b: Uint8Array, off: number, n: number): DataView {
  return new DataView(bufferOf.call(b), offsetOf.call(b) + off, n);
}

/** A plain Uint8Array over `n` bytes of `b` from `off` (the caller checked the range). */
export function bytesOf(b: Uint8Array, off: number, n: number): Uint8Array {
  return new Uint8Array(bufferOf.call(b), offsetOf.call(b) + off, n);
}
