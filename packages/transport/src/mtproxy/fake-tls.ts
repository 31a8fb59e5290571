import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { TransportError } from '../errors.js';
import { ByteQueue } from '../framing/byte-queue.js';

/**
 * MTProxy "fake-TLS" (ee secrets). The client sends a ClientHello that looks
 * like a browser's, naming the proxy's domain; its 32-byte "random" is
 * HMAC-SHA256(secret key, hello with the random zeroed), with the last four
 * bytes XORed with the unix time (LE). The server answers ServerHello +
 * ChangeCipherSpec + one application-data record; its random is
 * HMAC-SHA256(key, client random ‖ answer with the random zeroed). After that,
 * each direction's bytes travel as TLS application-data records (17 03 03),
 * the client's first one preceded by a ChangeCipherSpec record.
 */

export const TLS_RECORD_HANDSHAKE = 0x16;
export const TLS_RECORD_CHANGE_CIPHER_SPEC = 0x14;
export const TLS_RECORD_APPLICATION_DATA = 0x17;
/** TLS's own limit on a record's plaintext; we never write more per record. */
export const TLS_MAX_RECORD_PAYLOAD = 16384;
/** What we accept per record from a peer (TLS allows ciphertext to grow by 256). */
const TLS_MAX_RECORD_IN = TLS_MAX_RECORD_PAYLOAD + 256;
const RANDOM_OFFSET = 11; // 5 (record header) + 4 (handshake header) + 2 (version)
const CLIENT_HELLO_SIZE = 517; // what browsers and Telegram's apps send
const CHANGE_CIPHER_SPEC = Uint8Array.of(0x14, 0x03, 0x03, 0x00, 0x01, 0x01);

function grease(): number {
  const g = (randomInt(16) << 4) | 0x0a;
  return (g << 8) | g; // 0x0a0a, 0x1a1a, … as browsers use
}

class Builder {
  private parts: number[] = [];
  u8(v: number) { this.parts.push(v & 0xff); return this; }
  u16(v: number) { this.parts.push((v >>> 8) & 0xff, v & 0xff); return this; }
  bytes(b: Uint8Array | number[]) { for (const x of b) this.parts.push(x); return this; }
  get length() { return this.parts.length; }
  build() { return Uint8Array.from(this.parts); }
}

function extension(type: number, body: Uint8Array | number[]): number[] {
  return [(type >>> 8) & 0xff, type & 0xff, (body.length >>> 8) & 0xff, body.length & 0xff, ...body];
}

function u16list(values: number[]): number[] {
  const out: number[] = [];
  for (const v of values) out.push((v >>> 8) & 0xff, v & 0xff);
  return out;
}

