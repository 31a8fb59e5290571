// IGE encryption as one node:crypto aes-256-cbc pass (PERFORMANCE.md): for
// blocks x_b with the iv's c_-1 ‖ x_-1, IGE is c_b = E(x_b ⊕ c_(b-1)) ⊕ x_(b-1).
// With z_b = c_b ⊕ x_(b-1) that input is w_b ⊕ z_(b-1), w_b = x_b ⊕ x_(b-2):
// CBC over w with iv c_-1 gives z. OpenSSL's AES (AES-NI where there is
// one) then does the rounds; what is left to JavaScript is two XOR passes.
// Decryption has no such form: the input of each block's AES depends on
// the previous block's output.
import { createCipheriv } from 'node:crypto';

import { le32 } from './aes-key.js';
import { bytesOf, viewOf } from './views.js';

/**
 * IGE encryption of `n` bytes of `data` into `out` from `outOff` (the same
 * memory as `data`, or none of it); arguments already checked.
 */
export function igeEncryptCbc(data: Uint8Array, key: Uint8Array, iv: Uint8Array, out: Uint8Array, outOff: number, n: number): void {
  if (n === 0) return;
  const src = viewOf(data, 0, n);
  const dst = viewOf(out, outOff, n);
  // Key and iv are read before out is written: out may overlap them.
  const cipher = createCipheriv('aes-256-cbc', bytesOf(key, 0, 32), bytesOf(iv, 0, 16)).setAutoPadding(false);
  // x_-1 (the iv's second half); x_-2 does not exist: 0.
  const q0 = le32(iv, 16), q1 = le32(iv, 20), q2 = le32(iv, 24), q3 = le32(iv, 28);

  // w into out, last block first: in place, each x_b is read before it is overwritten.
  for (let i = n - 16; i >= 32; i -= 16) {
    dst.setInt32(i, src.getInt32(i, true) ^ src.getInt32(i - 32, true), true);
    dst.setInt32(i + 4, src.getInt32(i + 4, true) ^ src.getInt32(i - 28, true), true);
    dst.setInt32(i + 8, src.getInt32(i + 8, true) ^ src.getInt32(i - 24, true), true);
    dst.setInt32(i + 12, src.getInt32(i + 12, true) ^ src.getInt32(i - 20, true), true);
  }
  if (n >= 32) {
    dst.setInt32(16, src.getInt32(16, true) ^ q0, true);
    dst.setInt32(20, src.getInt32(20, true) ^ q1, true);
    dst.setInt32(24, src.getInt32(24, true) ^ q2, true);
    dst.setInt32(28, src.getInt32(28, true) ^ q3, true);
  }
  for (let i = 0; i < 16; i += 4) dst.setInt32(i, src.getInt32(i, true), true);

  const z = cipher.update(bytesOf(out, outOff, n));
  if (z.length !== n) throw new Error(`aes-256-cbc returned ${z.length} bytes for ${n}`);
  const zv = new DataView(z.buffer, z.byteOffset, n);

  // c_b = z_b ⊕ x_(b-1), with x_b = w_b ⊕ x_(b-2) recovered on the way.
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0; // x_(b-2)
  let b0 = q0, b1 = q1, b2 = q2, b3 = q3; // x_(b-1)
  for (let i = 0; i < n; i += 16) {
    const x0 = dst.getInt32(i, true) ^ a0;
    const x1 = dst.getInt32(i + 4, true) ^ a1;
    const x2 = dst.getInt32(i + 8, true) ^ a2;
    const x3 = dst.getInt32(i + 12, true) ^ a3;
    dst.setInt32(i, zv.getInt32(i, true) ^ b0, true);
    dst.setInt32(i + 4, zv.getInt32(i + 4, true) ^ b1, true);
    dst.setInt32(i + 8, zv.getInt32(i + 8, true) ^ b2, true);
    dst.setInt32(i + 12, zv.getInt32(i + 12, true) ^ b3, true);
    a0 = b0; a1 = b1; a2 = b2; a3 = b3;
    b0 = x0; b1 = x1; b2 = x2; b3 = x3;
  }
}
