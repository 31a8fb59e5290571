// File transfer throughput against the DC emulator (in its own process, so
// the server has the other core): a 100 MB file uploaded and downloaded with
// 1, 4 and 8 parts in flight, by telegram-mt, GramJS and mtcute in the same
// run, each through its own high-level file API. Next to it the native
// AES-256-IGE time for the same bytes, to say what the whole transfer path
// (framing, session, IGE, TL, storage) costs on top of the cipher.
// The package is measured as built (dist). `tsx bench/files.ts [ours gramjs mtcute]` runs it alone.
import { createHash, randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Connection, transportWire, type ConnectionOptions } from '@telegram-mt/client';
import { defaultCrypto } from '@telegram-mt/crypto-native';
import type { tl } from '@telegram-mt/tl';
import { downloadFile, uploadFile } from '../dist/files/index.js';
import { ConnectionFileHost } from '../test/files-emulator-host.js';

// GramJS and mtcute live in tools/bench (their dev dependencies are there); loaded
// by path at run time, so this package's type check does not reach into that one.
// These shapes are tools/bench/src/files/peer.ts's.
interface FilesEmulator {
  dcs: { id: number; host: string; port: number }[];
  rsaPublicKeys: string[];
  code(phone: string, after: number): Promise<string>;
  codesSent(phone: string): number;
  stop(): Promise<void>;
}
interface Uploaded {
  size: number;
  handle: unknown;
}
interface TransferSession {
  upload(data: Uint8Array): Promise<Uploaded>;
  download(file: Uploaded): Promise<Uint8Array>;
  /** Ours only: the same into a buffer the caller already has (`into`). */
  downloadInto?(file: Uploaded, into: Uint8Array): Promise<Uint8Array>;
  readonly notes: string[];
  close(): Promise<void>;
}
interface TransferPeer {
  readonly name: string;
  open(target: { emulator: FilesEmulator; phone: string; parallel: number }): Promise<TransferSession>;
}
const peersDir = '../../../tools/bench/src/files/';
const { startFilesEmulator, within } = (await import(peersDir + 'peer.js')) as {
  startFilesEmulator(users: string[]): Promise<FilesEmulator>;
  within<T>(p: Promise<T>, ms: number, what: string): Promise<T>;
};
const { gramjsFiles } = (await import(peersDir + 'gramjs.js')) as { gramjsFiles: TransferPeer };
const { mtcuteFiles } = (await import(peersDir + 'mtcute.js')) as { mtcuteFiles: TransferPeer };

const SIZE = 100_000_000;
const WARM_UP = 4_000_000;
const PARALLEL = [1, 4, 8] as const;
const LANES = 4;
const TRANSFER_DEADLINE_MS = 60_000;
const WARM_UP_DEADLINE_MS = 20_000;

const ours: TransferPeer = {
  name: 'telegram-mt',
  async open({ emulator, phone, parallel }): Promise<TransferSession> {
    const wire = transportWire({ codec: 'intermediate' });
    const host = new ConnectionFileHost(emulator, 2, LANES, { wire }, (o) => new Connection(o as ConnectionOptions));
    const before = emulator.codesSent(phone);
    const c = await host.connection(2, 0);
    const sent = (await c.invoke({ _: 'auth.sendCode', phoneNumber: phone, apiId: 1, apiHash: 'bench-files', settings: { _: 'codeSettings' } })) as tl.auth.sentCode;
    await c.invoke({ _: 'auth.signIn', phoneNumber: phone, phoneCodeHash: sent.phoneCodeHash, phoneCode: await emulator.code(phone, before) });
    return {
      notes: [`uploadFile / downloadFile with parallel ${parallel} over ${Math.min(parallel, LANES)} lane(s) of ${LANES} (Connection, TCP intermediate, pfs off)`],
      async upload(data): Promise<Uploaded> {
        const file = await uploadFile(host, data, { parallel, fileName: 'bench.bin' });
        const media = (await host.invokeOnDc(2, {
          _: 'messages.uploadMedia',
          peer: { _: 'inputPeerSelf' },
          media: { _: 'inputMediaUploadedDocument', file, mimeType: 'application/octet-stream', attributes: [] },
        })) as tl.messageMediaDocument;
        return { size: data.length, handle: media };
      },
      download: (file) => downloadFile(host, file.handle as tl.messageMediaDocument, { parallel }),
      downloadInto: (file, into) => downloadFile(host, file.handle as tl.messageMediaDocument, { parallel, into }),
      close: async () => host.close(),
    };
  },
};

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

