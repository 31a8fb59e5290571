import test from 'ava';
import { serializeObject, type tl } from '@telegram-mt/tl';
import { allocPacket, allocReceived, isRecyclable, recyclePacket, releaseReceived, VIEW_BYTES_FROM } from '../src/mtproto/session/slab.js';
import { serializeRequest } from '../src/mtproto/session/file-bytes.js';

test('large packets are recycled once given back; small ones and foreign buffers never', (t) => {
  const a = allocPacket(300_000);
  t.is(a.length, 300_000);
  t.true(isRecyclable(a));
  t.false(isRecyclable(a.subarray(8)), 'a view that does not start the buffer is not the packet');
  recyclePacket(a);
  t.false(isRecyclable(a), 'given back: no longer out');
  recyclePacket(a); // a second give-back is ignored (else two packets could share one buffer)
  const b = allocPacket(299_000);
  const c = allocPacket(299_000);
  t.is(b.buffer, a.buffer, 'the buffer given back serves the next packet of about its size');
  t.not(c.buffer, a.buffer, 'and only one of them');
  const small = allocPacket(1000);
  t.false(isRecyclable(small));
  const foreign = new Uint8Array(300_000);
  t.false(isRecyclable(foreign));
  recyclePacket(foreign);
  t.not(allocPacket(300_000).buffer, foreign.buffer);
  // Much smaller packets do not take a big buffer.
  const big = allocPacket(1_000_000);
  recyclePacket(big);
  t.not(allocPacket(70_000).buffer, big.buffer);
});

test('serializeRequest gives the bytes serializeObject gives, file parts in a pooled buffer', (t) => {
  const bytes = new Uint8Array(512 * 1024).map((_, i) => i * 7);
  const part: tl.upload.saveBigFilePart = { _: 'upload.saveBigFilePart', fileId: 123n, filePart: 4, fileTotalParts: 9, bytes };
  const own = serializeRequest(part);
  t.deepEqual(own, serializeObject(part as tl.TlAny));
  t.true(isRecyclable(own));
  const small: tl.upload.saveFilePart = { _: 'upload.saveFilePart', fileId: 1n, filePart: 0, bytes: new Uint8Array(100) };
  t.deepEqual(serializeRequest(small), serializeObject(small as tl.TlAny));
  const other: tl.help.getConfig = { _: 'help.getConfig' };
  t.deepEqual(serializeRequest(other), serializeObject(other as tl.TlAny));
  // A pooled buffer that held other bytes before is written whole (padding included).
  recyclePacket(own);
  const odd = new Uint8Array(512 * 1024 - 3).fill(0xff);
  const again: tl.upload.saveFilePart = { _: 'upload.saveFilePart', fileId: 2n, filePart: 1, bytes: odd };
  t.deepEqual(serializeRequest(again), serializeObject(again as tl.TlAny));
});

test('a received packet goes back to the pool only when the view given back leaves no room for another view', (t) => {
  const n = 600_000;
  const shared = allocReceived(n);
  // Two large views in one packet (a container of two parts): giving one back must not free the packet.
  releaseReceived(shared.subarray(100, 100 + 300_000));
  t.not(allocReceived(n).buffer, shared.buffer);
  const whole = allocReceived(n);
  const part = whole.subarray(80, n - VIEW_BYTES_FROM + 100);
  releaseReceived(part);
  const next = allocReceived(n - 1000);
  t.is(next.buffer, whole.buffer, 'the rest is too small for another view: the buffer serves the next packet');
  t.not(allocReceived(n).buffer, whole.buffer, 'and only one');
  // Views of buffers the pool never handed out are ignored.
  const foreign = new Uint8Array(n);
  releaseReceived(foreign);
  t.not(allocReceived(n).buffer, foreign.buffer);
  t.is(allocReceived(100).length, 100);
});
