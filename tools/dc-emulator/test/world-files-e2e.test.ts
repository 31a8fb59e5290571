// Files over real loopback sockets with the client's Connection: parts saved
// with several calls in flight, a document kept on the media DC, FILE_MIGRATE
// from the home DC, then the login carried over and the bytes read back.
import test from 'ava';
import { createHash, randomBytes } from 'node:crypto';
import { Connection, RpcError as ClientRpcError, transportWire } from '@telegram-mt/client';
import type { tl } from '@telegram-mt/tl';
import { startEmulator } from '../src/index.js';
import { keyPath } from './helpers/memory.js';

const KiB = 1024;
const MiB = 1024 * 1024;
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Runs `jobs` with at most `width` in flight. */
async function inFlight(width: number, count: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) await job(next++);
  };
  await Promise.all(Array.from({ length: width }, lane));
}

test('upload a few MB on the home DC, FILE_MIGRATE to the media DC, download there after importAuthorization', async (t) => {
  const emulator = await startEmulator({ rsaKeyPath: keyPath, world: { passwordIterations: 1000, mediaDc: 3 } });
  t.teardown(() => emulator.stop());
  emulator.world.createUser({ phone: '31600008001', firstName: 'Ann', dc: 2 });
  const open = (dcIndex: number): Connection => {
    const c = new Connection({ dc: emulator.dcs[dcIndex]!, apiId: 1, rsaPublicKeys: emulator.rsaPublicKeys, wire: transportWire({ codec: 'intermediate' }), pfs: false });
    t.teardown(() => c.close());
    return c;
  };
  const home = open(1);
  const sent = (await home.invoke({ _: 'auth.sendCode', phoneNumber: '31600008001', apiId: 1, apiHash: 'x', settings: { _: 'codeSettings' } })) as tl.auth.sentCode;
  await home.invoke({ _: 'auth.signIn', phoneNumber: '31600008001', phoneCodeHash: sent.phoneCodeHash, phoneCode: emulator.world.inbox('31600008001').at(-1)! });

  // 12 MB + a tail: saveBigFilePart, 4 parts in flight.
  const bytes = randomBytes(12 * MiB + 12345);
  const partSize = 512 * KiB;
  const parts = Math.ceil(bytes.length / partSize);
  const fileId = 42n;
  await inFlight(4, parts, async (i) => {
    const ok = await home.invoke({ _: 'upload.saveBigFilePart', fileId, filePart: i, fileTotalParts: parts, bytes: bytes.subarray(i * partSize, (i + 1) * partSize) });
    if (ok !== true) throw new Error(`part ${i} refused`);
  });
  const media = (await home.invoke({
    _: 'messages.uploadMedia',
    peer: { _: 'inputPeerSelf' },
    media: { _: 'inputMediaUploadedDocument', file: { _: 'inputFileBig', id: fileId, parts, name: 'big.bin' }, mimeType: 'application/octet-stream', attributes: [] },
  })) as tl.messageMediaDocument;
  const doc = media.document as tl.document;
  t.is(doc.dcId, 3);
  t.is(doc.size, BigInt(bytes.length));
  const location: tl.inputDocumentFileLocation = { _: 'inputDocumentFileLocation', id: doc.id, accessHash: doc.accessHash, fileReference: doc.fileReference, thumbSize: '' };

  const migrate = await home.invoke({ _: 'upload.getFile', location, offset: 0n, limit: MiB }).catch((e: unknown) => e);
  t.true(migrate instanceof ClientRpcError);
  t.is((migrate as ClientRpcError).text, 'FILE_MIGRATE_3');
  t.is((migrate as ClientRpcError).dcId, 3);

  const media3 = open(2);
  const unauthorised = await media3.invoke({ _: 'upload.getFile', location, offset: 0n, limit: MiB }).catch((e: unknown) => e);
  t.is((unauthorised as ClientRpcError).text, 'AUTH_KEY_UNREGISTERED');
  const exported = (await home.invoke({ _: 'auth.exportAuthorization', dcId: 3 })) as tl.auth.exportedAuthorization;
  await media3.invoke({ _: 'auth.importAuthorization', id: exported.id, bytes: exported.bytes });

  const chunks = Math.ceil(bytes.length / MiB);
  const got: Uint8Array[] = new Array(chunks);
  await inFlight(4, chunks, async (i) => {
    const r = (await media3.invoke({ _: 'upload.getFile', location, offset: BigInt(i * MiB), limit: MiB })) as tl.upload.file;
    got[i] = r.bytes;
  });
  const back = Buffer.concat(got);
  t.is(back.length, bytes.length);
  t.is(sha256(back), sha256(bytes));
});
