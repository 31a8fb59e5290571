// An independent client: Telethon's own authenticator (Debian's
// python3-telethon) makes an auth key against ServerHandshake. Telethon 1.25
// sends the dc-less p_q_inner_data under the pre-RSA_PAD encryption, so this
// also proves the server's legacy path.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ServerHandshake, type ServerAuthKeyResult } from '../src/mtproto/handshake/server.js';
import { generateRsaKeyPair } from '../src/mtproto/rsa.js';

const PYTHON = '/usr/bin/python3';
const script = fileURLToPath(new URL('./handshake-telethon-client.py', import.meta.url));
const probe = spawnSync(PYTHON, ['-c', 'import telethon; print(telethon.__version__)'], { encoding: 'utf8' });
const version = probe.status === 0 ? probe.stdout.trim() : undefined;

if (version === undefined) {
  console.warn(
    '\n*** handshake-telethon: SKIPPED — python3-telethon is not importable by /usr/bin/python3 ' +
      '(install it with apt-get install python3-telethon). ***\n',
  );
  test.skip('Telethon makes an auth key against ServerHandshake (python3-telethon missing)', () => {});
} else {
  test(`Telethon ${version} makes an auth key against ServerHandshake`, async (t) => {
    const pair = generateRsaKeyPair();
    const server = new ServerHandshake({ dcId: 2, keys: [pair] });
    const child = spawn(PYTHON, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000); // bounded: a stuck exchange fails the test
    let serverDone: ServerAuthKeyResult | undefined;
    let serverError: unknown;
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.write(JSON.stringify(pair.publicKey.pem) + '\n');
    let buf = Buffer.alloc(0);
    child.stdout.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32LE(0)) {
        const packet = buf.subarray(4, 4 + buf.readUInt32LE(0));
        buf = buf.subarray(4 + packet.length);
        try {
          const r = server.receive(packet);
          serverDone ??= r.done;
          const out = Buffer.from(r.send!);
          const head = Buffer.alloc(4);
          head.writeUInt32LE(out.length);
          child.stdin.write(Buffer.concat([head, out]));
        } catch (err) {
          serverError = err;
          child.kill();
        }
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    t.is(serverError, undefined);
    t.is(code, 0, stderr);
    const line = stderr.trim().split('\n').pop()!;
    const telethon = JSON.parse(line) as { authKey: string; timeOffset: number };
    t.truthy(serverDone);
    t.is(telethon.authKey, Buffer.from(serverDone!.authKey).toString('hex'));
    t.false(serverDone!.temp);
    t.is(serverDone!.dcId, 0, 'Telethon 1.25 sends p_q_inner_data without a dc');
  });
}
