import { TransportError } from '../errors.js';
import { codecForTag, createFrameDecoder, createFrameEncoder } from '../framing/index.js';
import type { CodecName, FrameDecoder, FrameEncoder } from '../framing/index.js';
import { ByteQueue } from '../framing/byte-queue.js';
import { Obfuscated2 } from '../obfuscation/obfuscated2.js';
import type { AesCtrFactory } from '../obfuscation/aes-ctr.js';
import type { ReplayCache } from '../mtproxy/replay-cache.js';
import { LARGE_PACKET, WriteBatch } from './write-batch.js';
import { parseMtproxySecret, type MtproxySecret } from '../mtproxy/secret.js';
import { buildServerHello, clientHelloLength, TlsRecordReader, verifyClientHello, wrapApplicationData } from '../mtproxy/fake-tls.js';

export interface ServerCodecOptions {
  /** MTProxy secrets this end accepts (obfuscated with the key; fake-TLS for ee ones). */
  secrets?: readonly (string | Uint8Array | MtproxySecret)[];
  /** Accept 0xef / 0xeeeeeeee / 0xdddddddd / full without obfuscation (default true unless requireSecret). */
  allowUnobfuscated?: boolean;
  /** Refuse everything that does not prove knowledge of one of `secrets` (default false). */
  requireSecret?: boolean;
  maxPacketSize?: number;
  /** How far a fake-TLS ClientHello's clock may be from ours (default 600 s). */
  tlsMaxClockSkewSec?: number;
  /** Clock for fake-TLS checks, in unix seconds (tests). */
  now?: () => number;
  /** AES-256-CTR backend for obfuscation (default node:crypto). */
  aesCtr?: AesCtrFactory;
  /** Seen fake-TLS ClientHellos, shared by every connection of a server (serveTransports makes one). */
  tlsReplayCache?: ReplayCache;
}

/** What the acceptor recognised. */
export interface DetectedTransport {
  codec: CodecName;
  obfuscated: boolean;
  fakeTls: boolean;
  /** DC id from the obfuscated init (null when not obfuscated). */
  dcId: number | null;
  /** The secret the client proved it knows, if any. */
  secret: MtproxySecret | null;
}

export interface ServerCodecSink {
  write(bytes: Uint8Array): void;
  packet(packet: Uint8Array, meta: { quickAck: boolean }): void;
  detected?(info: DetectedTransport): void;
}

const HTTP_WORDS = new Set([0x44414548, 0x54534f50, 0x20544547, 0x4954504f]); // HEAD, POST, "GET ", OPTI

/** Largest number of bytes the acceptor holds before it has decided. */
const MAX_DETECT_BYTES = 5 + 16384;

/**
 * The server's wire stack for one connection, without I/O. It recognises the
 * transport from the first bytes the way Telegram's servers do, then frames
 * both directions in that same transport.
 */
export class ServerCodec {
  private readonly secrets: MtproxySecret[];
  private readonly allowUnobfuscated: boolean;
  private readonly allowNoSecret: boolean;
  private readonly maxPacketSize: number | undefined;
  private readonly maxSkew: number;
  private readonly now: () => number;
  private readonly aesCtr: AesCtrFactory | undefined;
  private readonly replayCache: ReplayCache | undefined;
  private head: ByteQueue | null = new ByteQueue();
  private encoder: FrameEncoder | undefined;
  private decoder: FrameDecoder | undefined;
  private obfuscation: Obfuscated2 | undefined;
  private tlsReader: TlsRecordReader | undefined;
  private tlsInit: ByteQueue | null = null;
  private failed: TransportError | undefined;
  info: DetectedTransport | undefined;

  constructor(options: ServerCodecOptions, private readonly sink: ServerCodecSink) {
    this.secrets = (options.secrets ?? []).map((s) => parseMtproxySecret(s));
    this.allowNoSecret = options.requireSecret !== true;
    this.allowUnobfuscated = this.allowNoSecret && options.allowUnobfuscated !== false;
    this.maxPacketSize = options.maxPacketSize;
    this.maxSkew = options.tlsMaxClockSkewSec ?? 600;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.aesCtr = options.aesCtr;
    this.replayCache = options.tlsReplayCache;
  }

