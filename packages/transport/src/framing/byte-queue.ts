/**
 * A FIFO of received chunks. Frames are cut out without copying when they sit
 * inside one chunk, and with a single copy when they straddle several, so
 * 1-byte feeds and huge coalesced feeds both stay linear.
 */
export class ByteQueue {
  /** Where a frame that straddles chunks is joined (n bytes, every one written by `take`). */
  alloc: (n: number) => Uint8Array = (n) => Buffer.allocUnsafe(n);
  private chunks: Uint8Array[] = [];
  private first = 0; // index of the first live chunk
  private offset = 0; // bytes already consumed from chunks[first]
  length = 0;

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Byte at position i (i < length). */
  byteAt(i: number): number {
    let idx = this.first;
    let pos = i + this.offset;
    for (;;) {
      const c = this.chunks[idx]!;
      if (pos < c.length) return c[pos]!;
      pos -= c.length;
      idx++;
    }
  }

  uint32LE(i: number): number {
    return (this.byteAt(i) | (this.byteAt(i + 1) << 8) | (this.byteAt(i + 2) << 16) | (this.byteAt(i + 3) << 24)) >>> 0;
  }

  /** Remove and return the next n bytes (n <= length). */
  take(n: number): Uint8Array {
    const head = this.chunks[this.first]!;
    if (head.length - this.offset >= n) {
      const out = head.subarray(this.offset, this.offset + n);
      this.advance(n);
      return out;
    }
    const out = this.alloc(n); // every byte is written below
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[this.first]!;
      const avail = c.length - this.offset;
      const want = Math.min(avail, n - filled);
      out.set(c.subarray(this.offset, this.offset + want), filled);
      filled += want;
      this.advance(want);
    }
    return out;
  }

  skip(n: number): void {
    while (n > 0) {
      const avail = this.chunks[this.first]!.length - this.offset;
      const step = Math.min(avail, n);
      this.advance(step);
      n -= step;
    }
  }

  /** Everything left, as one array (used when handing leftovers to the next layer). */
  takeAll(): Uint8Array {
    return this.length === 0 ? new Uint8Array(0) : this.take(this.length);
  }

  private advance(n: number): void {
    this.offset += n;
    this.length -= n;
    if (this.offset === this.chunks[this.first]!.length) {
      this.first++;
      this.offset = 0;
      if (this.first > 64 && this.first * 2 > this.chunks.length) {
        this.chunks = this.chunks.slice(this.first);
        this.first = 0;
      }
      if (this.length === 0) {
        this.chunks = [];
        this.first = 0;
      }
    }
  }
}