/** A ClientHello for `domain`, signed with `key` at time `nowSec`. */
export function buildClientHello(key: Uint8Array, domain: string, nowSec: number = Math.floor(Date.now() / 1000)): Uint8Array {
  const host = Buffer.from(domain, 'latin1');
  const g1 = grease();
  const g2 = grease() ^ 0x1010; // differs from g1, still a GREASE value
  const sni = new Builder().u16(host.length + 3).u8(0).u16(host.length).bytes(host).build();
  const exts: number[] = [
    ...extension(g1, []),
    ...extension(0x0000, sni),
    ...extension(0x0017, []), // extended_master_secret
    ...extension(0xff01, [0]), // renegotiation_info
    ...extension(0x000a, [0, 8, ...u16list([g2, 0x001d, 0x0017, 0x0018])]), // supported_groups
    ...extension(0x000b, [1, 0]), // ec_point_formats
    ...extension(0x0023, []), // session_ticket
    ...extension(0x0010, [0, 12, 2, 0x68, 0x32, 8, ...Buffer.from('http/1.1')]), // ALPN h2, http/1.1
    ...extension(0x0005, [1, 0, 0, 0, 0]), // status_request
    ...extension(0x000d, [0, 16, ...u16list([0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601])]),
    ...extension(0x0012, []), // signed_certificate_timestamp
    ...extension(0x0033, [0, 41, ...u16list([g2]), 0, 1, 0, 0x00, 0x1d, 0, 32, ...randomBytes(32)]), // key_share
    ...extension(0x002d, [1, 1]), // psk_key_exchange_modes
    ...extension(0x002b, [6, ...u16list([grease(), 0x0304, 0x0303])]), // supported_versions
    ...extension(0x001b, [2, 0, 2]), // compress_certificate
    ...extension(g1 ^ 0x1010, [0]),
  ];
  const suites = [grease(), 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035];
  const body = new Builder()
    .u16(0x0303)
    .bytes(new Uint8Array(32)) // random, filled with the digest below
    .u8(32)
    .bytes(randomBytes(32)) // session id
    .u16(suites.length * 2)
    .bytes(u16list(suites))
    .bytes([1, 0]); // compression: null
  // Pad with the padding extension (0x0015) to the usual 517 bytes when the domain leaves room.
  const fixed = 5 + 4 + body.length + 2 + exts.length;
  if (fixed + 4 <= CLIENT_HELLO_SIZE) exts.push(...extension(0x0015, new Array(CLIENT_HELLO_SIZE - fixed - 4).fill(0)));
  body.u16(exts.length).bytes(exts);
  const handshakeBody = body.build();
  // Servers tell a hello from an obfuscated init by its first four bytes, 16 03 01 02.
  if (handshakeBody.length + 4 > 767) throw new TransportError('BAD_SECRET', 'BAD_SECRET: fake-TLS domain too long');
  const hello = new Builder()
    .u8(TLS_RECORD_HANDSHAKE).u16(0x0301).u16(handshakeBody.length + 4)
    .u8(0x01).u8(0).u16(handshakeBody.length)
    .bytes(handshakeBody)
    .build();
  const digest = createHmac('sha256', key).update(hello).digest();
  const stamp = new DataView(digest.buffer, digest.byteOffset + 28, 4);
  stamp.setUint32(0, (stamp.getUint32(0, true) ^ nowSec) >>> 0, true);
  hello.set(digest, RANDOM_OFFSET);
  return hello;
}

/** Bytes needed before a ClientHello can be checked, or null if `head` is not one. */
export function clientHelloLength(head: ByteQueue): number | null {
  if (head.length < 5) return null;
  if (head.byteAt(0) !== TLS_RECORD_HANDSHAKE || head.byteAt(1) !== 0x03 || head.byteAt(2) !== 0x01) {
    throw new TransportError('BAD_TLS', 'BAD_TLS: not a TLS handshake record');
  }
  const len = (head.byteAt(3) << 8) | head.byteAt(4);
  if (len < 4 + 2 + 32 + 1 || len > TLS_MAX_RECORD_PAYLOAD) throw new TransportError('BAD_TLS', `BAD_TLS: ClientHello record of ${len} bytes`);
  return 5 + len;
}

export interface VerifiedHello {
  /** Index into the keys passed in. */
  index: number;
  /** The client's 32-byte random (its digest), bound into our answer. */
  clientRandom: Uint8Array;
  sessionId: Uint8Array;
  timestamp: number;
}

/** The server_name (SNI) a ClientHello asks for, or null if it names none or is malformed. */
export function clientHelloServerName(hello: Uint8Array): string | null {
  const view = Buffer.from(hello.buffer, hello.byteOffset, hello.byteLength);
  let at = RANDOM_OFFSET + 32;
  const need = (n: number) => at + n <= view.length;
  if (!need(1)) return null;
  at += 1 + view[at]!; // session id
  if (!need(2)) return null;
  at += 2 + view.readUInt16BE(at); // cipher suites
  if (!need(1)) return null;
  at += 1 + view[at]!; // compression methods
  if (!need(2)) return null;
  const end = Math.min(view.length, at + 2 + view.readUInt16BE(at));
  at += 2;
  while (at + 4 <= end) {
    const type = view.readUInt16BE(at);
    const len = view.readUInt16BE(at + 2);
    at += 4;
    if (at + len > end) return null;
    if (type === 0x0000 && len >= 5 && view[at + 2] === 0) {
      const nameLength = view.readUInt16BE(at + 3);
      if (5 + nameLength > len) return null;
      return view.toString('latin1', at + 5, at + 5 + nameLength);
    }
    at += len;
  }
  return null;
}

