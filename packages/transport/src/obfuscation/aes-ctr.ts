import { createCipheriv } from 'node:crypto';

/** One direction of AES-256-CTR: a keystream that continues across calls. */
export interface AesCtrStream {
  /**
   * Encrypt (= decrypt) `data`. A backend may honour `out` (same length as
   * `data`, possibly `data` itself) and write there; one that ignores it
   * returns fresh bytes. Callers use the return value either way.
   */
  update(data: Uint8Array, out?: Uint8Array): Uint8Array;
}

/**
 * Where the obfuscation's AES-256-CTR comes from. node:crypto by default; a
 * faster backend (e.g. an addon with interleaved AES-NI) can be passed in
 * without this package depending on it.
 */
export type AesCtrFactory = (key: Uint8Array, iv: Uint8Array) => AesCtrStream;

/** node:crypto has no in-place update: `out` is dropped and every call allocates. */
export const nodeAesCtr: AesCtrFactory = (key, iv) => {
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  return { update: (data) => cipher.update(data) };
};
