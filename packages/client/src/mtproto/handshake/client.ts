// The client side of the auth-key handshake as a sans-IO state machine:
// packets (whole plain messages) in, packets out, randomness and time injected.
import { factorizePQ } from './primitives.js';
import { KNOWN_DH_PRIME, checkDhParams, checkDhValue, dhPower, dhShared } from '../dh.js';
import { rsaPadEncrypt, timingSafeEqualBytes, type RsaPublicKey } from '../rsa.js';
import { decodeUnencrypted, encodeUnencrypted, msgIdFromTime } from '../unencrypted.js';
import { bigIntFromBytes, bigIntToBytes } from './bigint.js';
import { HandshakeError } from './errors.js';
import { dhExponentInRange, randomTaker } from './draw.js';
import { isPrime64 } from './pq.js';
import {
  authKeyAuxHash,
  authKeyIdOf,
  decryptWithHash,
  encryptWithHash,
  initialServerSalt,
  newNonceHash,
  sha1,
  tmpAesKeyIv,
} from './kdf.js';
import {
  readResPQ,
  readServerDHInnerData,
  readServerDHParams,
  readSetClientDHParamsAnswer,
  writeClientDHInnerData,
  writePQInnerData,
  writeReqDHParams,
  writeReqPqMulti,
  writeSetClientDHParams,
  type ServerDHInnerData,
} from './messages.js';
import type { AuthKeyResult, Clock, RandomSource } from './types.js';

/** base^exponent mod modulus, big-endian bytes: an exponentiation a handshake step needs (see ClientHandshake.nextPower). */
export interface DhPower {
  readonly base: Uint8Array;
  readonly exponent: Uint8Array;
  readonly modulus: Uint8Array;
}

/** g = 3 as the base of a DhPower. */
const DH_G_3 = Uint8Array.of(3);

export interface ClientHandshakeOptions {
  /** As sent in p_q_inner_data_dc: negative for media DCs, +10000 for test DCs (see `handshakeDcId`). */
  dcId: number;
  /** Keys we trust; the first one the server also lists is used. */
  publicKeys: RsaPublicKey[];
  /** Ask for a temporary key (p_q_inner_data_temp_dc), for PFS. */
  temp?: { expiresIn: number };
  /** Default crypto.randomBytes. Called in a fixed order, so a recorded exchange replays exactly. */
  random?: RandomSource;
  /** Local clock in ms, default Date.now. */
  now?: Clock;
  /** msg_id source for the plain messages; default derives them from `now`. */
  msgId?: () => bigint;
  /** dh_gen_retry answers tolerated before giving up. Default 5. */
  maxRetries?: number;
}

type Step = 'new' | 'resPQ' | 'serverDH' | 'dhGen' | 'done' | 'failed';

export class ClientHandshake {
  private step: Step = 'new';
  private readonly take: (n: number) => Uint8Array;
  private readonly now: Clock;
  private readonly maxRetries: number;
  private lastMsgId = 0n;
  private timeOffset = 0;

  private nonce: Uint8Array = new Uint8Array(16);
  private serverNonce: Uint8Array = new Uint8Array(16);
  private newNonce: Uint8Array = new Uint8Array(32);
  private tmp?: { key: Uint8Array; iv: Uint8Array };
  private dh?: ServerDHInnerData;
  private authKey?: Uint8Array;
  /** b whose key g_a^b is not computed yet. */
  private pendingB?: Uint8Array;
  /** b, drawn at start(), and g^b once computed ahead for the known prime and g = 3 (see nextPower). */
  private speculative?: { b: Uint8Array; gB?: Uint8Array };
  /** The exponentiation nextPower() last handed out, until its result comes back. */
  private need?: DhPower;
  private retries = 0;

