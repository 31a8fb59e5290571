import { authKeyIdOf, type MessageCipher, type OpenJob } from './cipher.js';
import type { RandomSource } from './clock.js';
import { allocBytes, allocPacket } from './slab.js';
import type { DropReason } from './stats.js';
import { readLong, readU32, writeLong, writeU32 } from './wire.js';

/** One decrypted message: the plaintext header and its body (data after the header, without padding). */
export interface SealedMessage {
  salt: bigint;
  sessionId: bigint;
  msgId: bigint;
  seqNo: number;
  body: Uint8Array;
}

/** salt, session_id, msg_id, seq_no, message_data_length. */
const HEADER = 32;
const MIN_PADDING = 12;
const MAX_PADDING = 1024;
/** auth_key_id + msg_key. */
const OUTER = 24;
/** The smallest ciphertext: a header with no body and minimal padding, rounded to AES blocks. */
const MIN_CIPHERTEXT = 48;

export type Role = 'client' | 'server';

/** Where a packet's message ends: the padded intermediate transport appends 0–15 random bytes, and whole AES blocks are the message. */
const messageEnd = (packet: Uint8Array): number => packet.length - ((packet.length - OUTER) & 15);

const writeBody = (body: Uint8Array, into: Uint8Array, at: number): void => into.set(body, at);

/**
 * The encrypted packet format of MTProto 2.0 for one auth key and one role:
 * `seal` frames and encrypts a message, `open` decrypts it and checks
 * everything that does not need session state (length, auth_key_id, msg_key,
 * message_data_length and padding). A client seals with x = 0 and opens with
 * x = 8; a server the other way round.
 */
export class Envelope {
  readonly authKeyId: bigint;
  private readonly keyIdBytes: Uint8Array;
  private readonly xOut: 0 | 8;
  private readonly xIn: 0 | 8;
  /** salt and session_id change rarely: their 16 header bytes are kept written. */
  private headSalt: bigint | undefined;
  private headSession: bigint | undefined;
  private readonly head = new Uint8Array(16);

  constructor(
    readonly authKey: Uint8Array,
    readonly role: Role,
    private readonly cipher: MessageCipher,
    private readonly random: RandomSource,
    /** Random padding beyond the minimum, in 16-byte blocks (0 = smallest legal padding). */
    private readonly extraPaddingBlocks = 0,
  ) {
    this.authKeyId = authKeyIdOf(authKey);
    this.keyIdBytes = new Uint8Array(8);
    writeLong(this.keyIdBytes, 0, this.authKeyId);
    this.xOut = role === 'client' ? 0 : 8;
    this.xIn = role === 'client' ? 8 : 0;
  }

  /** The encrypted packet (auth_key_id, msg_key, ciphertext) of one message. */
  seal(salt: bigint, sessionId: bigint, msgId: bigint, seqNo: number, body: Uint8Array): Uint8Array {
    return this.sealWith(salt, sessionId, msgId, seqNo, body.length, body, writeBody);
  }

  /**
   * The same for a body of `len` bytes that `write(what, into, at)` lays out
   * straight into the packet (a container, without building it first).
   */
  sealWith<T>(
    salt: bigint,
    sessionId: bigint,
    msgId: bigint,
    seqNo: number,
    len: number,
    what: T,
    write: (what: T, into: Uint8Array, at: number) => void,
  ): Uint8Array {
    if ((len & 3) !== 0) throw new RangeError(`a message body is whole 4-byte words, got ${len} bytes`);
    let pad = MIN_PADDING + ((16 - ((HEADER + len + MIN_PADDING) & 15)) & 15);
    if (this.extraPaddingBlocks > 0) {
      const r = new Uint8Array(1);
      this.random(r);
      pad += 16 * (r[0]! % (this.extraPaddingBlocks + 1));
      if (pad > MAX_PADDING) pad -= 16 * Math.ceil((pad - MAX_PADDING) / 16);
    }
    const total = HEADER + len + pad;
    // The plaintext is laid out where its ciphertext goes and encrypted in place:
    // no scratch buffer, and one copy of the body fewer.
    const out = allocPacket(OUTER + total);
    out.set(this.keyIdBytes, 0);
    const pt = out.subarray(OUTER);
    if (salt !== this.headSalt || sessionId !== this.headSession) {
      writeLong(this.head, 0, salt);
      writeLong(this.head, 8, sessionId);
      this.headSalt = salt;
      this.headSession = sessionId;
    }
    pt.set(this.head, 0);
    writeLong(pt, 16, msgId);
    writeU32(pt, 24, seqNo);
    writeU32(pt, 28, len);
    write(what, pt, HEADER);
    this.random(pt.subarray(HEADER + len, total));
    this.cipher.encrypt(this.authKey, this.xOut, pt, out.subarray(8));
    return out;
  }

  /**
   * What `open` will decrypt of `packet` (its msg_key and whole-block
   * ciphertext, views of the packet), for a cipher that decrypts it ahead in
   * place; undefined when `open` would refuse the packet before decrypting.
   */
  openJob(packet: Uint8Array): OpenJob | undefined {
    const n = messageEnd(packet);
    if (n < OUTER + MIN_CIPHERTEXT) return undefined;
    const k = this.keyIdBytes;
    for (let i = 0; i < 8; i++) if (packet[i] !== k[i]) return undefined;
    return { authKey: this.authKey, x: this.xIn, msgKey: packet.subarray(8, OUTER), ciphertext: packet.subarray(OUTER, n) };
  }

  /**
   * `owned` hands the packet over (nobody else reads it afterwards): it is
   * decrypted where it lies, and the body is a view into it.
   */
  open(packet: Uint8Array, owned = false): SealedMessage | DropReason {
    const n = messageEnd(packet);
    if (n < OUTER + MIN_CIPHERTEXT) return 'length';
    const k = this.keyIdBytes;
    for (let i = 0; i < 8; i++) if (packet[i] !== k[i]) return 'auth-key-id';
    const ct = packet.subarray(OUTER, n);
    const pt = owned ? ct : allocBytes(ct.length);
    if (!this.cipher.decrypt(this.authKey, this.xIn, packet.subarray(8, OUTER), ct, pt)) return 'msg-key';
    const len = readU32(pt, 28);
    const pad = pt.length - HEADER - len;
    if ((len & 3) !== 0 || len > pt.length - HEADER || pad < MIN_PADDING || pad > MAX_PADDING) return 'padding';
    return {
      salt: readLong(pt, 0),
      sessionId: readLong(pt, 8),
      msgId: readLong(pt, 16),
      seqNo: readU32(pt, 24),
      body: pt.subarray(HEADER, HEADER + len),
    };
  }
}
