// AES-256-CTR on the addon. The stream's state (round keys, counter,
// leftover keystream) is a plain Uint8Array this closure owns, so there is
// no native object to wrap or finalize; each update is one crossing.
import type { AesCtrFactory, AesCtrStream } from '../types.js';
import { isBytes } from '../validate.js';
import type { Addon } from './addon.js';

/** native/ctr.h: kCtrStateSize */
const CTR_STATE_SIZE = 273;

export function nativeAesCtr(addon: Addon): AesCtrFactory {
  const { ctrInit, ctrUpdate } = addon;
  return (key: Uint8Array, iv: Uint8Array): AesCtrStream => {
    const state = new Uint8Array(CTR_STATE_SIZE);
    ctrInit(key, iv, state);
    return {
      update(data: Uint8Array, out?: Uint8Array): Uint8Array {
        if (out === undefined) {
          // A pooled Buffer is cheaper than an ArrayBuffer made in the addon.
          const fresh = Buffer.allocUnsafe(isBytes(data) ? data.length : 0);
          ctrUpdate(state, data, fresh);
          return fresh;
        }
        ctrUpdate(state, data, out);
        return out.length === data.length ? out : out.subarray(0, data.length);
      },
    };
  };
}
