// Pointing mtcute (`@mtcute/node`) at the emulator.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateRsaKeyPair } from '../../src/index.js';

/**
 * mtcute 0.30.3 files a server key under its fingerprint as 16 hex digits but
 * looks the server's fingerprints up without the leading zeros, so a key whose
 * fingerprint starts with a 0 digit is never found (1 key in 16; Telegram's
 * own keys happen not to). Makes keys until it has one mtcute finds; returns its path.
 */
export function rsaKeyMtcuteFinds(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tgmt-emu-'));
  for (let i = 0; i < 32; i++) {
    const path = join(dir, `rsa-${i}.pem`);
    if (BigInt.asUintN(64, loadOrCreateRsaKeyPair(path).publicKey.fingerprint) >> 60n !== 0n) return path;
  }
  throw new Error('32 RSA keys in a row with a fingerprint starting with 0');
}