  private inputOwned = true;

  /** True once the codec is known and packets can flow both ways. */
  get detected(): boolean {
    return this.decoder !== undefined;
  }

  /**
   * Bytes from the socket. Throws TransportError (and stays failed) on bad input.
   * `owned` hands `bytes` over, so they may be decrypted in place.
   */
  feed(bytes: Uint8Array, options?: { owned?: boolean }): void {
    if (this.failed) throw this.failed;
    // Leftovers of earlier feeds are decrypted with later ones: one borrowed feed rules in-place out for good.
    if (options?.owned !== true) this.inputOwned = false;
    try {
      if (this.head) {
        this.head.push(bytes);
        if (!this.detect()) return;
        const rest = this.head.takeAll();
        this.head = null;
        if (rest.length > 0) this.feedDetected(rest);
        return;
      }
      this.feedDetected(bytes);
    } catch (error) {
      this.failed = error instanceof TransportError ? error : new TransportError('BAD_INIT', String(error), { cause: error });
      throw this.failed;
    }
  }

  /**
   * Frame, obfuscate and write one packet to the client (held while corked).
   * As for ClientCodec.send, `owned` lets a large packet be encrypted in place.
   */
  send(packet: Uint8Array, options?: { owned?: boolean }): void {
    const encoder = this.ready();
    if (packet.length >= LARGE_PACKET) {
      const owned = options?.owned === true;
      for (const part of encoder.encodeParts(packet)) this.batch.write(part, part !== packet || owned);
      return;
    }
    this.batch.write(encoder.encode(packet), true);
  }

  /** Send a quick-ack token (the MTProto layer computes it; MSB is set here). */
  sendQuickAck(token: number): void {
    this.batch.write(this.ready().encodeQuickAck(token), true);
  }

  /** Hold outgoing frames from now on, to be written together by uncork(). */
  cork(): void {
    this.batch.cork();
  }

  /** Obfuscate and write everything held since cork(). */
  uncork(): void {
    this.batch.uncork();
  }

  private readonly batch = new WriteBatch((plain, owned) => this.writeOut(plain, owned));

  /** Send MTProto's 4-byte transport error packet, e.g. -404. */
  sendError(code: number): void {
    if (!Number.isInteger(code) || code >= 0 || code < -0x80000000) throw new RangeError('a transport error code is a negative int32');
    const packet = new Uint8Array(4);
    new DataView(packet.buffer).setInt32(0, code, true);
    this.send(packet);
  }

  /** The client closed its side. Throws 'TRUNCATED' if it stopped inside a frame or an init. */
  end(): void {
    if (this.failed) return;
    const held = (this.head?.length ?? 0) + (this.decoder?.buffered ?? 0) + (this.tlsReader?.buffered ?? 0) + (this.tlsInit?.length ?? 0);
    if (held > 0) {
      this.failed = new TransportError('TRUNCATED', `TRUNCATED: stream ended with ${held} bytes of an unfinished frame`);
      throw this.failed;
    }
  }

  private ready(): FrameEncoder {
    if (this.failed) throw this.failed;
    if (!this.encoder) throw new TransportError('CLOSED', 'CLOSED: no transport detected yet, nothing to frame with');
    return this.encoder;
  }

  private writeOut(bytes: Uint8Array, owned: boolean): void {
    let out = this.obfuscation ? this.obfuscation.encrypt(bytes, owned) : bytes;
    if (this.tlsReader) out = wrapApplicationData(out);
    this.sink.write(out);
  }

  private feedDetected(bytes: Uint8Array): void {
    if (this.tlsReader) {
      this.tlsReader.push(bytes);
      for (let payload = this.tlsReader.next(); payload; payload = this.tlsReader.next()) {
        if (!this.decoder) {
          // The first records carry the obfuscated init, possibly across several; gather its 64 bytes.
          const gathered = (this.tlsInit ??= new ByteQueue());
          gathered.push(payload);
          if (gathered.length < 64) continue;
          this.acceptObfuscated(gathered.take(64), [this.info!.secret!], true);
          const rest = gathered.takeAll();
          this.tlsInit = null;
          if (rest.length > 0) this.deframe(rest);
          continue;
        }
        this.deframe(payload);
      }
      return;
    }
    this.deframe(bytes);
  }

