// Telethon, an independent implementation, speaks every transport it has to
// our acceptor (plain, obfuscated, MTProxy with plain and dd secrets), and
// reads our framing back. Needs Debian's python3-telethon; without it the
// test is skipped, loudly.
import test from 'ava';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { serveTransports, type DetectedTransport } from '../src/index.js';

const run = promisify(execFile);
const python = '/usr/bin/python3';
const driver = fileURLToPath(new URL('./telethon/echo_driver.py', import.meta.url));

let unavailable: string | undefined;
try {
  await run(python, ['-c', 'import telethon'], { timeout: 20_000 });
} catch (error) {
  unavailable = String((error as { stderr?: string }).stderr ?? error).trim();
  console.error(`\n!! SKIPPING the Telethon interop test: ${python} cannot import telethon (${unavailable.split('\n').pop()})\n`);
}

const plainSecret = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const ddSecret = `dd${'d00d'.repeat(8)}`;

(unavailable === undefined ? test : test.skip)('Telethon ⇄ our acceptor: every codec, obfuscated, MTProxy plain and dd', async (t) => {
  const seen: DetectedTransport[] = [];
  const server = await serveTransports({ secrets: [plainSecret, ddSecret], handshakeTimeoutMs: 5000 }, (conn) => {
    conn.on('detected', (info) => seen.push(info));
    conn.on('packet', (packet) => conn.send(packet));
  });
  try {
    // Sizes around abridged's one-byte / four-byte length switch, and a big one.
    const packets = [24, 504, 508, 512, 4096, 100_000].map((n) => randomBytes(n));
    const child = run(python, [driver], { timeout: 45_000, maxBuffer: 16 * 1024 * 1024 });
    child.child.stdin!.end(JSON.stringify({ host: '127.0.0.1', port: server.port, plainSecret, ddSecret, packets: packets.map((p) => p.toString('hex')) }));
    const { stdout } = await child;
    const { results } = JSON.parse(stdout) as { results: Array<{ codec: string; ok: boolean; error?: string; echoes: string[] }> };
    t.is(results.length, 7);
    for (const r of results) {
      t.true(r.ok, `${r.codec}: ${r.error}`);
      t.is(r.echoes.length, packets.length, r.codec);
      r.echoes.forEach((hex, i) => {
        const echo = Buffer.from(hex, 'hex');
        t.true(echo.subarray(0, packets[i]!.length).equals(packets[i]!), `${r.codec} packet ${i}`);
        // With dd, Telethon pads 0–3 bytes, which we echo as part of the packet, and we pad 0–15 more
        // (Telethon trims only to a multiple of 4).
        t.true(echo.length - packets[i]!.length <= (r.codec === 'mtproxy-dd' ? 18 : 0), `${r.codec} packet ${i}: ${echo.length} bytes`);
      });
    }
    const kinds = seen.map((s) => `${s.codec}/${s.obfuscated}/${s.secret?.kind ?? '-'}`).sort();
    t.deepEqual(kinds, [
      'abridged/false/-',
      'abridged/true/-',
      'abridged/true/plain',
      'full/false/-',
      'intermediate/false/-',
      'intermediate/true/plain',
      'padded/true/dd',
    ]);
  } finally {
    await server.close();
  }
});
