// The handshake's AES-IGE and pq factorization, from crypto-native's default
// backend (the addon when it loads, its TypeScript fallback otherwise).
import { createCrypto, type Crypto } from '@telegram-mt/crypto-native';

let crypto: Crypto | undefined;

function backend(): Crypto {
  return (crypto ??= createCrypto());
}

export function aesIgeEncrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array {
  return backend().aesIgeEncrypt(data, key, iv);
}

export function aesIgeDecrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array {
  return backend().aesIgeDecrypt(data, key, iv);
}

export function factorizePQ(pq: bigint): [bigint, bigint] {
  return backend().factorizePQ(pq);
}
