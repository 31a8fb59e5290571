// Telethon, an independent MTProto client, against the emulator: proves the
// server side without our own client. Needs Debian's python3-telethon, which
// scripts/ensure-telethon.sh installs with apt-get; only when that fails is
// the test skipped, and then loudly.
import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator } from '../src/index.js';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const ensureScript = join(here, '..', 'scripts', 'ensure-telethon.sh');
const driver = join(here, 'telethon', 'driver.py');
const python = '/usr/bin/python3';

let unavailable: string | undefined;
try {
  await run('sh', [ensureScript], { timeout: 300_000 });
} catch (err) {
  const e = err as { stderr?: string; message: string };
  unavailable = (e.stderr || e.message).trim();
  const bar = '!'.repeat(78);
  console.error(`\n${bar}\n!! SKIPPING the Telethon proof: python3-telethon could not be installed.\n!! ${unavailable.split('\n').join('\n!! ')}\n${bar}\n`);
}

interface CodecResult {
  codec: string;
  ok: boolean;
  error?: string;
  authKeyLength?: number;
  authKeyId?: string;
  ping?: { sent: string; pong: string; _: string };
  nearestDc?: { _: string; country: string; thisDc: number; nearestDc: number };
  wrappedNearestDc?: { _: string; country: string; thisDc: number; nearestDc: number };
  rpcError?: { code?: number; message?: string; unexpectedAnswer?: string };
}

const CODECS = ['full', 'intermediate', 'abridged', 'obfuscated'];

(unavailable === undefined ? test : test.skip)(
  'Telethon makes an auth key over every codec, pings, calls help.getNearestDc and gets an rpc_error',
  async (t) => {
    const emulator = await startEmulator({
      dcCount: 2,
      rsaKeyPath: join(mkdtempSync(join(tmpdir(), 'tgmt-emu-')), 'rsa.pem'),
    });
    t.teardown(() => emulator.stop());
    const dc = emulator.dcs[1]!;
    const args = JSON.stringify({
      host: dc.host,
      port: dc.port,
      dcId: dc.id,
      rsaPublicKeys: emulator.rsaPublicKeys,
      codecs: CODECS,
    });
    const { stdout, stderr } = await run(python, [driver, args], { timeout: 80_000 });
    if (stderr.trim()) t.log(stderr.trim());
    const out = JSON.parse(stdout) as { telethon: string; results: CodecResult[] };
    t.log(`Telethon ${out.telethon}`);
    t.deepEqual(
      out.results.map((r) => r.codec),
      CODECS,
    );
    const stats = emulator.stats(dc.id);
    for (const r of out.results) {
      t.true(r.ok, `${r.codec}: ${r.error}`);
      if (!r.ok) continue;
      t.is(r.authKeyLength, 256, r.codec);
      t.true(emulator.dc(dc.id).authKeys.has(BigInt(r.authKeyId!)), `${r.codec}: the DC keeps the key Telethon made`);
      t.is(r.ping?._, 'Pong', r.codec);
      t.is(r.ping?.pong, r.ping?.sent, `${r.codec}: pong carries the ping_id`);
      t.like(r.nearestDc, { _: 'NearestDc', thisDc: dc.id }, r.codec);
      t.like(r.wrappedNearestDc, { _: 'NearestDc', thisDc: dc.id }, `${r.codec}: through invokeWithLayer(initConnection)`);
      t.is(r.rpcError?.code, 400, r.codec);
      t.regex(r.rpcError?.message ?? '', /^INPUT_METHOD_INVALID/, r.codec);
    }
    t.is(new Set(out.results.map((r) => r.authKeyId)).size, CODECS.length, 'a new key per codec');
    t.true(stats.handshakesDone >= CODECS.length);
    t.is(stats.internalErrors, 0);
  },
);
