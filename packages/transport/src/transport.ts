import { TransportError, toTransportError } from './errors.js';
import { Emitter } from './emitter.js';
import { ClientCodec, type ClientCodecOptions, type SendOptions } from './codec/client-codec.js';
import type { CodecName } from './framing/index.js';
import type { Connection, DcAddress, ProxyOptions } from './connection/types.js';
import { TcpConnection } from './connection/tcp.js';
import { WebSocketConnection } from './connection/websocket.js';
import type { MtproxySecret } from './mtproxy/secret.js';
import type { AesCtrFactory } from './obfuscation/aes-ctr.js';

/** Microtasks through a settled promise: Node's queueMicrotask makes an AsyncResource per call (on every RPC here). */
const SETTLED = Promise.resolve();

export type TransportState = 'idle' | 'connecting' | 'open' | 'closed';

export type TransportEvents = {
  /**
   * One whole packet, in order. The bytes are nobody else's (a view into
   * received chunks the connection handed over, or a fresh copy), so a single
   * listener may overwrite them, e.g. decrypt them in place.
   */
  packet: [packet: Uint8Array];
  /** A quick-ack token (MSB set) for a packet sent with { quickAck: true }. */
  quickAck: [token: number];
  /** Always followed by 'close'. */
  error: [error: TransportError];
  close: [];
};

/** What the client holds: one connection to one DC, packets in and out. */
export interface Transport {
  readonly dc: DcAddress;
  readonly state: TransportState;
  readonly supportsQuickAck: boolean;
  connect(signal?: AbortSignal): Promise<void>;
  /**
   * Frame and send one packet. Without `owned` the packet is never modified;
   * with it the caller hands the packet over until the returned promise
   * resolves (its contents are undefined afterwards), which spares large
   * packets a copy under obfuscation.
   */
  send(packet: Uint8Array, options?: SendOptions): Promise<void>;
  close(): Promise<void>;
  on<K extends keyof TransportEvents>(event: K, listener: (...args: TransportEvents[K]) => void): this;
  off<K extends keyof TransportEvents>(event: K, listener: (...args: TransportEvents[K]) => void): this;
}

export type MtproxyOptions = { type: 'mtproxy'; host: string; port: number; secret: string | Uint8Array | MtproxySecret };

export interface TransportOptions {
  codec?: CodecName;
  obfuscated?: boolean;
  connection?: 'tcp' | 'websocket';
  websocket?: { path?: string; tls?: boolean };
  proxy?: ProxyOptions | MtproxyOptions;
  connectTimeoutMs?: number;
  keepAliveMs?: number;
  maxPacketSize?: number;
  /** AES-256-CTR backend for obfuscation (default node:crypto). */
  aesCtr?: AesCtrFactory;
  /** Where a packet that arrived in several reads is joined (see ClientCodecOptions.allocPacket). */
  allocPacket?: (n: number) => Uint8Array;
}

/** Build your own transport: called once per connection attempt. */
export type TransportFactory = (dc: DcAddress) => Transport;

/** A Transport from options (codec × connection), or from the user's own factory. */
export function createTransport(dc: DcAddress, options: TransportOptions | TransportFactory = {}): Transport {
  if (typeof options === 'function') return options(dc);
  const mtproxy = options.proxy?.type === 'mtproxy' ? options.proxy : undefined;
  const viaProxy = options.proxy && options.proxy.type !== 'mtproxy' ? options.proxy : undefined;
  const target = mtproxy ? { host: mtproxy.host, port: mtproxy.port } : { host: dc.host, port: dc.port };
  const websocket = options.connection === 'websocket';
  if (websocket && mtproxy) throw new TransportError('UNSUPPORTED', 'UNSUPPORTED: MTProxy speaks TCP, not WebSocket');
  const codecOptions: ClientCodecOptions = {
    codec: options.codec,
    // WebSocket endpoints only speak obfuscated framing.
    obfuscated: options.obfuscated === true || websocket,
    dcId: dc.dcId,
    secret: mtproxy?.secret,
    maxPacketSize: options.maxPacketSize,
    aesCtr: options.aesCtr,
    allocPacket: options.allocPacket,
  };
  // Validate now (bad secret, obfuscated full …) rather than at connect time.
  new ClientCodec(codecOptions, { write() {}, packet() {} });
  const connection = (): Connection =>
    websocket
      ? new WebSocketConnection({ ...target, ...options.websocket, proxy: viaProxy, connectTimeoutMs: options.connectTimeoutMs, maxPacketSize: options.maxPacketSize })
      : new TcpConnection({ ...target, proxy: viaProxy, connectTimeoutMs: options.connectTimeoutMs, keepAliveMs: options.keepAliveMs });
  return new StreamTransport(dc, codecOptions, connection(), options.connectTimeoutMs);
}

/** A ClientCodec over a Connection. */
export class StreamTransport extends Emitter<TransportEvents> implements Transport {
  state: TransportState = 'idle';
  private readonly codec: ClientCodec;
  private lastWrite: Promise<void> = Promise.resolve();
  private closeWaiters: Array<() => void> = [];
  private handshakeWaiter: ((error?: TransportError) => void) | undefined;

  constructor(
    readonly dc: DcAddress,
    codecOptions: ClientCodecOptions,
    private readonly connection: Connection,
    private readonly connectTimeoutMs = 10_000,
  ) {
    super();
    this.codec = new ClientCodec(codecOptions, {
      write: (bytes) => {
        this.lastWrite = this.connection.write(bytes);
        this.lastWrite.catch(() => {}); // failures surface through close()
      },
      packet: (packet) => this.emit('packet', packet),
      quickAck: (token) => this.emit('quickAck', token),
      handshakeDone: () => this.handshakeWaiter?.(),
    });
  }

