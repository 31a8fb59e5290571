// The handshake's AES-IGE and pq factorization, from crypto-native's default
// backend (the addon when it loads, its TypeScript fallback otherwise).
import { createCrypto, type Crypto } from '@telegram-mt/crypto-native';

let crypto: Crypto | undefined;

function backend(): Crypto {
  return (crypto ??= createCrypto());
}

/** A plain Uint8Array view: a Buffer's slice() would alias instead of copy, and compare unequal in tests. */
export function plain(b: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(b) === Uint8Array.prototype ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export function aesIgeEncrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array {
  return plain(backend().aesIgeEncrypt(data, key, iv));
}

export function aesIgeDecrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array {
  return plain(backend().aesIgeDecrypt(data, key, iv));
}

export function factorizePQ(pq: bigint): [bigint, bigint] {
  return backend().factorizePQ(pq);
}
