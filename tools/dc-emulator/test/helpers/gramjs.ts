// Pointing GramJS (`telegram`) at the emulator: its server keys and its DC ports.
import { parseRsaPublicKey } from '@telegram-mt/client/mtproto';
import { _serverKeys } from 'telegram/crypto/RSA.js';
import { readBigIntFromBuffer } from 'telegram/Helpers.js';
import { ConnectionTCPFull } from 'telegram/network/index.js';

/** GramJS looks server keys up by the signed 64-bit fingerprint, as a decimal string. */
export function trustKeys(pems: readonly string[]): void {
  for (const pem of pems) {
    const key = parseRsaPublicKey(pem);
    const n = Buffer.from(key.n.toString(16).padStart(512, '0'), 'hex');
    _serverKeys.set(BigInt.asIntN(64, key.fingerprint).toString(), { n: readBigIntFromBuffer(n, false, false), e: Number(key.e) });
  }
}

/**
 * GramJS dials port 80 (443 with WSS) whatever the session says: its
 * connection class is the one place to put each emulated DC's own port.
 */
export function emulatorConnection(dcs: readonly { id: number; host: string; port: number }[]): typeof ConnectionTCPFull {
  return class extends ConnectionTCPFull {
    constructor(opts: ConstructorParameters<typeof ConnectionTCPFull>[0]) {
      const dc = dcs.find((d) => d.id === opts.dcId);
      if (dc === undefined) throw new Error(`GramJS asked for DC ${opts.dcId}, which the emulator does not have`);
      super({ ...opts, ip: dc.host, port: dc.port });
    }
  };
}
