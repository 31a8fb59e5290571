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
