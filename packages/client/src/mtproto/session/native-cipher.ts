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

/**
 * Messages from this size on are worth pairing: a file part's encryption is
 * two serial dependency chains (SHA-256 for msg_key, then IGE) that leave
 * most of the core idle; two messages' chains run side by side in about the
 * time of one. Under it, a call's fixed cost is the larger part.
 */
export const PAIR_FROM = 64 * 1024;

interface Job {
  authKey: Uint8Array;
  x: 0 | 8;
  plaintext: Uint8Array;
  out: Uint8Array;
}

/**
 * The default cipher, which can also encrypt large messages in pairs:
 * inside `collect(work)`, a large message that `work` seals is only noted,
 * and all of them are encrypted, two per call, before `collect` returns —
 * so no packet leaves `collect` unencrypted, whatever `work` does.
 */
export class PairingCipher implements MessageCipher {
  private jobs: Job[] | undefined;
  readonly decrypt: MessageCipher['decrypt'];
  /** Large messages encrypted two in one call, and those collected that had no partner. */
  readonly stats = { paired: 0, alone: 0 };

  constructor(private readonly crypto: Crypto) {
    this.decrypt = crypto.mtprotoDecrypt;
  }

  encrypt(authKey: Uint8Array, x: 0 | 8, plaintext: Uint8Array, out: Uint8Array): void {
    if (this.jobs !== undefined && plaintext.length >= PAIR_FROM) this.jobs.push({ authKey, x, plaintext, out });
    else this.crypto.mtprotoEncrypt(authKey, x, plaintext, out);
  }

  collect<T>(work: () => T): T {
    if (this.jobs !== undefined) return work(); // already collecting: the outer call encrypts
    const jobs: Job[] = (this.jobs = []);
    try {
      return work();
    } finally {
      this.jobs = undefined;
      this.encryptAll(jobs);
    }
  }

  private encryptAll(jobs: Job[]): void {
    const { mtprotoEncrypt, mtprotoEncryptPair } = this.crypto;
    let i = 0;
    for (; i + 1 < jobs.length; i += 2) {
      const a = jobs[i]!;
      const b = jobs[i + 1]!;
      mtprotoEncryptPair(a.authKey, a.x, a.plaintext, a.out, b.authKey, b.x, b.plaintext, b.out);
      this.stats.paired += 2;
    }
    for (; i < jobs.length; i++) {
      const a = jobs[i]!;
      mtprotoEncrypt(a.authKey, a.x, a.plaintext, a.out);
      this.stats.alone++;
    }
  }
}

let cached: PairingCipher | undefined;

/** The default cipher: crypto-native's default backend (the addon when it loads, else its TypeScript fallback). */
export function defaultCipher(): PairingCipher {
  return (cached ??= new PairingCipher(defaultCrypto));
}
