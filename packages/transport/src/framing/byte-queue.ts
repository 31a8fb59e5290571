/**
 * A FIFO of received chunks. Frames are cut out without copying when they sit
 * inside one chunk, and with a single copy when they straddle several, so
 * 1-byte feeds and huge coalesced feeds both stay linear.
 *
 * A chunk may be pushed as lent (a socket's reused read buffer, valid only
 * until the read callback returns): frames cut from it are copies, and
 * `keep()` copies what is left of it before the buffer is read into again.
 */
/** A frame's unfilled rest smaller than this is not worth a socket read of its own. */
const TARGET_FROM = 64 * 1024;
/** Frames up to this size are joined as soon as their length is known. */
const JOIN_AT_ONCE = 64 * 1024;

export class ByteQueue {
  /** Where a frame that straddles chunks is joined (n bytes, every one written by `take` or `join`). */
  alloc: (n: number) => Uint8Array = (n) => Buffer.allocUnsafe(n);
  private chunks: Uint8Array[] = [];
  private first = 0; // index of the first live chunk
  private offset = 0; // bytes already consumed from chunks[first]
  length = 0;
  /** The chunk pushed lent, while the queue still holds some of it (always the last chunk). */
  private lent: Uint8Array | undefined;
  /** A frame being joined as its bytes arrive (see `join`). */
  private joining: { into: Uint8Array; filled: number } | undefined;

  push(chunk: Uint8Array, lent = false): void {
    if (chunk.length === 0) return;
    const joining = this.joining;
    if (joining) {
      // Straight into the frame's buffer: no chunk of the socket is kept for it.
      const { into } = joining;
      const n = Math.min(chunk.length, into.length - joining.filled);
      // Bytes read into target() are in place already.
      const inPlace = chunk.buffer === into.buffer && chunk.byteOffset === into.byteOffset + joining.filled;
      if (!inPlace) into.set(n === chunk.length ? chunk : chunk.subarray(0, n), joining.filled);
      joining.filled += n;
      this.length += n;
      if (joining.filled === into.length) {
        this.joining = undefined;
        this.chunks[0] = into;
      } else {
        this.chunks[0] = into.subarray(0, joining.filled);
      }
      if (n === chunk.length) return;
      chunk = chunk.subarray(n);
    }
    this.chunks.push(chunk);
    this.length += chunk.length;
    this.lent = lent ? chunk : undefined;
  }

  /**
   * The next `n` bytes (more than are held) are one frame: gather them into
   * one buffer from `alloc` now and as they arrive, instead of keeping the
   * chunks and joining them at the end. Same single copy; nothing lent is held.
   * A large frame is joined once a sixteenth of it is there (until then this
   * does nothing, and lent bytes are kept as copies).
   */
  join(n: number): void {
    if (this.joining || n <= this.length) return;
    // The length is the peer's word: a large frame's buffer waits for a sixteenth of it,
    // so that a few header bytes cannot make us allocate megabytes per connection.
    if (n > JOIN_AT_ONCE && this.length * 16 < n) return;
    const into = this.alloc(n);
    const filled = this.length;
    let at = 0;
    for (let i = this.first; i < this.chunks.length; i++) {
      const c = i === this.first ? this.chunks[i]!.subarray(this.offset) : this.chunks[i]!;
      into.set(c, at);
      at += c.length;
    }
    this.chunks = [into.subarray(0, filled)];
    this.first = 0;
    this.offset = 0;
    this.lent = undefined;
    this.joining = { into, filled };
  }

  /** The unfilled rest of a large frame being joined (worth a read of its own), if any. */
  target(): Uint8Array | undefined {
    const joining = this.joining;
    if (!joining || joining.into.length - joining.filled < TARGET_FROM) return undefined;
    return joining.into.subarray(joining.filled);
  }

  /** Copies what is left of a lent chunk: call before its buffer is reused. */
  keep(): void {
    const lent = this.lent;
    if (!lent) return;
    this.lent = undefined;
    const last = this.chunks.length - 1;
    if (this.chunks[last] !== lent) return;
    const start = last === this.first ? this.offset : 0;
    this.chunks[last] = lent.slice(start);
    if (last === this.first) this.offset = 0;
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
    if (head.length - this.offset >= n && head !== this.lent) {
      const out = this.offset === 0 && head.length === n ? head : head.subarray(this.offset, this.offset + n);
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
    if (this.offset === this.chunks[this.first]!.length && !this.joining) {
      if (this.chunks[this.first] === this.lent) this.lent = undefined;
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