  get supportsQuickAck(): boolean {
    return this.codec.supportsQuickAck;
  }

  async connect(signal?: AbortSignal): Promise<void> {
    if (this.state !== 'idle') throw new TransportError('CLOSED', `CLOSED: connect() on a ${this.state} transport`);
    this.state = 'connecting';
    try {
      await this.connection.open(
        {
          data: (bytes, lent) => this.onData(bytes, lent === true),
          readTarget: () => (this.state === 'closed' ? undefined : this.codec.readTarget()),
          close: (error) => this.onClose(error),
        },
        signal,
      );
    } catch (error) {
      this.state = 'closed';
      throw toTransportError(error, 'CONNECT_FAILED');
    }
    if (this.state !== 'connecting') throw new TransportError('CLOSED', 'CLOSED: connection closed while opening');
    // The init bytes (protocol tag, obfuscation header) wait in the corked socket for the first
    // packet: one write and one segment for both, as a server sees from other clients.
    this.connection.cork?.();
    this.initHeld = true;
    this.codec.start();
    if (this.codec.handshaking) {
      this.releaseInit(); // fake TLS: the hello goes now, the server answers it
      await this.awaitHandshake(signal);
    }
    this.state = 'open';
  }

  /** Fake-TLS: connect() resolves once the server's hello is verified, within the connect timeout. */
  private awaitHandshake(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: TransportError) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.handshakeWaiter = undefined;
        if (!error) return resolve();
        // connect() reports this failure; no 'error'/'close' events for a transport that never opened.
        this.state = 'closed';
        this.failure ??= error;
        this.connection.close();
        reject(error);
      };
      const onAbort = () => finish(new TransportError('ABORTED', 'ABORTED: connect aborted'));
      const timer = setTimeout(() => finish(new TransportError('TIMEOUT', `TIMEOUT: no fake-TLS server hello within ${this.connectTimeoutMs} ms`)), this.connectTimeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) return onAbort();
      this.handshakeWaiter = finish;
    });
  }

  send(packet: Uint8Array, options?: SendOptions): Promise<void> {
    if (this.state !== 'open') return Promise.reject(new TransportError('CLOSED', `CLOSED: send() on a ${this.state} transport`));
    // Packets sent in the same tick leave together: one cipher call, one socket write.
    this.flush ??= this.scheduleFlush();
    try {
      this.codec.send(packet, options);
    } catch (error) {
      return Promise.reject(toTransportError(error, 'CLOSED'));
    }
    return this.flush;
  }

  private flush: Promise<void> | undefined;
  /** The init bytes are held (corked) until the first flush. */
  private initHeld = false;

  private releaseInit(): void {
    if (!this.initHeld) return;
    this.initHeld = false;
    this.connection.uncork?.();
  }

  private scheduleFlush(): Promise<void> {
    this.codec.cork();
    return new Promise<void>((resolve, reject) => {
      void SETTLED.then(() => {
        this.flush = undefined;
        // A large packet leaves as pieces (frame header, packet): one writev for all of them.
        this.connection.cork?.();
        try {
          this.codec.uncork();
          resolve(this.lastWrite);
        } catch (error) {
          reject(toTransportError(error, 'CLOSED'));
        } finally {
          this.connection.uncork?.();
          this.releaseInit();
        }
      });
    });
  }

  close(): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    if (this.state === 'idle') {
      this.state = 'closed';
      return Promise.resolve();
    }
    this.closing = true;
    this.codec.uncork(); // what was sent before close() still goes out
    this.releaseInit();
    return new Promise((resolve) => {
      this.closeWaiters.push(resolve);
      this.connection.close();
    });
  }

  private onData(bytes: Uint8Array, lent: boolean): void {
    if (this.state === 'closed') return;
    try {
      // A Connection hands its chunks over or lends them (see ConnectionHandlers.data): decrypt them in place.
      this.codec.feed(bytes, { owned: true, lent });
    } catch (error) {
      this.fail(toTransportError(error, 'BAD_INIT'));
    }
  }

  private failure: TransportError | undefined;
  private closing = false;

  private fail(error: TransportError): void {
    if (this.failure) return;
    this.failure = error;
    this.handshakeWaiter?.(error);
    this.connection.close();
  }

  private onClose(error?: TransportError): void {
    if (this.state === 'closed' && this.closeWaiters.length === 0) return;
    const wasOpen = this.state === 'open';
    const wasConnecting = this.state === 'connecting';
    this.state = 'closed';
    if (wasConnecting) {
      // Still inside connect(): it rejects with the reason instead of events.
      this.handshakeWaiter?.(this.failure ?? error ?? new TransportError('CLOSED', 'CLOSED: connection closed during the fake-TLS handshake'));
      for (const resolve of this.closeWaiters.splice(0)) resolve();
      return;
    }
    let failure = this.failure ?? error;
    if (!failure && wasOpen && !this.closing) {
      try {
        this.codec.end();
      } catch (truncated) {
        failure = toTransportError(truncated, 'TRUNCATED');
      }
    }
    if (failure) this.emit('error', failure);
    this.emit('close');
    for (const resolve of this.closeWaiters.splice(0)) resolve();
  }
}
