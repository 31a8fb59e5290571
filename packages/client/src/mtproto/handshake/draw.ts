// The randomness both ends of the handshake draw: nonces and paddings of an
// exact length, and DH exponents whose g^x lands in the range the spec allows.
import { randomBytes } from 'node:crypto';
import { dhPower, isDhValueInRange } from '../dh.js';
import { plain } from './primitives.js';
import type { RandomSource } from './types.js';

/**
 * A draw of exactly n bytes from `source` (default crypto.randomBytes). A
 * source that returns the wrong length is a bug in the caller's injection,
 * so it throws instead of being padded or cut.
 */
export function randomTaker(source?: RandomSource): (n: number) => Uint8Array {
  const random = source ?? ((n) => new Uint8Array(randomBytes(n)));
  return (n) => {
    const b = random(n);
    if (b.length !== n) throw new RangeError(`random source returned ${b.length} bytes, wanted ${n}`);
    return plain(b);
  };
}

/**
 * Keeps the exponent x (with gX = g^x mod prime) unless gX falls outside the
 * 2^(2048−64) margins, which happens with probability ~2^-64 per draw; then
 * draws again, at most three times. The caller still checks the result.
 */
export function dhExponentInRange(
  prime: Uint8Array,
  g: number,
  x: Uint8Array,
  gX: Uint8Array,
  take: (n: number) => Uint8Array,
): { x: Uint8Array; gX: Uint8Array } {
  for (let i = 0; i < 3 && !isDhValueInRange(gX, prime); i++) {
    x = take(256);
    gX = dhPower(prime, g, x);
  }
  return { x, gX };
}