// A full collection before each timed transfer, so that no client pays for the garbage of the one before.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** Wall-clock ms and this process's CPU ms of `work` (and of it, the kernel's). */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number; sysMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await work();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000, sysMs: c.system / 1000 };
}

/**
 * The MTProto 2.0 message cipher alone (crypto-native's fused call: SHA-256
 * msg_key over the whole plaintext, key derivation, IGE) over `size` bytes in
 * 512 KiB messages, best of 3: the floor under "our CPU" that no transfer
 * path can go below, as a multiple of the bare IGE time.
 */
function mtprotoCipherMs(size: number): { encryptMs: number; decryptMs: number } {
  const part = 512 * 1024;
  const authKey = new Uint8Array(randomBytes(256));
  const plain = new Uint8Array(randomBytes(part));
  const sealed = new Uint8Array(16 + part);
  const back = new Uint8Array(part);
  defaultCrypto.mtprotoEncrypt(authKey, 0, plain, sealed);
  const best = (f: () => void): number => {
    let ms = Infinity;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      for (let done = 0; done < size; done += part) f();
      ms = Math.min(ms, performance.now() - t0);
    }
    return ms;
  };
  return {
    encryptMs: best(() => defaultCrypto.mtprotoEncrypt(authKey, 0, plain, sealed)),
    decryptMs: best(() => {
      if (!defaultCrypto.mtprotoDecrypt(authKey, 0, sealed.subarray(0, 16), sealed.subarray(16), back)) throw new Error('msg_key mismatch');
    }),
  };
}

/** Native AES-256-IGE over `size` bytes in 512 KiB calls (the part size), encrypt and decrypt, best of 3. */
function igeMs(size: number): { encryptMs: number; decryptMs: number } {
  const part = 512 * 1024;
  const data = new Uint8Array(randomBytes(part));
  const out = new Uint8Array(part);
  const key = new Uint8Array(randomBytes(32));
  const iv = new Uint8Array(randomBytes(32));
  const run = (f: typeof defaultCrypto.aesIgeEncryptInto): number => {
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      for (let done = 0; done < size; done += part) f(data, key, iv, out);
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  };
  return { encryptMs: run(defaultCrypto.aesIgeEncryptInto), decryptMs: run(defaultCrypto.aesIgeDecryptInto) };
}

interface Row {
  peer: string;
  parallel: number;
  /** Native IGE over the same bytes, measured just before this row's transfers (the machine's speed drifts). */
  ige?: { encryptMs: number; decryptMs: number };
  up?: { mbps: number; cpuMs: number; sysMs: number };
  down?: { mbps: number; cpuMs: number; sysMs: number };
  /** Ours: downloading again into the last download's buffer (`into`). */
  downInto?: { mbps: number; cpuMs: number; sysMs: number };
  error?: string;
  notes: string[];
}

