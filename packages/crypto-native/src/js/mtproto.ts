// The MTProto 2.0 message cipher on the TypeScript backend: SHA-256 from
// node:crypto, IGE from aes-ige.ts (core.telegram.org/mtproto/description).
import { createHash, timingSafeEqual } from 'node:crypto';

import { igeDecrypt, igeEncrypt } from './aes-ige.js';

const aesKey = new Uint8Array(32);
const aesIv = new Uint8Array(32);
const msgKeyCopy = new Uint8Array(16);

function sha256(a: Uint8Array, b: Uint8Array): Buffer {
  return createHash('sha256').update(a).update(b).digest();
}

/** msg_key: the middle 128 bits of SHA-256(auth_key[88+x, 32] ‖ plaintext). */
function msgKeyOf(authKey: Uint8Array, x: number, plaintext: Uint8Array): Buffer {
  return sha256(authKey.subarray(88 + x, 120 + x), plaintext).subarray(8, 24);
}

function deriveKeyIv(authKey: Uint8Array, x: number, msgKey: Uint8Array): void {
  const a = sha256(msgKey, authKey.subarray(x, x + 36));
  const b = sha256(authKey.subarray(40 + x, 76 + x), msgKey);
  aesKey.set(a.subarray(0, 8), 0);
  aesKey.set(b.subarray(8, 24), 8);
  aesKey.set(a.subarray(24, 32), 24);
  aesIv.set(b.subarray(0, 8), 0);
  aesIv.set(a.subarray(8, 24), 8);
  aesIv.set(b.subarray(24, 32), 24);
}

/** Arguments already checked (validate.ts). */
export function mtprotoEncrypt(authKey: Uint8Array, x: number, plaintext: Uint8Array, out: Uint8Array): void {
  const msgKey = msgKeyOf(authKey, x, plaintext);
  deriveKeyIv(authKey, x, msgKey);
  igeEncrypt(plaintext, aesKey, aesIv, out, 16, plaintext.length);
  out.set(msgKey, 0); // last: plaintext may have overlapped this region
}

/** Arguments already checked (validate.ts). */
export function mtprotoDecrypt(
  authKey: Uint8Array,
  x: number,
  msgKey: Uint8Array,
  ciphertext: Uint8Array,
  out: Uint8Array,
): boolean {
  const n = ciphertext.length;
  msgKeyCopy.set(msgKey); // out may alias msgKey
  deriveKeyIv(authKey, x, msgKeyCopy);
  igeDecrypt(ciphertext, aesKey, aesIv, out, 0, n);
  const expected = msgKeyOf(authKey, x, out.subarray(0, n));
  if (!timingSafeEqual(expected, msgKeyCopy)) {
    out.fill(0, 0, n);
    return false;
  }
  return true;
}
