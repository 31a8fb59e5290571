// The DC emulator for the file transfer benchmark, in its own process: its
// CPU work runs on the other core. Prints one JSON line {dcs, rsaPublicKeys}
// on stdout, then a JSON line {phone, code} for every login code it sends, so
// that the benchmark can sign in any client (users are made on first sign-up
// through auth.signUp, or given with --users phone,phone… on DC 2).
// Its RSA key is one whose fingerprint starts with a non-zero hex digit: mtcute
// 0.30.3 cannot find keys whose fingerprint starts with 0 (see
// tools/dc-emulator/test/mtcute-login.test.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadOrCreateRsaKeyPair, startEmulator } from '@telegram-mt/dc-emulator';

function keyMtcuteFinds(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tgmt-bench-files-'));
  for (let i = 0; i < 32; i++) {
    const path = join(dir, `rsa-${i}.pem`);
    if (BigInt.asUintN(64, loadOrCreateRsaKeyPair(path).publicKey.fingerprint) >> 60n !== 0n) return path;
  }
  throw new Error('32 RSA keys in a row with a fingerprint starting with 0');
}

const { values } = parseArgs({ options: { users: { type: 'string' }, dcs: { type: 'string' } } });
const emulator = await startEmulator({
  dcCount: Number(values.dcs ?? 2),
  host: '127.0.0.1',
  rsaKeyPath: keyMtcuteFinds(),
  world: {
    passwordIterations: 1000,
    fileBytesMax: 4 * 1024 ** 3,
    log: (line) => {
      const m = /^login code for \+(\d+): (\d+)$/.exec(line);
      if (m) process.stdout.write(JSON.stringify({ phone: m[1], code: m[2] }) + '\n');
    },
  },
});
for (const phone of (values.users ?? '').split(',').filter(Boolean)) {
  emulator.world.createUser({ phone, firstName: `Bench ${phone.slice(-3)}`, dc: 2 });
}
const stop = (): void => {
  void emulator.stop().finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.stdout.write(JSON.stringify({ dcs: emulator.dcs, rsaPublicKeys: emulator.rsaPublicKeys }) + '\n');
