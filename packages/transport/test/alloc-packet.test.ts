import test from 'ava';
import { ClientCodec } from '../src/index.js';

test('allocPacket: a packet split across reads is joined in a buffer from the allocator; one within a read is a view', (t) => {
  const asked: number[] = [];
  const given: Uint8Array[] = [];
  const packets: Uint8Array[] = [];
  const codec = new ClientCodec(
    {
      codec: 'intermediate',
      allocPacket: (n) => {
        asked.push(n);
        const b = new Uint8Array(n).fill(0xee); // stale contents: every byte must be overwritten
        given.push(b);
        return b;
      },
    },
    { write() {}, packet: (p) => packets.push(p) },
  );
  codec.start();
  const frame = (payload: Uint8Array) => {
    const f = new Uint8Array(4 + payload.length);
    new DataView(f.buffer).setUint32(0, payload.length, true);
    f.set(payload, 4);
    return f;
  };
  const big = Uint8Array.from({ length: 5000 }, (_, i) => i * 31);
  const f = frame(big);
  codec.feed(f.slice(0, 1000), { owned: true });
  codec.feed(f.slice(1000), { owned: true });
  t.deepEqual(asked, [5000]);
  t.is(packets.length, 1);
  t.is(packets[0], given[0]);
  t.deepEqual(packets[0], big);
  // Whole within one read: no allocation.
  codec.feed(frame(Uint8Array.of(1, 2, 3, 4)), { owned: true });
  t.deepEqual(asked, [5000]);
  t.deepEqual(packets[1], Uint8Array.of(1, 2, 3, 4));
});
