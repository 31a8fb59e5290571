/**
 * ClientHello randoms already seen, so a recorded fake-TLS handshake cannot be
 * replayed to probe whether a port is an MTProxy. Bounded: the oldest entries
 * go first (a hello older than the clock-skew window is refused anyway).
 */
export class ReplayCache {
  private readonly seen = new Set<string>();

  constructor(private readonly capacity = 100_000) {}

  /** Remember `random`; false if it was already there. */
  add(random: Uint8Array): boolean {
    const key = Buffer.from(random.buffer, random.byteOffset, random.byteLength).toString('base64');
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.values().next().value!);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}