  constructor(private readonly opts: ClientHandshakeOptions) {
    this.take = randomTaker(opts.random);
    this.now = opts.now ?? Date.now;
    this.maxRetries = opts.maxRetries ?? 5;
    if (opts.publicKeys.length === 0) throw new TypeError('ClientHandshake needs at least one RSA public key');
    if (!Number.isInteger(opts.dcId) || opts.dcId === 0) throw new TypeError(`dcId must be a non-zero integer, got ${opts.dcId}`);
    if (opts.temp !== undefined && !(Number.isInteger(opts.temp.expiresIn) && opts.temp.expiresIn > 0)) {
      throw new TypeError('temp.expiresIn must be a positive number of seconds');
    }
  }

  /** True once the key is ready or the handshake failed. */
  get finished(): boolean {
    return this.step === 'done' || this.step === 'failed';
  }

  /** The first packet: req_pq_multi. */
  start(): Uint8Array {
    if (this.step !== 'new') throw new HandshakeError('BAD_STATE', 'start() called twice');
    this.nonce = this.take(16);
    // b is drawn now, so that g^b can be computed while the first round trips go on.
    this.speculative = { b: this.take(256) };
    this.step = 'resPQ';
    return this.pack(writeReqPqMulti(this.nonce));
  }

  /** Feeds one server packet. Any failure is final: the handshake never yields a key after it. */
  receive(packet: Uint8Array): { send?: Uint8Array; done?: AuthKeyResult } {
    if (this.step === 'new' || this.finished) {
      throw new HandshakeError('BAD_STATE', this.step === 'new' ? 'receive() before start()' : `handshake already ${this.step}`);
    }
    try {
      const { msgId, body } = decodeUnencrypted(packet);
      if ((msgId & 3n) !== 1n && (msgId & 3n) !== 3n) {
        throw new HandshakeError('BAD_MESSAGE', 'server msg_id must be odd (1 or 3 mod 4)');
      }
      switch (this.step) {
        case 'resPQ':
          return { send: this.onResPQ(body) };
        case 'serverDH':
          return { send: this.onServerDHParams(body) };
        default:
          return this.onDhGen(body);
      }
    } catch (err) {
      this.step = 'failed';
      this.authKey?.fill(0);
      this.authKey = undefined;
      this.pendingB?.fill(0);
      this.pendingB = undefined;
      this.speculative?.b.fill(0);
      this.speculative = undefined;
      this.need = undefined;
      throw err;
    }
  }

  private pack(body: Uint8Array): Uint8Array {
    const id = this.opts.msgId
      ? this.opts.msgId()
      : msgIdFromTime(this.now() + this.timeOffset * 1000, this.lastMsgId, 0);
    this.lastMsgId = id;
    return encodeUnencrypted(id, body);
  }

  private checkNonces(nonce: Uint8Array, serverNonce: Uint8Array | undefined): void {
    if (!timingSafeEqualBytes(nonce, this.nonce)) throw new HandshakeError('NONCE_MISMATCH', 'nonce differs from ours');
    if (serverNonce !== undefined && !timingSafeEqualBytes(serverNonce, this.serverNonce)) {
      throw new HandshakeError('SERVER_NONCE_MISMATCH', 'server_nonce differs from resPQ');
    }
  }

