// What the emulator's file path costs per byte, next to one AES-IGE pass
// over the same bytes (the least any MTProto hop pays), in one run:
// 100 MB up as saveBigFilePart requests (TL decode, part rules, store) and
// down as 1 MiB getFile answers (range, slice, TL encode).
// Run: npx tsx bench/files.ts
import { randomBytes } from 'node:crypto';
import { defaultCipher } from '@telegram-mt/client/mtproto';
import { deserializeObject, serializeObject, serializeResult, type tl } from '@telegram-mt/tl';
import { dispatch } from '../src/rpc/dispatch.js';
import { MethodRegistry } from '../src/rpc/registry.js';
import { registerWorldMethods } from '../src/rpc/world-methods.js';
import { World } from '../src/world/world.js';

const MiB = 1024 * 1024;
const SIZE = 100 * MiB;
const PART = 512 * 1024;
const RUNS = 5;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const world = new World({ passwordIterations: 1000 });
const registry = new MethodRegistry();
registerWorldMethods(registry, world);
const user = world.createUser({ phone: '31600009001', firstName: 'Bench', dc: 2 });
const authKeyId = 77n;
world.authorize(2, authKeyId, user.id);
const dcs = [{ id: 2, host: '127.0.0.1', port: 1 }];
let msgId = 1n;

/** One call as a DC runs it: decode the request bytes, dispatch, encode the answer. */
function call(bytes: Uint8Array): Uint8Array {
  const request = deserializeObject(bytes) as tl.TlMethod;
  const out = dispatch(request, {
    registry,
    connection: { layer: undefined, client: undefined },
    base: { dcId: 2, dcs, authKeyId, sessionId: 1n, msgId: msgId++, now: Date.now },
    waitFor: async () => true,
  });
  if (out instanceof Promise || 'error' in out) throw new Error(`${request._} failed`);
  return serializeResult(out.method as never, out.result as never);
}

const data = randomBytes(SIZE);
const parts = SIZE / PART;

function upload(fileId: bigint): number {
  // Requests are encoded before the clock starts: a client's cost, not the emulator's.
  const requests = Array.from({ length: parts }, (_, i) =>
    serializeObject({ _: 'upload.saveBigFilePart', fileId, filePart: i, fileTotalParts: parts, bytes: data.subarray(i * PART, (i + 1) * PART) } as tl.TlAny),
  );
  const t0 = performance.now();
  for (const r of requests) call(r);
  return performance.now() - t0;
}

function download(location: tl.inputDocumentFileLocation): number {
  const requests = Array.from({ length: SIZE / MiB }, (_, i) => serializeObject({ _: 'upload.getFile', location, offset: BigInt(i * MiB), limit: MiB } as tl.TlAny));
  const t0 = performance.now();
  let got = 0;
  for (const r of requests) got += call(r).length;
  if (got < SIZE) throw new Error('short download');
  return performance.now() - t0;
}

function ige(): number {
  const cipher = defaultCipher();
  const key = randomBytes(256);
  const out = new Uint8Array(MiB + 16);
  const t0 = performance.now();
  for (let p = 0; p < SIZE; p += MiB) cipher.encrypt(key, 8, data.subarray(p, p + MiB), out);
  return performance.now() - t0;
}

const up: number[] = [];
const down: number[] = [];
const aes: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const fileId = BigInt(run + 1);
  up.push(upload(fileId));
  const media = deserializeObject(
    call(serializeObject({ _: 'messages.uploadMedia', peer: { _: 'inputPeerSelf' }, media: { _: 'inputMediaUploadedDocument', file: { _: 'inputFileBig', id: fileId, parts, name: 'b' }, mimeType: '', attributes: [] } } as tl.TlAny)),
  ) as tl.messageMediaDocument;
  const doc = media.document as tl.document;
  down.push(download({ _: 'inputDocumentFileLocation', id: doc.id, accessHash: doc.accessHash, fileReference: doc.fileReference, thumbSize: '' }));
  aes.push(ige());
  world.files.clear();
}

const mbps = (ms: number): string => `${((SIZE / 1e6) / (ms / 1000)).toFixed(0)} MB/s`;
const [u, d, a] = [median(up), median(down), median(aes)];
console.log(`100 MB, median of ${RUNS} runs`);
console.log(`  AES-IGE (native, one pass)      ${a.toFixed(1)} ms  ${mbps(a)}`);
console.log(`  upload path (saveBigFilePart)   ${u.toFixed(1)} ms  ${mbps(u)}  ${(u / a).toFixed(2)}× one IGE pass`);
console.log(`  download path (getFile 1 MiB)   ${d.toFixed(1)} ms  ${mbps(d)}  ${(d / a).toFixed(2)}× one IGE pass`);
