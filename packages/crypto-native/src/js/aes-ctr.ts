// AES-256-CTR for the TypeScript backend: node:crypto's aes-256-ctr, which
// is already native code (a table AES in JS would only be slower).
import { createCipheriv } from 'node:crypto';

import type { AesCtrFactory, AesCtrStream } from '../types.js';
import { aesCtrArgs, aesCtrUpdateArgs, bytes } from '../validate.js';

export const jsAesCtr: AesCtrFactory = (key: Uint8Array, iv: Uint8Array): AesCtrStream => {
  aesCtrArgs(key, iv);
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  return {
    update(data: Uint8Array, out?: Uint8Array): Uint8Array {
      if (out === undefined) return cipher.update(bytes(data, 'data'));
      aesCtrUpdateArgs(data, out);
      out.set(cipher.update(data));
      return out.length === data.length ? out : out.subarray(0, data.length);
    },
  };
};
