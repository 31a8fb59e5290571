import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateRsaKeyPair, parseRsaKeyPair, type RsaKeyPair } from '@telegram-mt/client/mtproto';

/**
 * Where the emulator keeps its RSA private key when no path is given:
 * $XDG_CACHE_HOME or ~/.cache when the home directory is writable, else the
 * OS temp dir. Generating a 2048-bit key costs ~100 ms, and clients that
 * pin the emulator's public key want it to stay the same between runs.
 */
export function defaultRsaKeyPath(): string {
  const cache = process.env.XDG_CACHE_HOME || (homedir() ? join(homedir(), '.cache') : tmpdir());
  return join(cache, 'telegram-mt', 'dc-emulator-rsa.pem');
}

/**
 * The key pair kept at `path` (a PKCS#1 or PKCS#8 private key PEM), or a
 * fresh one written there (mode 0600, through a rename so a concurrent reader
 * never sees half a file). A file that exists but does not hold a usable
 * 2048-bit RSA key is an error, not silently replaced.
 */
export function loadOrCreateRsaKeyPair(path: string): RsaKeyPair {
  let pem: string | undefined;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (pem !== undefined) {
    try {
      return parseRsaKeyPair(pem);
    } catch (err) {
      throw new Error(`${path} does not hold a 2048-bit RSA private key: ${(err as Error).message}`);
    }
  }
  const pair = generateRsaKeyPair();
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, pair.privateKeyPem, { mode: 0o600 });
    renameSync(tmp, path);
  } catch (err) {
    // Not being able to keep the key costs only a new key next time.
    process.emitWarning(`dc-emulator: could not save the RSA key to ${path}: ${(err as Error).message}`);
  }
  return pair;
}
