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
 * Outgoing packets of file parts (hundreds of KiB) come from a few buffers
 * that the wire gives back once the bytes are with the OS. Fresh ones cost
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
  let buf: ArrayBuffer | undefined;
  for (let i = pool.length - 1; i >= 0; i--) {
    const b = pool[i]!;
    if (b.byteLength >= n && b.byteLength - n < 4 * STEP) {
      buf = b;
      pool[i] = pool[pool.length - 1]!;
      pool.pop();
      break;
    }
  }
  buf ??= new ArrayBuffer(Math.ceil(n / STEP) * STEP);
  out.add(buf);
  return new Uint8Array(buf, 0, n);
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
