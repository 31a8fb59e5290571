// prefault: a hint that backs a buffer's pages with memory at once; it must
// never change a byte, reach outside the buffer, or accept a non-buffer.
import { release } from 'node:os';
import test from 'ava';
import { backends, native } from './backends.js';

test('prefault keeps every byte and reports whole pages inside the buffer', (t) => {
  for (const c of backends) {
    for (const n of [0, 1, 4095, 4096 * 3 + 17, 8 << 20]) {
      const whole = new Uint8Array(n + 64);
      for (let i = 0; i < whole.length; i++) whole[i] = (i * 31 + 7) & 0xff;
      const before = whole.slice();
      // A view that starts mid-page: only its own whole pages may be touched.
      const view = whole.subarray(32, 32 + n);
      const covered = c.prefault(view);
      t.true(Number.isSafeInteger(covered) && covered >= 0 && covered <= n, `${c.backend} ${n}: ${covered}`);
      t.is(covered % 4096, 0);
      t.deepEqual(whole, before, `${c.backend} ${n}: bytes changed`);
    }
  }
});

const linuxAtLeast = (major: number, minor: number): boolean => {
  const [a = 0, b = 0] = release().split('.').map((p) => parseInt(p, 10));
  return a > major || (a === major && b >= minor);
};

test('the addon populates a fresh large buffer on Linux; the JS backend does nothing', (t) => {
  for (const c of backends) {
    const covered = c.prefault(new Uint8Array(8 << 20));
    if (c.backend === 'js') t.is(covered, 0);
    // 5.14+ kernels take the hint (all but the partial pages at the two ends); an older one refuses it: 0, not an error.
    else if (process.platform === 'linux' && linuxAtLeast(5, 14)) t.true(covered >= (8 << 20) - 8192, String(covered));
    else t.true(covered >= 0);
  }
  t.pass(native ? 'native backend present' : 'native backend absent');
});

test('prefault refuses anything but a Uint8Array, in both backends alike', (t) => {
  for (const c of backends) {
    for (const bad of [undefined, 5, 'x', new Uint16Array(8), new ArrayBuffer(8)]) {
      t.throws(() => c.prefault(bad as never), { instanceOf: TypeError, message: 'buffer must be a Uint8Array' });
    }
  }
});
