// A progress bar for transfers: on stderr, and only when stderr is a TTY, so
// piped output and --json stay clean. Redraws at most every 100 ms.
import type { OutStream } from './out.js';

export interface Progress {
  update(done: number, total: number): void;
  /** Draws the final state and ends the line (nothing when not drawn). */
  done(): void;
}

const WIDTH = 24;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** The bar's text for `done` of `total` bytes after `seconds`. */
export function renderBar(label: string, done: number, total: number, seconds: number): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * WIDTH);
  const rate = seconds > 0 ? `${formatBytes(Math.round(done / seconds))}/s` : '';
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}% ${formatBytes(done)}/${formatBytes(total)} ${rate}`.trimEnd();
}

export function createProgress(label: string, stream: OutStream = process.stderr, now: () => number = () => performance.now()): Progress {
  if (stream.isTTY !== true) return { update() {}, done() {} };
  const t0 = now();
  let last = -Infinity;
  let state = { done: 0, total: 0 };
  let drawn = false;
  const draw = () => {
    stream.write(`\r\x1b[2K${renderBar(label, state.done, state.total, (now() - t0) / 1000)}`);
    drawn = true;
  };
  return {
    update(done, total) {
      state = { done, total };
      const t = now();
      if (t - last >= 100) {
        last = t;
        draw();
      }
    },
    done() {
      if (state.total > 0 || drawn) {
        draw();
        stream.write('\n');
      }
    },
  };
}
