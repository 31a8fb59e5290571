import { TransportError } from '../errors.js';
import { createFrameDecoder, createFrameEncoder, plainInit, PROTOCOL_TAG, peerErrorCode } from '../framing/index.js';
import type { CodecName, FrameDecoder, FrameEncoder } from '../framing/index.js';
import { ByteQueue } from '../framing/byte-queue.js';
import { Obfuscated2 } from '../obfuscation/obfuscated2.js';
import type { AesCtrFactory } from '../obfuscation/aes-ctr.js';
import { parseMtproxySecret, type MtproxySecret } from '../mtproxy/secret.js';
import { buildClientHello, readServerHello, TlsRecordReader, wrapApplicationData } from '../mtproxy/fake-tls.js';
import { LARGE_PACKET, WriteBatch } from './write-batch.js';

export interface ClientCodecOptions {
  /** Framing (default 'intermediate'). A dd or ee secret defaults it to 'padded'. */
  codec?: CodecName;
  /** Wrap the framing in obfuscated2 (implied by a secret). */
  obfuscated?: boolean;
  /** DC id for the obfuscated init (signed 16-bit). */
  dcId?: number;
  /** MTProxy secret: 16 bytes, dd…, or ee…<domain> (hex, base64url or bytes). */
  secret?: string | Uint8Array | MtproxySecret;
  maxPacketSize?: number;
  /** AES-256-CTR backend for obfuscation (default node:crypto). */
  aesCtr?: AesCtrFactory;
  /**
   * Where a packet that arrived in several reads is joined: n bytes, all of
   * which the codec writes (default `Buffer.allocUnsafe`). Lets the receiver
   * of large packets recycle their buffers.
   */
  allocPacket?: (n: number) => Uint8Array;
}

export interface SendOptions {
  /** Ask the server for a quick ack (not in the full codec). */
  quickAck?: boolean;
  /**
   * The caller hands the packet over: it may be overwritten (encrypted in
   * place). Once the write is done (Transport: send() resolved) the buffer is
   * the caller's again, its contents undefined.
   */
  owned?: boolean;
}

/** Where a sans-IO codec puts its output. */
export interface ClientCodecSink {
  write(bytes: Uint8Array): void;
  packet(packet: Uint8Array): void;
  quickAck?(token: number): void;
  /** Fake-TLS only: the server's hello checked out and held packets went out. */
  handshakeDone?(): void;
}

/**
 * The client's whole wire stack for one connection, without I/O:
 * framing → obfuscated2 → fake-TLS records, and back.
 */
export class ClientCodec {
  readonly codec: CodecName;
  readonly obfuscated: boolean;
  readonly secret: MtproxySecret | undefined;
  private readonly encoder: FrameEncoder;
  private readonly decoder: FrameDecoder;
  private readonly dcId: number;
  private readonly aesCtr: AesCtrFactory | undefined;
  private obfuscation: Obfuscated2 | undefined;
  private tls: { clientRandom: Uint8Array; handshake: ByteQueue | null; reader: TlsRecordReader; pending: Uint8Array[]; first: boolean } | undefined;
  private started = false;
  private failed: TransportError | undefined;

  constructor(options: ClientCodecOptions, private readonly sink: ClientCodecSink) {
    this.secret = options.secret === undefined ? undefined : parseMtproxySecret(options.secret);
    this.codec = options.codec ?? (this.secret && this.secret.kind !== 'plain' ? 'padded' : 'intermediate');
    if (this.secret?.kind === 'dd' && this.codec !== 'padded') {
      throw new TransportError('UNSUPPORTED', 'UNSUPPORTED: a dd secret requires the padded codec');
    }
    this.obfuscated = options.obfuscated === true || this.secret !== undefined;
    if (this.obfuscated && PROTOCOL_TAG[this.codec] === null) {
      throw new TransportError('UNSUPPORTED', `UNSUPPORTED: the ${this.codec} codec has no protocol tag to obfuscate`);
    }
    this.dcId = options.dcId ?? 0;
    this.aesCtr = options.aesCtr;
    if (!Number.isInteger(this.dcId) || this.dcId < -32768 || this.dcId > 32767) throw new RangeError('dcId must fit a signed 16-bit integer');
    this.encoder = createFrameEncoder(this.codec);
    this.decoder = createFrameDecoder(this.codec, 'client', options.maxPacketSize);
    if (options.allocPacket) this.decoder.useAllocator?.(options.allocPacket);
  }

  get supportsQuickAck(): boolean {
    return this.codec !== 'full';
  }

  /** True while a fake-TLS handshake waits for the server's hello. */
  get handshaking(): boolean {
    return this.tls?.handshake != null;
  }

  /** Write the init bytes. Call once, before anything else. */
  start(): void {
    if (this.started) throw new Error('ClientCodec.start() called twice');
    this.started = true;
    if (!this.obfuscated) {
      const init = plainInit(this.codec);
      if (init.length > 0) this.sink.write(init);
      return;
    }
    const { init, obfuscation } = Obfuscated2.client(PROTOCOL_TAG[this.codec]!, this.dcId, { secret: this.secret?.key, aesCtr: this.aesCtr });
    this.obfuscation = obfuscation;
    if (this.secret?.kind === 'ee') {
      const hello = buildClientHello(this.secret.key, this.secret.domain!);
      this.tls = { clientRandom: hello.slice(11, 43), handshake: new ByteQueue(), reader: new TlsRecordReader(false), pending: [init], first: true };
      this.sink.write(hello);
      return;
    }
    this.sink.write(init);
  }