  private deframe(bytes: Uint8Array): void {
    const decoder = this.decoder!;
    decoder.push(this.obfuscation ? this.obfuscation.decrypt(bytes, this.inputOwned) : bytes);
    for (let frame = decoder.next(); frame; frame = decoder.next()) {
      if (frame.type === 'packet') this.sink.packet(frame.packet, { quickAck: frame.quickAck });
    }
  }

  /** Decide from the bytes in `head`; false while more are needed. */
  private detect(): boolean {
    const q = this.head!;
    const first = q.byteAt(0);
    if (first === 0xef && this.allowUnobfuscated) return this.choosePlain('abridged', 1);
    if (q.length < 4) return false;
    const word = q.uint32LE(0);
    // 16 03 01 02: a ClientHello record of 512–767 bytes, a start the obfuscated init never uses.
    if (word === 0x02010316 && this.secrets.some((s) => s.kind === 'ee')) return this.detectFakeTls();
    if (word === 0xeeeeeeee && this.allowUnobfuscated) return this.choosePlain('intermediate', 4);
    if (word === 0xdddddddd && this.allowUnobfuscated) return this.choosePlain('padded', 4);
    if (HTTP_WORDS.has(word)) throw new TransportError('BAD_INIT', 'BAD_INIT: an HTTP request on a raw MTProto transport');
    if (q.length < 8) return false;
    if (q.uint32LE(4) === 0 && this.allowUnobfuscated) return this.choosePlain('full', 0);
    if (q.length < 64) return false;
    const init = q.take(64);
    const keys: (MtproxySecret | null)[] = this.allowNoSecret ? [null, ...this.secrets] : [...this.secrets];
    this.acceptObfuscated(init, keys, false);
    return true;
  }

  private choosePlain(codec: CodecName, initLength: number): boolean {
    this.head!.skip(initLength);
    this.configure(codec);
    this.announce({ codec, obfuscated: false, fakeTls: false, dcId: null, secret: null });
    return true;
  }

  private acceptObfuscated(init: Uint8Array, keys: readonly (MtproxySecret | null)[], fakeTls: boolean): void {
    for (const secret of keys) {
      const { tag, dcId, obfuscation } = Obfuscated2.server(init, { secret: secret?.key, aesCtr: this.aesCtr });
      const codec = codecForTag(tag);
      if (!codec) continue;
      if (secret?.kind === 'dd' && codec !== 'padded') continue; // dd secrets promise padding
      this.obfuscation = obfuscation;
      this.configure(codec);
      this.announce({ codec, obfuscated: true, fakeTls, dcId, secret });
      return;
    }
    throw new TransportError('BAD_INIT', 'BAD_INIT: first bytes are no known transport (no tag under any secret)');
  }

  private detectFakeTls(): boolean {
    const q = this.head!;
    const size = clientHelloLength(q);
    if (size === null || q.length < size) return false;
    if (size > MAX_DETECT_BYTES) throw new TransportError('BAD_TLS', 'BAD_TLS: ClientHello too long');
    const hello = q.take(size);
    const candidates = this.secrets.filter((s) => s.kind === 'ee');
    const verified = verifyClientHello(hello, candidates.map((s) => s.key), this.now(), this.maxSkew, candidates.map((s) => s.domain));
    const secret = candidates[verified.index]!;
    if (this.replayCache && !this.replayCache.add(verified.clientRandom)) {
      throw new TransportError('BAD_TLS', 'BAD_TLS: replayed ClientHello');
    }
    this.tlsReader = new TlsRecordReader(true);
    this.info = { codec: 'padded', obfuscated: true, fakeTls: true, dcId: null, secret }; // refined once the init arrives
    this.sink.write(buildServerHello(secret.key, verified));
    return true;
  }

  private configure(codec: CodecName): void {
    this.encoder = createFrameEncoder(codec);
    this.decoder = createFrameDecoder(codec, 'server', this.maxPacketSize);
  }

  private announce(info: DetectedTransport): void {
    this.info = info;
    this.sink.detected?.(info);
  }
}