/** One client at one parallelism, against an emulator of its own (no stored files or connections of the others). */
async function measure(peer: TransferPeer, phone: string, parallel: number, data: Uint8Array, digest: string): Promise<Row> {
  const row: Row = { peer: peer.name, parallel, notes: [] };
  let session: TransferSession | undefined;
  let emulator: FilesEmulator | undefined;
  try {
    emulator = await startFilesEmulator([phone]);
    session = await within(peer.open({ emulator, phone, parallel }), 60_000, `${peer.name} open`);
    row.notes = session.notes;
    const s = session;
    // Warm-up (JIT, connections of every lane): a small file both ways, untimed.
    // A warm-up that fails is noted, and the timed transfers are tried all the same.
    try {
      const warm = await within(s.upload(data.subarray(0, WARM_UP)), WARM_UP_DEADLINE_MS, `${peer.name} warm-up upload`);
      await within(s.download(warm), WARM_UP_DEADLINE_MS, `${peer.name} warm-up download`);
    } catch (e) {
      row.notes = [...row.notes, `warm-up failed: ${(e as Error).message}`];
    }
    if (peer === ours) row.ige = igeMs(SIZE);
    collect();
    const up = await timed(() => within(s.upload(data), TRANSFER_DEADLINE_MS, `${peer.name} upload`));
    row.up = { mbps: SIZE / 1000 / up.wallMs, cpuMs: up.cpuMs, sysMs: up.sysMs };
    collect();
    const down = await timed(() => within(s.download(up.value), TRANSFER_DEADLINE_MS, `${peer.name} download`));
    if (down.value.length !== SIZE || sha256(down.value) !== digest) throw new Error(`${peer.name} downloaded different bytes`);
    row.down = { mbps: SIZE / 1000 / down.wallMs, cpuMs: down.cpuMs, sysMs: down.sysMs };
    if (s.downloadInto) {
      // Into memory that is already the process's (a bridge that reuses its buffer): no fresh 100 MB to page in.
      const into = down.value;
      collect();
      const again = await timed(() => within(s.downloadInto!(up.value, into), TRANSFER_DEADLINE_MS, `${peer.name} download into`));
      if (sha256(again.value) !== digest) throw new Error(`${peer.name} downloaded different bytes into its buffer`);
      row.downInto = { mbps: SIZE / 1000 / again.wallMs, cpuMs: again.cpuMs, sysMs: again.sysMs };
    }
  } catch (e) {
    row.error = (e as Error).message;
  } finally {
    await session?.close();
    await emulator?.stop();
  }
  return row;
}

export async function filesBench(which: string[] = ['ours', 'gramjs', 'mtcute']): Promise<string[]> {
  const peers = [ours, gramjsFiles, mtcuteFiles].filter((p) => which.includes(p.name === 'telegram-mt' ? 'ours' : p.name.toLowerCase()));
  const phones = new Map(peers.map((p, i) => [p.name, `3169000${String(1000 + i)}`]));
  const data = new Uint8Array(randomBytes(SIZE));
  const digest = sha256(data);
  const rows: Row[] = [];
  for (const parallel of PARALLEL) {
    for (const peer of peers) rows.push(await measure(peer, phones.get(peer.name)!, parallel, data, digest));
  }
  const ige = igeMs(SIZE);
  return report(rows, peers, ige, mtprotoCipherMs(SIZE));
}

