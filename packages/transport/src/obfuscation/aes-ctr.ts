import { createCipheriv } from 'node:crypto';

/** One direction of AES-256-CTR: a keystream that continues across calls. */
export interface AesCtrStream {
  update(data: Uint8Array): Uint8Array;
}

/**
 * Where the obfuscation's AES-256-CTR comes from. node:crypto by default; a
 * faster backend (e.g. an addon with interleaved AES-NI) can be passed in
 * without this package depending on it.
 */
export type AesCtrFactory = (key: Uint8Array, iv: Uint8Array) => AesCtrStream;

export const nodeAesCtr: AesCtrFactory = (key, iv) => createCipheriv('aes-256-ctr', key, iv);
