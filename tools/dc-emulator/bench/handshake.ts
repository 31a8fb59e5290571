// What computing the server's g_a ahead saves: handshakes against two
// emulators in their own processes, interleaved in the same run. One makes
// its (a, g^a) ahead (a ready pair from the DC's stock, which a background
// thread fills at a low priority, or else ServerHandshake.precompute() right
// after resPQ); the other (--no-precompute) computes g_a when req_DH_params
// comes, on the critical path.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Connection, transportWire } from '@telegram-mt/client';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

interface Started {
  child: ChildProcess;
  dc: { id: number; host: string; port: number };
  rsaPublicKeys: string[];
}

async function spawnEmulator(args: string[], rsaKey: string): Promise<Started> {
  const child = spawn(process.execPath, [CLI, '--dcs', '1', '--rsa-key', rsaKey, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`tgmt-emulator exited with ${code}`)));
  });
  const info = JSON.parse(line) as { dcs: Started['dc'][]; rsaPublicKeys: string[] };
  return { child, dc: info.dcs[0]!, rsaPublicKeys: info.rsaPublicKeys };
}

async function oneHandshake(e: Started): Promise<number> {
  const conn = new Connection({
    dc: e.dc,
    wire: transportWire({ codec: 'intermediate' }),
    apiId: 1,
    rsaPublicKeys: e.rsaPublicKeys,
    pingInterval: 0,
    // One handshake per connect (with PFS there would be two and a binding).
    pfs: false,
  });
  const t0 = performance.now();
  await conn.connect();
  const ms = performance.now() - t0;
  conn.close();
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Median handshake ms with and without precompute, `runs` each, interleaved. */
export async function handshakePrecomputeBench(rsaKey: string, runs = 20): Promise<{ with: number; without: number }> {
  const on = await spawnEmulator([], rsaKey);
  const off = await spawnEmulator(['--no-precompute'], rsaKey);
  try {
    const a: number[] = [];
    const b: number[] = [];
    await oneHandshake(on); // warm-up
    await oneHandshake(off);
    // A DC that has been up a while has its stock of (a, g^a) full: let the background thread fill it
    // now rather than while handshakes are timed.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (let i = 0; i < runs; i++) {
      a.push(await oneHandshake(on));
      b.push(await oneHandshake(off));
    }
    return { with: median(a), without: median(b) };
  } finally {
    on.child.kill('SIGTERM');
    off.child.kill('SIGTERM');
  }
}