  private onResPQ(body: Uint8Array): Uint8Array {
    const res = readResPQ(body);
    this.checkNonces(res.nonce, undefined);
    this.serverNonce = res.serverNonce;

    const key = this.opts.publicKeys.find((k) => res.serverPublicKeyFingerprints.includes(k.fingerprint));
    if (key === undefined) {
      const fps = res.serverPublicKeyFingerprints.map((f) => BigInt.asUintN(64, f).toString(16)).join(', ');
      throw new HandshakeError('NO_KNOWN_KEY', `none of the server's keys [${fps}] is known`);
    }

    if (res.pq.length === 0 || res.pq.length > 8) {
      throw new HandshakeError('BAD_PQ', `pq must be 1..8 bytes, got ${res.pq.length}`);
    }
    const pq = bigIntFromBytes(res.pq);
    // A prime pq has no split to find; refuse it before the factorizer tries.
    if (pq < 4n || isPrime64(pq)) throw new HandshakeError('BAD_PQ', `pq ${pq} is not a product of two primes`);
    let p: bigint;
    let q: bigint;
    try {
      [p, q] = factorizePQ(pq);
    } catch (err) {
      throw new HandshakeError('BAD_PQ', `cannot factorize pq ${pq}: ${(err as Error).message}`);
    }
    if (p > q) [p, q] = [q, p];
    if (p * q !== pq || !isPrime64(p) || !isPrime64(q)) {
      throw new HandshakeError('BAD_PQ', `pq ${pq} is not a product of two primes`);
    }

    this.newNonce = this.take(32);
    const pBytes = bigIntToBytes(p);
    const qBytes = bigIntToBytes(q);
    const inner = writePQInnerData({
      _: this.opts.temp ? 'p_q_inner_data_temp_dc' : 'p_q_inner_data_dc',
      pq: res.pq,
      p: pBytes,
      q: qBytes,
      nonce: this.nonce,
      serverNonce: this.serverNonce,
      newNonce: this.newNonce,
      dc: this.opts.dcId,
      expiresIn: this.opts.temp?.expiresIn,
    });
    const encryptedData = rsaPadEncrypt(inner, key, (n) => this.take(n));
    this.step = 'serverDH';
    return this.pack(
      writeReqDHParams({
        nonce: this.nonce,
        serverNonce: this.serverNonce,
        p: pBytes,
        q: qBytes,
        publicKeyFingerprint: key.fingerprint,
        encryptedData,
      }),
    );
  }

  private onServerDHParams(body: Uint8Array): Uint8Array {
    const m = readServerDHParams(body);
    this.checkNonces(m.nonce, m.serverNonce);
    if (m._ === 'server_DH_params_fail') {
      const expected = sha1(this.newNonce).subarray(4, 20);
      const genuine = timingSafeEqualBytes(expected, m.newNonceHash);
      throw new HandshakeError('DH_PARAMS_FAIL', `server refused req_DH_params${genuine ? '' : ' (and its new_nonce_hash is wrong)'}`);
    }
    this.tmp = tmpAesKeyIv(this.newNonce, this.serverNonce);
    const dh = decryptWithHash(m.encryptedAnswer, this.tmp.key, this.tmp.iv, readServerDHInnerData);
    this.checkNonces(dh.nonce, dh.serverNonce);
    checkDhParams(dh.dhPrime, dh.g);
    checkDhValue(dh.gA, dh.dhPrime, 'G_A_RANGE');
    this.dh = dh;
    this.timeOffset = dh.serverTime - Math.floor(this.now() / 1000);
    this.step = 'dhGen';
    return this.setClientDHParams(0n);
  }

  /**
   * The 2048-bit exponentiation the next receive() would otherwise do, for
   * the edge to compute while the server works (or off the main thread):
   * after start(), g^b for Telegram's usual parameters (the known prime,
   * g = 3), used if the server sends those; after set_client_DH_params, the
   * key g_a^b. Undefined when there is none to do. Hand the result to
   * powered(); not doing so changes nothing but speed.
   */
  nextPower(): DhPower | undefined {
    if (this.need !== undefined) return this.need;
    const spec = this.speculative;
    if ((this.step === 'resPQ' || this.step === 'serverDH') && spec !== undefined && spec.gB === undefined) {
      this.need = { base: DH_G_3, exponent: spec.b, modulus: KNOWN_DH_PRIME };
    } else if (this.step === 'dhGen' && this.pendingB !== undefined && this.authKey === undefined) {
      this.need = { base: this.dh!.gA, exponent: this.pendingB, modulus: this.dh!.dhPrime };
    }
    return this.need;
  }

