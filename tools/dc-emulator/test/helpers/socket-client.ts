// Our client's sans-IO cores (ClientHandshake, ClientSession) over a real
// transport of the transport package: what the e2e tests drive the
// emulator with, independent of the client's connection class.
import { createTransport, type Transport, type TransportOptions } from '@telegram-mt/transport';
import {
  ClientHandshake,
  ClientSession,
  parseRsaPublicKey,
  type AuthKeyResult,
  type ClientSessionEvent,
} from '@telegram-mt/client/mtproto';
import type { tl } from '@telegram-mt/tl';

export interface DcInfo {
  id: number;
  host: string;
  port: number;
}

type Waiter = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class SocketClient {
  session: ClientSession | undefined;
  key: AuthKeyResult | undefined;
  readonly events: ClientSessionEvent[] = [];
  /** How many answers (results or errors) each request id got. */
  readonly answers = new Map<number, number>();
  private plainInbox: Uint8Array[] = [];
  private plainWaiter: ((p: Uint8Array) => void) | undefined;
  private readonly waiters = new Map<number, Waiter>();
  closed = false;
  closeError: Error | undefined;

  private constructor(readonly transport: Transport) {}

  static async open(dc: DcInfo, options: TransportOptions): Promise<SocketClient> {
    const transport = createTransport({ host: dc.host, port: dc.port, dcId: dc.id }, options);
    const c = new SocketClient(transport);
    transport.on('packet', (p) => c.onPacket(p));
    transport.on('error', (e) => {
      c.closeError = e;
    });
    transport.on('close', () => {
      c.closed = true;
      for (const w of c.waiters.values()) w.reject(c.closeError ?? new Error('transport closed'));
      c.waiters.clear();
    });
    await transport.connect(AbortSignal.timeout(10_000));
    return c;
  }

  private onPacket(p: Uint8Array): void {
    if (this.session === undefined) {
      if (this.plainWaiter) {
        const w = this.plainWaiter;
        this.plainWaiter = undefined;
        w(p);
      } else this.plainInbox.push(p);
      return;
    }
    for (const e of this.session.receive(p)) {
      this.events.push(e);
      if (e.type === 'result' || e.type === 'error') {
        this.answers.set(e.requestId, (this.answers.get(e.requestId) ?? 0) + 1);
        const w = this.waiters.get(e.requestId);
        this.waiters.delete(e.requestId);
        if (e.type === 'result') w?.resolve(e.result);
        else w?.reject(e.error);
      }
    }
    // Acks and anything the session wants to say go out at once.
    void this.flush();
  }

  private nextPlain(timeoutMs = 10_000): Promise<Uint8Array> {
    const p = this.plainInbox.shift();
    if (p) return Promise.resolve(p);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(this.closeError ? `closed: ${this.closeError.message}` : 'no answer to the handshake')), timeoutMs);
      this.plainWaiter = (packet) => {
        clearTimeout(timer);
        resolve(packet);
      };
    });
  }

  /** Our client's handshake over this connection; rejects with its HandshakeError. */
  async makeKey(): Promise<AuthKeyResult> {
    const hs = new ClientHandshake({ dcId: this.transport.dc.dcId, publicKeys: this.publicKeys });
    let out: Uint8Array | undefined = hs.start();
    while (out !== undefined) {
      await this.transport.send(out);
      const step = hs.receive(await this.nextPlain());
      if (step.done) {
        this.key = step.done;
        this.session = new ClientSession({ authKey: step.done.authKey, serverSalt: step.done.serverSalt, timeOffset: step.done.timeOffset });
        return step.done;
      }
      out = step.send;
    }
    throw new Error('handshake ended without a key');
  }

  publicKeys = [] as ReturnType<typeof parseRsaPublicKey>[];
  trust(pems: readonly string[]): this {
    this.publicKeys = pems.map(parseRsaPublicKey);
    return this;
  }

  /** Queues a request without sending it (to pipeline many); call flush() after. */
  queue(request: tl.TlMethod | { method: string; body: Uint8Array }): { id: number; answer: Promise<unknown> } {
    const s = this.session!;
    const id = 'body' in request ? s.send(request.method, request.body) : s.invoke(request);
    const answer = new Promise<unknown>((resolve, reject) => this.waiters.set(id, { resolve, reject }));
    return { id, answer };
  }

  async flush(): Promise<void> {
    if (this.session === undefined || this.closed) return;
    for (const p of this.session.flush()) await this.transport.send(p);
  }

  async invoke(request: tl.TlMethod | { method: string; body: Uint8Array }, timeoutMs = 10_000): Promise<unknown> {
    const { answer } = this.queue(request);
    await this.flush();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer in time')), timeoutMs);
    });
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
