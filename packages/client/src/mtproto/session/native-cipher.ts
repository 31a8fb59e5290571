import { defaultCrypto, type Crypto } from '@telegram-mt/crypto-native';
import type { MessageCipher, OpenJob } from './cipher.js';

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

/** A ciphertext already decrypted in place by `openAhead`, and whether its msg_key matched. */
interface Opened {
  authKey: Uint8Array;
  ciphertext: Uint8Array;
  ok: boolean;
}

const sameRegion = (a: Uint8Array, b: Uint8Array): boolean => a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.length === b.length;

/**
 * The default cipher, which can also work on large messages in pairs.
 * Sending: inside `collect(work)`, a large message that `work` seals is only
 * noted, and all of them are encrypted, two per call, before `collect`
 * returns — so no packet leaves `collect` unencrypted, whatever `work` does.
 * Receiving: `openAhead(jobs, work)` decrypts received messages in place, two
 * per call, and while `work` runs, `decrypt` of one of those ciphertexts
 * gives the result already there instead of decrypting it again.
 */
export class PairingCipher implements MessageCipher {
  private jobs: Job[] | undefined;
  private readonly opened: Opened[] = [];
  /** Large messages encrypted (decrypted) two in one call, and those that had no partner. */
  readonly stats = { paired: 0, alone: 0, openedPaired: 0, openedAlone: 0 };

  constructor(private readonly crypto: Crypto) {}

  decrypt(authKey: Uint8Array, x: 0 | 8, msgKey: Uint8Array, ciphertext: Uint8Array, out: Uint8Array): boolean {
    const opened = this.opened;
    for (let i = 0; i < opened.length; i++) {
      const o = opened[i]!;
      if (o.authKey !== authKey || !sameRegion(o.ciphertext, ciphertext)) continue;
      opened.splice(i, 1);
      // Decrypted where it lies (or zeroed when its msg_key did not match).
      if (!sameRegion(out, ciphertext)) out.set(ciphertext);
      return o.ok;
    }
    return this.crypto.mtprotoDecrypt(authKey, x, msgKey, ciphertext, out);
  }

  /**
   * Decrypts `jobs` in place, two per call, then runs `work`, in which
   * `decrypt` finds them done. Whatever `work` leaves unasked is forgotten
   * when it returns: no later packet in a reused buffer can be taken for one
   * of these.
   */
  openAhead<T>(jobs: readonly OpenJob[], work: () => T): T {
    const { mtprotoDecrypt, mtprotoDecryptPair } = this.crypto;
    const opened: Opened[] = [];
    let i = 0;
    for (; i + 1 < jobs.length; i += 2) {
      const a = jobs[i]!;
      const b = jobs[i + 1]!;
      const ok = mtprotoDecryptPair(a.authKey, a.x, a.msgKey, a.ciphertext, a.ciphertext, b.authKey, b.x, b.msgKey, b.ciphertext, b.ciphertext);
      opened.push({ authKey: a.authKey, ciphertext: a.ciphertext, ok: (ok & 1) !== 0 }, { authKey: b.authKey, ciphertext: b.ciphertext, ok: (ok & 2) !== 0 });
      this.stats.openedPaired += 2;
    }
    for (; i < jobs.length; i++) {
      const a = jobs[i]!;
      opened.push({ authKey: a.authKey, ciphertext: a.ciphertext, ok: mtprotoDecrypt(a.authKey, a.x, a.msgKey, a.ciphertext, a.ciphertext) });
      this.stats.openedAlone++;
    }
    this.opened.push(...opened);
    try {
      return work();
    } finally {
      for (const o of opened) {
        const k = this.opened.indexOf(o);
        if (k >= 0) this.opened.splice(k, 1);
      }
    }
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
