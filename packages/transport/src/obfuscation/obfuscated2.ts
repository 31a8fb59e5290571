import { createHash, randomBytes } from 'node:crypto';
import { nodeAesCtr, type AesCtrFactory, type AesCtrStream } from './aes-ctr.js';

export interface Obfuscated2Options {
  /** MTProxy secret key (16 bytes); mixed into both keys. */
  secret?: Uint8Array;
  /** Randomness for the init (tests). */
  random?: (n: number) => Uint8Array;
  aesCtr?: AesCtrFactory;
}

/**
 * "obfuscated2": the client sends 64 random bytes; bytes 8–55 give an AES-256-CTR
 * key (8–39) and IV (40–55) for client → server, and the same 48 bytes reversed
 * give the server → client key and IV. With an MTProxy secret each key becomes
 * SHA-256(key ‖ secret). Bytes 56–59 carry the protocol tag and 60–61 the DC id;
 * the client encrypts all 64 bytes with its stream but puts only bytes 56–63 of
 * the ciphertext on the wire, so the server can decrypt the tag.
 */
export class Obfuscated2 {
  private constructor(
    private readonly encryptor: AesCtrStream,
    private readonly decryptor: AesCtrStream,
  ) {}

  /**
   * Encrypt outgoing bytes (continues the stream). With `inPlace` the caller
   * hands `bytes` over and a backend that can writes the ciphertext into them,
   * saving an allocation and a copy per call; use the return value either way.
   */
  encrypt(bytes: Uint8Array, inPlace = false): Uint8Array {
    return inPlace ? this.encryptor.update(bytes, bytes) : this.encryptor.update(bytes);
  }

  /** Decrypt incoming bytes (continues the stream); `inPlace` as for encrypt(). */
  decrypt(bytes: Uint8Array, inPlace = false): Uint8Array {
    return inPlace ? this.decryptor.update(bytes, bytes) : this.decryptor.update(bytes);
  }

  /** Client: a fresh init for `tag` and `dcId` and the cipher pair that goes with it. */
  static client(tag: number, dcId: number, options: Obfuscated2Options = {}): { init: Uint8Array; obfuscation: Obfuscated2 } {
    const { secret, random = randomBytes, aesCtr = nodeAesCtr } = options;
    const init = new Uint8Array(64);
    do init.set(random(64)); while (isReservedStart(init));
    const view = new DataView(init.buffer);
    view.setUint32(56, tag >>> 0, true);
    view.setInt16(60, dcId, true);
    const keys = deriveKeys(init, secret);
    const encryptor = aesCtr(keys.forwardKey, keys.forwardIv);
    const decryptor = aesCtr(keys.backwardKey, keys.backwardIv);
    const encrypted = encryptor.update(init);
    const wire = new Uint8Array(64);
    wire.set(init.subarray(0, 56));
    wire.set(encrypted.subarray(56, 64), 56);
    return { init: wire, obfuscation: new Obfuscated2(encryptor, decryptor) };
  }

  /**
   * Server: read a client's 64-byte init with `secret` (or none). Returns the
   * decrypted tag and DC id with the server's cipher pair; the caller decides
   * whether the tag is one it knows (a wrong secret gives a random tag).
   */
  static server(init: Uint8Array, options: Omit<Obfuscated2Options, 'random'> = {}): { tag: number; dcId: number; obfuscation: Obfuscated2 } {
    const { secret, aesCtr = nodeAesCtr } = options;
    const keys = deriveKeys(init, secret);
    // The server decrypts with the client's forward stream and encrypts with the backward one.
    const decryptor = aesCtr(keys.forwardKey, keys.forwardIv);
    const encryptor = aesCtr(keys.backwardKey, keys.backwardIv);
    const plain = decryptor.update(init.subarray(0, 64));
    const view = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
    return { tag: view.getUint32(56, true), dcId: view.getInt16(60, true), obfuscation: new Obfuscated2(encryptor, decryptor) };
  }
}

/**
 * First words a server would take for another transport: abridged's 0xef,
 * HTTP verbs, the intermediate tags, a TLS handshake record; and a zero second
 * word, which the full transport's first seq number would be.
 */
export function isReservedStart(init: Uint8Array): boolean {
  if (init[0] === 0xef) return true;
  const first = (init[0]! | (init[1]! << 8) | (init[2]! << 16) | (init[3]! << 24)) >>> 0;
  if (RESERVED_FIRST_WORDS.has(first)) return true;
  return (init[4]! | init[5]! | init[6]! | init[7]!) === 0;
}

const RESERVED_FIRST_WORDS = new Set([
  0x44414548, // "HEAD"
  0x54534f50, // "POST"
  0x20544547, // "GET "
  0x4954504f, // "OPTI"
  0x02010316, // 16 03 01 02: a TLS ClientHello record
  0xdddddddd,
  0xeeeeeeee,
]);

function deriveKeys(init: Uint8Array, secret?: Uint8Array) {
  const forward = init.subarray(8, 56);
  const backward = Uint8Array.from(forward).reverse();
  const key = (k: Uint8Array) => (secret ? createHash('sha256').update(k).update(secret).digest() : k);
  return {
    forwardKey: key(forward.subarray(0, 32)),
    forwardIv: forward.subarray(32, 48),
    backwardKey: key(backward.subarray(0, 32)),
    backwardIv: backward.subarray(32, 48),
  };
}