/**
 * Server: check a whole ClientHello record against each key. The first 28 bytes
 * of the random must equal the HMAC; the last 4, XORed with it, give the time,
 * which must be within `maxSkewSec` of ours. Where a domain is given for the
 * key, the hello's SNI must name it.
 */
export function verifyClientHello(hello: Uint8Array, keys: readonly Uint8Array[], nowSec: number, maxSkewSec: number, domains?: readonly (string | undefined)[]): VerifiedHello {
  if (hello.length < RANDOM_OFFSET + 32 + 1 || hello[5] !== 0x01) throw new TransportError('BAD_TLS', 'BAD_TLS: not a ClientHello');
  const clientRandom = hello.slice(RANDOM_OFFSET, RANDOM_OFFSET + 32);
  const sessionIdLength = hello[RANDOM_OFFSET + 32]!;
  if (sessionIdLength > 32 || hello.length < RANDOM_OFFSET + 33 + sessionIdLength) throw new TransportError('BAD_TLS', 'BAD_TLS: bad session id');
  const sessionId = hello.slice(RANDOM_OFFSET + 33, RANDOM_OFFSET + 33 + sessionIdLength);
  const zeroed = Uint8Array.from(hello);
  zeroed.fill(0, RANDOM_OFFSET, RANDOM_OFFSET + 32);
  for (let index = 0; index < keys.length; index++) {
    const digest = createHmac('sha256', keys[index]!).update(zeroed).digest();
    if (!timingSafeEqual(digest.subarray(0, 28), clientRandom.subarray(0, 28))) continue;
    const view = new DataView(clientRandom.buffer, clientRandom.byteOffset + 28, 4);
    const timestamp = (view.getUint32(0, true) ^ digest.readUInt32LE(28)) >>> 0;
    if (Math.abs(timestamp - nowSec) > maxSkewSec) {
      throw new TransportError('BAD_TLS', `BAD_TLS: ClientHello time ${timestamp} is more than ${maxSkewSec}s from ours`);
    }
    const domain = domains?.[index];
    if (domain !== undefined && clientHelloServerName(hello)?.toLowerCase() !== domain.toLowerCase()) {
      throw new TransportError('BAD_TLS', `BAD_TLS: ClientHello does not name ${domain}`);
    }
    return { index, clientRandom, sessionId, timestamp };
  }
  throw new TransportError('BAD_TLS', 'BAD_TLS: ClientHello digest matches no secret');
}

/** Server: ServerHello + ChangeCipherSpec + a random application-data record, signed. */
export function buildServerHello(key: Uint8Array, verified: VerifiedHello): Uint8Array {
  const helloBody = new Builder()
    .u16(0x0303)
    .bytes(new Uint8Array(32))
    .u8(verified.sessionId.length)
    .bytes(verified.sessionId)
    .u16(0x1301)
    .u8(0)
    .u16(46)
    .bytes(extension(0x0033, [0x00, 0x1d, 0, 32, ...randomBytes(32)]))
    .bytes(extension(0x002b, [0x03, 0x04]))
    .build();
  const fakeDataLength = 1024 + randomInt(3072);
  const answer = new Builder()
    .u8(TLS_RECORD_HANDSHAKE).u16(0x0303).u16(helloBody.length + 4)
    .u8(0x02).u8(0).u16(helloBody.length)
    .bytes(helloBody)
    .bytes(CHANGE_CIPHER_SPEC)
    .u8(TLS_RECORD_APPLICATION_DATA).u16(0x0303).u16(fakeDataLength)
    .bytes(randomBytes(fakeDataLength))
    .build();
  const digest = createHmac('sha256', key).update(verified.clientRandom).update(answer).digest();
  answer.set(digest, RANDOM_OFFSET);
  return answer;
}

/**
 * Client: consume the server's answer (three records) from `queue`. Returns
 * false while incomplete; throws BAD_TLS if the records or digest are wrong.
 */
