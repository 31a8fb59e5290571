// A deliberately plain MTProto 2.0 message cipher on node:crypto, written
// from core.telegram.org/mtproto/description, to check the native fused call
// against and to run the session tests on when the addon is not built.
import { createCipheriv, createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import type { MessageCipher } from '../../src/mtproto/session/cipher.js';

function sha256(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

function keyIv(authKey: Uint8Array, x: number, msgKey: Uint8Array): { key: Buffer; iv: Buffer } {
  const a = sha256(msgKey, authKey.subarray(x, x + 36));
  const b = sha256(authKey.subarray(40 + x, 76 + x), msgKey);
  const key = Buffer.concat([a.subarray(0, 8), b.subarray(8, 24), a.subarray(24, 32)]);
  const iv = Buffer.concat([b.subarray(0, 8), a.subarray(8, 24), b.subarray(24, 32)]);
  return { key, iv };
}

function msgKeyOf(authKey: Uint8Array, x: number, plaintext: Uint8Array): Buffer {
  return sha256(authKey.subarray(88 + x, 120 + x), plaintext).subarray(8, 24);
}

function ige(data: Uint8Array, key: Buffer, iv: Buffer, encrypt: boolean): Uint8Array {
  const aes = encrypt ? createCipheriv('aes-256-ecb', key, null) : createDecipheriv('aes-256-ecb', key, null);
  aes.setAutoPadding(false);
  const out = new Uint8Array(data.length);
  // y_prev and x_prev: the ciphertext and plaintext of the block before (the iv halves at first).
  let cPrev = encrypt ? iv.subarray(0, 16) : iv.subarray(16, 32);
  let pPrev = encrypt ? iv.subarray(16, 32) : iv.subarray(0, 16);
  const block = Buffer.alloc(16);
  for (let i = 0; i < data.length; i += 16) {
    const inBlock = data.subarray(i, i + 16);
    for (let j = 0; j < 16; j++) block[j] = inBlock[j]! ^ cPrev[j]!;
    const t = aes.update(block);
    for (let j = 0; j < 16; j++) out[i + j] = t[j]! ^ pPrev[j]!;
    pPrev = Buffer.from(inBlock);
    cPrev = Buffer.from(out.subarray(i, i + 16));
  }
  return out;
}

export const referenceCipher: MessageCipher = {
  encrypt(authKey, x, plaintext, out) {
    const msgKey = msgKeyOf(authKey, x, plaintext);
    const { key, iv } = keyIv(authKey, x, msgKey);
    out.set(msgKey, 0);
    out.set(ige(plaintext, key, iv, true), 16);
  },
  decrypt(authKey, x, msgKey, ciphertext, out) {
    const { key, iv } = keyIv(authKey, x, msgKey);
    out.set(ige(ciphertext, key, iv, false));
    return timingSafeEqual(msgKeyOf(authKey, x, out), msgKey);
  },
};