function report(
  rows: Row[],
  peers: TransferPeer[],
  ige: { encryptMs: number; decryptMs: number },
  cipher: { encryptMs: number; decryptMs: number },
): string[] {
  const out: string[] = [];
  const f = (n: number | undefined) => (n === undefined ? '—' : n.toFixed(1));
  const x = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '—' : `${n.toFixed(2)}×`);
  out.push(`file transfer, ${SIZE / 1e6} MB against the emulator (own process, a fresh one per client and parallelism), MB/s = 10^6 bytes/s wall clock; crypto-native ${defaultCrypto.backend}`);
  const others = peers.filter((p) => p !== ours).map((p) => p.name);
  const head = ['direction', 'in flight', ...peers.map((p) => p.name), ...(peers.includes(ours) && others.length ? ['ours ÷ faster peer'] : []), ...(peers.includes(ours) ? ['our CPU ÷ IGE'] : [])];
  const lines: string[][] = [];
  for (const dir of ['up', 'down'] as const) {
    for (const parallel of PARALLEL) {
      const at = rows.filter((r) => r.parallel === parallel);
      const rate = (name: string) => at.find((r) => r.peer === name)?.[dir]?.mbps;
      const mine = rate('telegram-mt');
      const best = Math.max(...others.map((n) => rate(n) ?? 0));
      const mineRow = at.find((r) => r.peer === 'telegram-mt');
      const cpu = mineRow?.[dir]?.cpuMs;
      const near = mineRow?.ige ?? ige;
      const igeTime = dir === 'up' ? near.encryptMs : near.decryptMs;
      lines.push([
        dir === 'up' ? 'upload' : 'download',
        String(parallel),
        ...peers.map((p) => f(rate(p.name))),
        ...(peers.includes(ours) && others.length ? [x(mine !== undefined && best > 0 ? mine / best : undefined)] : []),
        ...(peers.includes(ours) ? [x(cpu !== undefined ? cpu / igeTime : undefined)] : []),
      ]);
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i < 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  out.push(line(head));
  for (const l of lines) out.push(line(l));
  out.push(
    `native AES-256-IGE on the same ${SIZE / 1e6} MB in 512 KiB calls: encrypt ${ige.encryptMs.toFixed(0)} ms (${(SIZE / 1000 / ige.encryptMs).toFixed(0)} MB/s), ` +
      `decrypt ${ige.decryptMs.toFixed(0)} ms (${(SIZE / 1000 / ige.decryptMs).toFixed(0)} MB/s)`,
  );
  out.push(
    `the MTProto message cipher alone (SHA-256 msg_key + key derivation + IGE, one crypto-native call per 512 KiB message) on the same bytes: ` +
      `encrypt ${cipher.encryptMs.toFixed(0)} ms = ${(cipher.encryptMs / ige.encryptMs).toFixed(2)}× IGE, ` +
      `decrypt ${cipher.decryptMs.toFixed(0)} ms = ${(cipher.decryptMs / ige.decryptMs).toFixed(2)}× IGE (the floor under "our CPU ÷ IGE")`,
  );
  if (peers.includes(ours)) {
    out.push(
      'our CPU ÷ IGE = this process’s CPU time over the transfer (framing, session, IGE, TL, copies, storage) ÷ the IGE time alone ' +
        '(encrypt for uploads, decrypt for downloads), IGE timed just before the row’s transfers: ' +
        rows.filter((r) => r.ige).map((r) => `${r.parallel} in flight ${r.ige!.encryptMs.toFixed(0)}/${r.ige!.decryptMs.toFixed(0)} ms`).join(', '),
    );
    out.push(
      'download into the caller’s buffer (`into`, the last download’s result, already paged in), our CPU ÷ IGE: ' +
        rows
          .filter((r) => r.peer === ours.name && r.downInto && r.ige)
          .map((r) => `${r.parallel} in flight ${x(r.downInto!.cpuMs / r.ige!.decryptMs)} (${r.downInto!.mbps.toFixed(1)} MB/s)`)
          .join(', '),
    );
    // The kernel's share (socket system calls, page faults of fresh memory) is where copies and new buffers show.
    const split = (d?: { cpuMs: number; sysMs: number }) => (d ? `${d.cpuMs.toFixed(0)} (${d.sysMs.toFixed(0)} in the kernel)` : '—');
    out.push(
      'our CPU ms: ' +
        rows
          .filter((r) => r.peer === ours.name)
          .map((r) => `${r.parallel} in flight up ${split(r.up)}, down ${split(r.down)}, down into ${split(r.downInto)}`)
          .join('; '),
    );
  }
  for (const r of rows) {
    if (r.error) out.push(`  failure: ${r.peer}, ${r.parallel} in flight: ${r.error}`);
  }
  const seen = new Set<string>();
  for (const r of rows) {
    for (const n of r.notes) {
      const key = `${r.peer}: ${n}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(`  ${r.peer}, ${r.parallel} in flight: ${n}`);
    }
  }
  return out;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const which = process.argv.slice(2);
  for (const l of await filesBench(which.length ? which : undefined)) console.log(l);
}