export function readServerHello(queue: ByteQueue, key: Uint8Array, clientRandom: Uint8Array): boolean {
  const expected = [TLS_RECORD_HANDSHAKE, TLS_RECORD_CHANGE_CIPHER_SPEC, TLS_RECORD_APPLICATION_DATA];
  let total = 0;
  for (const type of expected) {
    if (queue.length < total + 5) return false;
    if (queue.byteAt(total) !== type || queue.byteAt(total + 1) !== 0x03 || queue.byteAt(total + 2) !== 0x03) {
      throw new TransportError('BAD_TLS', 'BAD_TLS: unexpected record in the server hello');
    }
    const len = (queue.byteAt(total + 3) << 8) | queue.byteAt(total + 4);
    if (len > TLS_MAX_RECORD_IN) throw new TransportError('BAD_TLS', 'BAD_TLS: oversized record');
    total += 5 + len;
  }
  if (queue.length < total) return false;
  const answer = Uint8Array.from(queue.take(total));
  if (answer.length < RANDOM_OFFSET + 32) throw new TransportError('BAD_TLS', 'BAD_TLS: short server hello');
  const random = answer.slice(RANDOM_OFFSET, RANDOM_OFFSET + 32);
  answer.fill(0, RANDOM_OFFSET, RANDOM_OFFSET + 32);
  const digest = createHmac('sha256', key).update(clientRandom).update(answer).digest();
  if (!timingSafeEqual(digest, random)) throw new TransportError('BAD_TLS', 'BAD_TLS: server hello digest mismatch');
  return true;
}

/** Wrap bytes as application-data records of at most 16 KiB each. */
export function wrapApplicationData(bytes: Uint8Array, prefixChangeCipherSpec = false): Uint8Array {
  const records = Math.max(1, Math.ceil(bytes.length / TLS_MAX_RECORD_PAYLOAD));
  const head = prefixChangeCipherSpec ? CHANGE_CIPHER_SPEC.length : 0;
  const out = new Uint8Array(head + records * 5 + bytes.length);
  if (prefixChangeCipherSpec) out.set(CHANGE_CIPHER_SPEC);
  let at = head;
  for (let from = 0; from < bytes.length || (from === 0 && bytes.length === 0); from += TLS_MAX_RECORD_PAYLOAD) {
    const part = bytes.subarray(from, from + TLS_MAX_RECORD_PAYLOAD);
    out[at] = TLS_RECORD_APPLICATION_DATA;
    out[at + 1] = 0x03;
    out[at + 2] = 0x03;
    out[at + 3] = part.length >>> 8;
    out[at + 4] = part.length & 0xff;
    out.set(part, at + 5);
    at += 5 + part.length;
    if (bytes.length === 0) break;
  }
  return out;
}

/**
 * Reads application-data records and yields their payloads. One leading
 * ChangeCipherSpec record is allowed (the client's); anything else is BAD_TLS.
 */
export class TlsRecordReader {
  private readonly queue = new ByteQueue();
  private allowChangeCipherSpec: boolean;

  constructor(expectChangeCipherSpec: boolean) {
    this.allowChangeCipherSpec = expectChangeCipherSpec;
  }

  get buffered(): number {
    return this.queue.length;
  }

  push(bytes: Uint8Array): void {
    this.queue.push(bytes);
  }

  /** The next record's payload, or null when more bytes are needed. */
  next(): Uint8Array | null {
    const q = this.queue;
    for (;;) {
      if (q.length < 5) return null;
      const type = q.byteAt(0);
      if (q.byteAt(1) !== 0x03 || q.byteAt(2) !== 0x03) throw new TransportError('BAD_TLS', 'BAD_TLS: bad record version');
      const len = (q.byteAt(3) << 8) | q.byteAt(4);
      if (len > TLS_MAX_RECORD_IN) throw new TransportError('BAD_TLS', `BAD_TLS: record of ${len} bytes`);
      if (type === TLS_RECORD_CHANGE_CIPHER_SPEC && this.allowChangeCipherSpec) {
        if (q.length < 5 + len) return null;
        if (len !== 1 || q.byteAt(5) !== 1) throw new TransportError('BAD_TLS', 'BAD_TLS: bad ChangeCipherSpec');
        q.skip(6);
        this.allowChangeCipherSpec = false;
        continue;
      }
      if (type !== TLS_RECORD_APPLICATION_DATA) throw new TransportError('BAD_TLS', `BAD_TLS: unexpected record type ${type}`);
      if (q.length < 5 + len) return null;
      this.allowChangeCipherSpec = false;
      q.skip(5);
      return q.take(len);
    }
  }
}
