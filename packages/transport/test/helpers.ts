import { randomBytes, randomInt } from 'node:crypto';

/**
 * Random packets of MTProto-like sizes (multiples of 4), including big ones.
 * Server → client tests use minSize 24: a shorter packet starting with a
 * negative int32 *is* a transport error packet by definition.
 */
export function randomPackets(count: number, maxSize = 4096, minSize = 4): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const pick = randomInt(10);
    const size = pick === 0 ? 4 * randomInt(127, 200) /* around abridged's 0x7f switch */ : pick === 1 ? 4 : 4 * randomInt(1, maxSize / 4);
    out.push(randomBytes(Math.max(size, minSize)));
  }
  return out;
}

export type Chunker = (bytes: Uint8Array) => Uint8Array[];

/** The ways to cut a byte stream that every codec must survive. */
export const chunkers: Record<string, Chunker> = {
  coalesced: (b) => [b], // every packet in one chunk
  oneByte: (b) => Array.from({ length: b.length }, (_, i) => b.subarray(i, i + 1)),
  randomSplits: (b) => {
    const out: Uint8Array[] = [];
    for (let i = 0; i < b.length; ) {
      const n = Math.min(b.length - i, 1 + randomInt(randomInt(2) ? 7 : 3000));
      out.push(b.subarray(i, i + n));
      i += n;
    }
    return out;
  },
};

export function concat(parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

/** Resolve with the promise's value, or reject after `ms`. */
export function within<T>(ms: number, promise: Promise<T>, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    }),
  ]);
}
