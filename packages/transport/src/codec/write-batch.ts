/** From this size on a packet is written in pieces rather than copied into one frame. */
export const LARGE_PACKET = 64 * 1024;

/**
 * Where a batch hands its bytes. `owned` says the bytes belong to the codec
 * (a frame or header it built, a joined run) rather than to a caller, so the
 * next stage may overwrite them, e.g. encrypt in place.
 */
export type BatchOut = (bytes: Uint8Array, owned: boolean) => void;

/**
 * Frames written in one tick, held and handed on together: one cipher call and
 * one socket write for a burst of small packets instead of one each (both cost
 * about a microsecond per call, more than framing a kilobyte). Large pieces
 * pass through uncopied. While not corked, writes go straight out.
 */
export class WriteBatch {
  private held: Uint8Array[] | null = null;
  private heldOwned: boolean[] = [];

  constructor(private readonly out: BatchOut) {}

  get corked(): boolean {
    return this.held !== null;
  }

  cork(): void {
    this.held ??= [];
  }

  write(bytes: Uint8Array, owned: boolean): void {
    if (!this.held) return this.out(bytes, owned);
    this.held.push(bytes);
    this.heldOwned.push(owned);
  }

  /** Hand on everything held, in order, joining runs of small pieces. */
  uncork(): void {
    const held = this.held;
    const heldOwned = this.heldOwned;
    this.held = null;
    this.heldOwned = [];
    if (!held) return;
    let run: Uint8Array[] = [];
    let runOwned = true;
    let runBytes = 0;
    const flushRun = () => {
      if (run.length === 1) this.out(run[0]!, runOwned);
      else if (run.length > 1) this.out(Buffer.concat(run, runBytes), true);
      run = [];
      runOwned = true;
      runBytes = 0;
    };
    for (let i = 0; i < held.length; i++) {
      const bytes = held[i]!;
      if (bytes.length >= LARGE_PACKET) {
        flushRun();
        this.out(bytes, heldOwned[i]!);
        continue;
      }
      run.push(bytes);
      runOwned &&= heldOwned[i]!;
      runBytes += bytes.length;
      if (runBytes >= LARGE_PACKET) flushRun();
    }
    flushRun();
  }
}
