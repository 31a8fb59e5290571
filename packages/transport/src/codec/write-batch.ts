/** From this size on a packet is written in pieces rather than copied into one frame. */
export const LARGE_PACKET = 64 * 1024;

/**
 * Frames written in one tick, held and handed on together: one cipher call and
 * one socket write for a burst of small packets instead of one each (both cost
 * about a microsecond per call, more than framing a kilobyte). Large pieces
 * pass through uncopied. While not corked, writes go straight out.
 */
export class WriteBatch {
  private held: Uint8Array[] | null = null;

  constructor(private readonly out: (bytes: Uint8Array) => void) {}

  get corked(): boolean {
    return this.held !== null;
  }

  cork(): void {
    this.held ??= [];
  }

  write(bytes: Uint8Array): void {
    if (this.held) this.held.push(bytes);
    else this.out(bytes);
  }

  /** Hand on everything held, in order, joining runs of small pieces. */
  uncork(): void {
    const held = this.held;
    this.held = null;
    if (!held) return;
    let run: Uint8Array[] = [];
    let runBytes = 0;
    const flushRun = () => {
      if (run.length === 1) this.out(run[0]!);
      else if (run.length > 1) this.out(Buffer.concat(run, runBytes));
      run = [];
      runBytes = 0;
    };
    for (const bytes of held) {
      if (bytes.length >= LARGE_PACKET) {
        flushRun();
        this.out(bytes);
        continue;
      }
      run.push(bytes);
      runBytes += bytes.length;
      if (runBytes >= LARGE_PACKET) flushRun();
    }
    flushRun();
  }
}
