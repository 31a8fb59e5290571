// Ready (a, g^a) pairs for the server side of the handshake, made on a
// background thread at a low CPU priority. A DC answering req_DH_params
// then only decrypts and encrypts; the exponentiation that made its g_a ran
// on spare CPU, never on the thread that answers clients, so it cannot delay
// the next step of a handshake in flight (a real DC has more cores than
// connections in the middle of a handshake; the emulator has two at most).
import { Worker } from 'node:worker_threads';
import { KNOWN_DH_PRIME, type DhExponent } from '@telegram-mt/client/mtproto';

// CommonJS, run with eval: the thread needs nothing but node:crypto. It lowers
// its own priority (Linux: a thread id is a pid for setpriority; elsewhere it
// runs at normal priority) to nice 10: it yields to the threads answering
// clients, yet still makes progress on a busy machine, where at nice 19 it
// was starved and the stock ran dry. Constructing the DiffieHellman object
// checks the prime once (~0.3 s), here, off the main thread.
const NICE = 10;
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createDiffieHellman, randomBytes } = require('node:crypto');
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, ${NICE});
} catch {}
const dh = createDiffieHellman(Buffer.from(workerData.prime), 2);
const g = Buffer.alloc(256);
g[255] = workerData.g;
parentPort.on('message', () => {
  const a = randomBytes(256);
  dh.setPrivateKey(a);
  const gA = dh.computeSecret(g);
  parentPort.postMessage({ a: new Uint8Array(a), gA: new Uint8Array(gA) });
  a.fill(0);
});
`;

let worker: Worker | undefined;
let broken = false;
/** Answers the thread owes, in the order asked (it answers one message at a time). */
const owed: Array<(e: DhExponent | undefined) => void> = [];

function failAll(): void {
  broken = true;
  worker = undefined;
  for (const resolve of owed.splice(0)) resolve(undefined);
}

/** One pair from the thread, or undefined when it cannot run here. */
function makeInBackground(): Promise<DhExponent | undefined> {
  if (broken) return Promise.resolve(undefined);
  if (worker === undefined) {
    try {
      worker = new Worker(SOURCE, { eval: true, workerData: { prime: KNOWN_DH_PRIME, g: 3 } });
    } catch {
      failAll();
      return Promise.resolve(undefined);
    }
    worker.on('message', (e: DhExponent) => owed.shift()?.(e));
    worker.on('error', failAll);
    worker.on('exit', failAll);
    worker.unref(); // after the listeners, which would ref it again: it never keeps the process alive
  }
  return new Promise((resolve) => {
    owed.push(resolve);
    worker!.postMessage(0);
  });
}

/**
 * A DC's stock of ready pairs for Telegram's prime and g = 3, at most `size`,
 * refilled by the background thread. Each pair is handed out once.
 */
export class DhExponentStock {
  private readonly ready: DhExponent[] = [];
  private asked = 0;
  private wiped = false;

  constructor(private readonly size: number) {}

  get available(): number {
    return this.ready.length;
  }

  take(): DhExponent | undefined {
    return this.ready.pop();
  }

  /** Zeroes and drops every ready secret exponent; what the thread still owes is dropped on arrival. */
  wipe(): void {
    this.wiped = true;
    for (const e of this.ready.splice(0)) e.a.fill(0);
  }

  /** Asks the thread for as many pairs as the stock lacks (cheap: only messages are sent here). */
  fill(): void {
    while (!broken && !this.wiped && this.ready.length + this.asked < this.size) {
      this.asked++;
      void makeInBackground().then((e) => {
        this.asked--;
        if (e === undefined) return;
        if (this.wiped) e.a.fill(0);
        else this.ready.push(e);
      });
    }
  }
}