  /**
   * Frame, obfuscate and write one packet. While corked the frame is held (and
   * `packet` must not change) until uncork(). `packet` is never modified unless
   * `owned` hands it over: then a large one may be encrypted where it lies
   * instead of into a fresh copy, and its contents are undefined afterwards.
   */
  send(packet: Uint8Array, options?: SendOptions): void {
    if (!this.started) throw new Error('ClientCodec.send() before start()');
    if (this.failed) throw this.failed;
    const quickAck = options?.quickAck === true && this.supportsQuickAck;
    if (packet.length >= LARGE_PACKET) {
      // Skip copying the packet into a frame: header, packet, trailer go on as they are.
      const owned = options?.owned === true;
      for (const part of this.encoder.encodeParts(packet, quickAck)) this.batch.write(part, part !== packet || owned);
      return;
    }
    this.batch.write(this.encoder.encode(packet, quickAck), true);
  }

  /** Hold frames from now on, to be written together by uncork(). */
  cork(): void {
    this.batch.cork();
  }

  /** Obfuscate and write everything held since cork(), in as few writes as possible. */
  uncork(): void {
    this.batch.uncork();
  }

  private readonly batch = new WriteBatch((plain, owned) => this.writeOut(this.obfuscation ? this.obfuscation.encrypt(plain, owned) : plain));

  private writeOut(bytes: Uint8Array): void {
    const tls = this.tls;
    if (!tls) return this.sink.write(bytes);
    if (tls.handshake) {
      tls.pending.push(bytes); // held until the server's hello checks out
      return;
    }
    this.sink.write(wrapApplicationData(bytes, tls.first));
    tls.first = false;
  }

  /**
   * Bytes from the socket. Throws TransportError (and stays failed) on bad input.
   * `owned` hands `bytes` over (nothing else reads them later), so they may be
   * decrypted in place; packets delivered may then be views into them.
   * `lent` bytes may be overwritten too, but only until feed() returns (a
   * reused read buffer): packets cut from them are copies, and nothing of
   * them is kept.
   */
  feed(bytes: Uint8Array, options?: { owned?: boolean; lent?: boolean }): void {
    if (this.failed) throw this.failed;
    const lent = options?.lent === true;
    // Buffered leftovers of earlier feeds are decrypted with later ones: one borrowed feed rules in-place out for good.
    if (options?.owned !== true && !lent) this.inputOwned = false;
    try {
      if (this.tls) this.feedTls(lent ? bytes.slice() : bytes); // records are gathered across reads: keep a copy
      else this.feedObfuscated(bytes, lent);
    } catch (error) {
      this.failed = error instanceof TransportError ? error : new TransportError('BAD_INIT', String(error), { cause: error });
      throw this.failed;
    }
  }

  private inputOwned = true;

  /**
   * Where the next bytes from the socket may be read: the rest of a large
   * packet being received (then fed lent, they are already in place).
   * Undefined under fake-TLS, whose record headers sit between the bytes.
   */
  readTarget(): Uint8Array | undefined {
    if (this.tls || this.failed) return undefined;
    return this.decoder.readTarget?.();
  }

  private feedTls(bytes: Uint8Array): void {
    const tls = this.tls!;
    let rest = bytes;
    if (tls.handshake) {
      tls.handshake.push(bytes);
      if (!readServerHello(tls.handshake, this.secret!.key, tls.clientRandom)) {
        if (tls.handshake.length > 64 * 1024) throw new TransportError('BAD_TLS', 'BAD_TLS: server hello too long');
        return;
      }
      rest = tls.handshake.takeAll();
      tls.handshake = null;
      const pending = tls.pending;
      tls.pending = [];
      const joined = Buffer.concat(pending);
      this.sink.write(wrapApplicationData(joined, true));
      tls.first = false;
      this.sink.handshakeDone?.();
    }
    tls.reader.push(rest);
    for (let payload = tls.reader.next(); payload; payload = tls.reader.next()) this.feedObfuscated(payload, false);
  }

  private feedObfuscated(bytes: Uint8Array, lent: boolean): void {
    // Lent bytes are ours to overwrite while this call lasts: decrypted in place like owned ones.
    const plain = this.obfuscation ? this.obfuscation.decrypt(bytes, lent || this.inputOwned) : bytes;
    // (A backend that cannot decrypt in place returns fresh bytes, which are not lent.)
    this.decoder.push(plain, lent && plain.buffer === bytes.buffer);
    for (let frame = this.decoder.next(); frame; frame = this.decoder.next()) {
      if (frame.type === 'quickAck') {
        this.sink.quickAck?.(frame.token);
        continue;
      }
      const code = peerErrorCode(frame.packet, this.codec === 'padded');
      if (code !== null) throw new TransportError(code);
      this.sink.packet(frame.packet);
    }
  }

  /** The peer closed its side. Throws 'TRUNCATED' if it stopped inside a frame. */
  end(): void {
    if (this.failed) return;
    const held = this.decoder.buffered + (this.tls ? this.tls.reader.buffered + (this.tls.handshake?.length ?? 0) : 0);
    if (held > 0) {
      this.failed = new TransportError('TRUNCATED', `TRUNCATED: stream ended with ${held} bytes of an unfinished frame`);
      throw this.failed;
    }
  }
}
