import { TransportError } from '../errors.js';

/** An MTProxy secret, decoded. */
export interface MtproxySecret {
  /** 'plain': 16 bytes; 'dd': padded intermediate only; 'ee': fake-TLS with `domain`. */
  readonly kind: 'plain' | 'dd' | 'ee';
  /** The 16-byte key mixed into the obfuscation keys (and the fake-TLS HMAC key). */
  readonly key: Uint8Array;
  /** The domain the fake-TLS ClientHello names (ee only). */
  readonly domain?: string;
}

/**
 * Parse a secret as users get it: hex (32 chars, or `dd` + 32, or `ee` + 32 +
 * hex of the domain), base64url of the same bytes, or the raw bytes.
 */
export function parseMtproxySecret(secret: string | Uint8Array | MtproxySecret): MtproxySecret {
  if (!(secret instanceof Uint8Array) && typeof secret === 'object') return secret;
  const bytes = typeof secret === 'string' ? decodeText(secret) : secret;
  if (bytes.length === 16) return { kind: 'plain', key: Uint8Array.from(bytes) };
  if (bytes.length === 17 && bytes[0] === 0xdd) return { kind: 'dd', key: bytes.slice(1, 17) };
  if (bytes.length > 17 && bytes[0] === 0xee) {
    const domain = Buffer.from(bytes.subarray(17)).toString('latin1');
    if (!/^[A-Za-z0-9.-]{1,253}$/.test(domain)) throw new TransportError('BAD_SECRET', 'BAD_SECRET: ee secret carries an invalid domain');
    return { kind: 'ee', key: bytes.slice(1, 17), domain };
  }
  throw new TransportError('BAD_SECRET', `BAD_SECRET: cannot read a ${bytes.length}-byte MTProxy secret`);
}

function decodeText(text: string): Uint8Array {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]+$/.test(trimmed) && trimmed.length % 2 === 0) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9_\-+/]+=*$/.test(trimmed)) return Buffer.from(trimmed, 'base64url');
  throw new TransportError('BAD_SECRET', 'BAD_SECRET: neither hex nor base64');
}
