/**
 * Small byte buffers carved out of shared 16 KiB slabs. `new Uint8Array(n)`
 * costs about a microsecond for packet sizes (more than the packet's
 * encryption); a view on a slab costs a tenth of that. Views never overlap
 * and a slab is never reused, so a retained packet or body stays intact (and
 * keeps at most its 16 KiB slab alive). Bigger buffers are allocated alone.
 */
const SLAB = 16 * 1024;
const ALONE = 4 * 1024;

let slab = new ArrayBuffer(SLAB);
let used = 0;

export function allocBytes(n: number): Uint8Array {
  if (n > ALONE) return new Uint8Array(n);
  if (used + n > SLAB) {
    slab = new ArrayBuffer(SLAB);
    used = 0;
  }
  const out = new Uint8Array(slab, used, n);
  // 8-byte steps keep every view's start aligned.
  used += (n + 7) & ~7;
  return out;
}

/**
 * Packets of file parts (hundreds of KiB) come from a few buffers: outgoing
 * ones the wire gives back once the bytes are with the OS, received ones the
 * download gives back once the part is copied into its result. Fresh ones cost
 * page faults and, in number, full garbage collections: V8 counts their
 * bytes as external memory and collects every few dozen MiB of them, at a
 * cost that grows with the application's heap.
 */
const LARGE = 64 * 1024;
const STEP = 64 * 1024;
const POOL_MAX = 16;
const pool: ArrayBuffer[] = [];
/** Buffers handed out by `allocPacket` and not given back: only those are taken back. */
const out = new WeakSet<ArrayBuffer>();

/** A buffer of n bytes for an outgoing packet; large ones may be recycled buffers (contents undefined). */
export function allocPacket(n: number): Uint8Array {
  if (n < LARGE) return allocBytes(n);
  const buf = takePooled(n);
  out.add(buf);
  return new Uint8Array(buf, 0, n);
}

/** A pooled buffer of about n bytes, or a new one. */
function takePooled(n: number): ArrayBuffer {
  for (let i = pool.length - 1; i >= 0; i--) {
    const b = pool[i]!;
    if (b.byteLength >= n && b.byteLength - n < 4 * STEP) {
      pool[i] = pool[pool.length - 1]!;
      pool.pop();
      return b;
    }
  }
  return new ArrayBuffer(Math.ceil(n / STEP) * STEP);
}

/** Whether `packet` came from `allocPacket` and may be given back once written. */
export function isRecyclable(packet: Uint8Array): boolean {
  return packet.byteOffset === 0 && out.has(packet.buffer as ArrayBuffer);
}

/**
 * Gives a packet's buffer back for the next large packet. Only for the last
 * holder of the bytes (a wire whose write completed); anything else is ignored.
 */
export function recyclePacket(packet: Uint8Array): void {
  const buf = packet.buffer as ArrayBuffer;
  if (packet.byteOffset !== 0 || !out.has(buf)) return;
  out.delete(buf);
  if (pool.length < POOL_MAX) pool.push(buf);
}

/**
 * Large `bytes` fields of answers are views into the packet they came in
 * (the rpc_result reader's `viewBytesFrom`), not copies.
 */
export const VIEW_BYTES_FROM = 16 * 1024;

/** Received packets joined in a pooled buffer, with their length. */
const received = new WeakMap<ArrayBuffer, number>();

/** A buffer of n bytes for a packet being received (the transport's `allocPacket`); contents undefined. */
export function allocReceived(n: number): Uint8Array {
  if (n < LARGE) return Buffer.allocUnsafe(n);
  const b = takePooled(n);
  received.set(b, n);
  return new Uint8Array(b, 0, n);
}

/**
 * Called by the one consumer of a large `bytes` view of an answer (a file
 * part copied into its result) when it is done with it, once: the packet's buffer
 * goes back to the pool if nothing else of that packet can still be in use.
 * That holds when the rest of the packet is too small for any other view
 * (VIEW_BYTES_FROM): everything else in it was read into copies.
 */
export function releaseReceived(view: Uint8Array): void {
  const buf = view.buffer as ArrayBuffer;
  const n = received.get(buf);
  if (n === undefined || n - view.byteLength >= VIEW_BYTES_FROM) return;
  received.delete(buf);
  if (pool.length < POOL_MAX) pool.push(buf);
}
