import { defaultCrypto, type Crypto } from '@telegram-mt/crypto-native';
import type { MessageCipher } from './cipher.js';

/**
 * A MessageCipher on a `@telegram-mt/crypto-native` backend: its fused
 * msg_key + key derivation + IGE call, one crossing per packet.
 */
export function cipherFrom(crypto: Crypto): MessageCipher {
  const { mtprotoEncrypt, mtprotoDecrypt } = crypto;
  return { encrypt: mtprotoEncrypt, decrypt: mtprotoDecrypt };
}

let cached: MessageCipher | undefined;

/** The default cipher: crypto-native's default backend (the addon when it loads, else its TypeScript fallback). */
export function defaultCipher(): MessageCipher {
  return (cached ??= cipherFrom(defaultCrypto));
}