  /** The result of the exponentiation `need` (from nextPower()); ignored when the handshake moved past it. */
  powered(need: DhPower, result: Uint8Array): void {
    if (need !== this.need) return;
    this.need = undefined;
    if (need.base === DH_G_3) {
      if (this.speculative?.b === need.exponent) this.speculative.gB = result;
    } else if (this.pendingB === need.exponent) {
      this.authKey = result;
      this.pendingB.fill(0);
      this.pendingB = undefined;
    }
  }

  /**
   * nextPower() done here and now (node:crypto): call it right after sending
   * a packet. With the same randomness, calling it or not gives the same
   * packets and key.
   */
  precompute(): void {
    const need = this.nextPower();
    if (need === undefined) return;
    this.powered(need, need.base === DH_G_3 ? dhPower(KNOWN_DH_PRIME, 3, need.exponent) : dhShared(need.modulus, need.exponent, need.base));
  }

  /** Draws b (or takes the precomputed one), computes g_b, and sends client_DH_inner_data. */
  private setClientDHParams(retryId: bigint): Uint8Array {
    const dh = this.dh!;
    let b: Uint8Array;
    let gB: Uint8Array;
    const spec = this.speculative;
    this.speculative = undefined;
    this.need = undefined;
    if (spec?.gB !== undefined && dh.g === 3 && timingSafeEqualBytes(dh.dhPrime, KNOWN_DH_PRIME)) {
      b = spec.b;
      gB = spec.gB;
    } else {
      // b is just random bytes, good for any prime: keeping it keeps the draws in the same order.
      b = spec?.b ?? this.take(256);
      gB = dhPower(dh.dhPrime, dh.g, b);
    }
    ({ x: b, gX: gB } = dhExponentInRange(dh.dhPrime, dh.g, b, gB, this.take));
    checkDhValue(gB, dh.dhPrime, 'G_B_RANGE');
    this.pendingB = b; // the key g_a^b is computed by precompute() or when the answer comes
    this.authKey = undefined;
    const inner = writeClientDHInnerData({ nonce: this.nonce, serverNonce: this.serverNonce, retryId, gB });
    const encryptedData = encryptWithHash(inner, this.tmp!.key, this.tmp!.iv, (n) => this.take(n));
    return this.pack(writeSetClientDHParams({ nonce: this.nonce, serverNonce: this.serverNonce, encryptedData }));
  }

  private onDhGen(body: Uint8Array): { send?: Uint8Array; done?: AuthKeyResult } {
    const m = readSetClientDHParamsAnswer(body);
    this.checkNonces(m.nonce, m.serverNonce);
    this.precompute();
    const authKey = this.authKey!;
    this.need = undefined;
    const n = m._ === 'dh_gen_ok' ? 1 : m._ === 'dh_gen_retry' ? 2 : 3;
    if (!timingSafeEqualBytes(newNonceHash(this.newNonce, n, authKey), m.newNonceHash)) {
      throw new HandshakeError('NEW_NONCE_HASH', `new_nonce_hash${n} of ${m._} does not match our key`);
    }
    if (m._ === 'dh_gen_fail') throw new HandshakeError('DH_GEN_FAIL', 'server answered dh_gen_fail');
    if (m._ === 'dh_gen_retry') {
      if (++this.retries > this.maxRetries) {
        throw new HandshakeError('RETRY_LIMIT', `server asked to retry more than ${this.maxRetries} times`);
      }
      const retryId = Buffer.from(authKeyAuxHash(authKey)).readBigInt64LE(0);
      authKey.fill(0);
      this.authKey = undefined;
      return { send: this.setClientDHParams(retryId) };
    }
    this.step = 'done';
    this.authKey = undefined;
    const result: AuthKeyResult = {
      authKey,
      authKeyId: authKeyIdOf(authKey),
      serverSalt: initialServerSalt(this.newNonce, this.serverNonce),
      timeOffset: this.timeOffset,
    };
    if (this.opts.temp) result.expiresAt = this.dh!.serverTime + this.opts.temp.expiresIn;
    return { done: result };
  }
}

