// The server side of the auth-key handshake (what a DC does), sans-IO. It
// trusts nothing the client sends, and can misbehave on purpose so the
// client's own checks can be tested against it.
import { KNOWN_DH_PRIME, checkDhParams, checkDhValue, dhPower, dhShared } from '../dh.js';
import { rsaDecryptInnerData, timingSafeEqualBytes, type RsaKeyPair } from '../rsa.js';
import { decodeUnencrypted, encodeUnencrypted, msgIdFromTime } from '../unencrypted.js';
import { bigIntToBytes } from './bigint.js';
import { HandshakeError } from './errors.js';
import { dhExponentInRange, randomTaker } from './draw.js';
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
  readClientDHInnerData,
  readPQInnerData,
  readReqDHParams,
  readReqPq,
  readSetClientDHParams,
  writeResPQ,
  writeServerDHInnerData,
  writeServerDHParams,
  writeSetClientDHParamsAnswer,
} from './messages.js';
import { makePQ } from './pq.js';
import type { AuthKeyResult, Clock, RandomSource } from './types.js';

/** Ways the emulator can lie, each of which a correct client must refuse. */
export type HandshakeMisbehaviour = 'bad_dh_prime' | 'g_a_range' | 'wrong_nonce' | 'wrong_answer_hash';

export interface ServerHandshakeOptions {
  /** This DC's id; p_q_inner_data_dc must name it (± for media, +10000 for test). */
  dcId: number;
  keys: RsaKeyPair[];
  random?: RandomSource;
  /** ms, default Date.now. */
  now?: Clock;
  /** Default: Telegram's 2048-bit prime. It is trusted as given (the server's own configuration). */
  dhPrime?: Uint8Array;
  /** Default 3. */
  g?: number;
  misbehave?: HandshakeMisbehaviour;
  /** True when an auth_key_id is already in use: the client is then told dh_gen_retry. */
  isKeyIdTaken?: (authKeyId: bigint) => boolean;
  /** dh_gen_retry answers before the server gives up with dh_gen_fail. Default 5. */
  maxRetries?: number;
  /**
   * Also accept encrypted_data in the pre-RSA_PAD form (SHA1 + data + padding,
   * raw RSA) that Telethon 1.25 and other older clients send. Default true.
   */
  allowLegacyRsa?: boolean;
  /**
   * A DH exponent `a` with gA = g^a mod dhPrime for this handshake's prime and
   * g, made ahead of time (a DC's pool of `makeDhExponent` results, refilled
   * off the critical path); asked for once, and each pair it gives must never
   * be given again. When absent or undefined, `a` is drawn from `random`, in
   * the order a recorded exchange replays. gA is range-checked either way.
   */
  readyDhExponent?: () => DhExponent | undefined;
}

/** A server's secret DH exponent and its public g^a, 256 bytes each. */
export interface DhExponent {
  a: Uint8Array;
  gA: Uint8Array;
}

/**
 * Draws a and computes g^a mod prime (default Telegram's prime and g = 3),
 * in the range the spec allows: what `readyDhExponent` hands out.
 */
export function makeDhExponent(prime: Uint8Array = KNOWN_DH_PRIME, g = 3, random?: RandomSource): DhExponent {
  const take = randomTaker(random);
  const a = take(256);
  const { x, gX } = dhExponentInRange(prime, g, a, dhPower(prime, g, a), take);
  return { a: x, gA: gX };
}

export interface ServerAuthKeyResult extends AuthKeyResult {
  temp: boolean;
  /** The dc value the client sent (0 for the legacy p_q_inner_data without one). */
  dcId: number;
}

type Step = 'reqPq' | 'reqDH' | 'setDH' | 'done' | 'failed';

export class ServerHandshake {
  private step: Step = 'reqPq';
  private readonly take: (n: number) => Uint8Array;
  private readonly now: Clock;
  private readonly dhPrime: Uint8Array;
  private readonly g: number;
  private lastMsgId = 0n;

  private nonce: Uint8Array = new Uint8Array(16);
  private serverNonce: Uint8Array = new Uint8Array(16);
  private newNonce: Uint8Array = new Uint8Array(32);
  private p: Uint8Array = new Uint8Array(0);
  private q: Uint8Array = new Uint8Array(0);
  private pq: Uint8Array = new Uint8Array(0);
  private tmp?: { key: Uint8Array; iv: Uint8Array };
  private a?: Uint8Array;
  private gA?: Uint8Array;
  private temp = false;
  private expiresIn = 0;
  private clientDc = 0;
  private serverTime = 0;
  private expectedRetryId = 0n;
  private retries = 0;

  constructor(private readonly opts: ServerHandshakeOptions) {
    if (opts.keys.length === 0) throw new TypeError('ServerHandshake needs at least one RSA key pair');
    this.take = randomTaker(opts.random);
    this.now = opts.now ?? Date.now;
    this.dhPrime = opts.dhPrime ?? KNOWN_DH_PRIME;
    this.g = opts.g ?? 3;
    // A DC must never offer what its clients are bound to refuse (verified once per prime, then cached).
    checkDhParams(this.dhPrime, this.g);
  }

  get finished(): boolean {
    return this.step === 'done' || this.step === 'failed';
  }

  /** Feeds one client packet; throws HandshakeError on anything a client does wrong. */
  receive(packet: Uint8Array): { send?: Uint8Array; done?: ServerAuthKeyResult } {
    if (this.finished) throw new HandshakeError('BAD_STATE', `handshake already ${this.step}`);
    try {
      const { msgId, body } = decodeUnencrypted(packet);
      if ((msgId & 3n) !== 0n) throw new HandshakeError('BAD_MESSAGE', 'client msg_id must be divisible by 4');
      switch (this.step) {
        case 'reqPq':
          return { send: this.onReqPq(body) };
        case 'reqDH':
          return { send: this.onReqDHParams(body) };
        default:
          return this.onSetClientDHParams(body);
      }
    } catch (err) {
      this.step = 'failed';
      this.a?.fill(0);
      throw err;
    }
  }

  private pack(body: Uint8Array): Uint8Array {
    this.lastMsgId = msgIdFromTime(this.now(), this.lastMsgId, 1);
    return encodeUnencrypted(this.lastMsgId, body);
  }

  private checkNonces(nonce: Uint8Array, serverNonce: Uint8Array): void {
    if (!timingSafeEqualBytes(nonce, this.nonce)) throw new HandshakeError('NONCE_MISMATCH', 'nonce differs from req_pq_multi');
    if (!timingSafeEqualBytes(serverNonce, this.serverNonce)) {
      throw new HandshakeError('SERVER_NONCE_MISMATCH', 'server_nonce differs from resPQ');
    }
  }

  private onReqPq(body: Uint8Array): Uint8Array {
    this.nonce = readReqPq(body);
    this.serverNonce = this.take(16);
    const { p, q, pq } = makePQ((n) => this.take(n));
    this.p = bigIntToBytes(p);
    this.q = bigIntToBytes(q);
    this.pq = bigIntToBytes(pq);
    this.step = 'reqDH';
    let nonce = this.nonce;
    if (this.opts.misbehave === 'wrong_nonce') {
      nonce = nonce.slice();
      nonce[0]! ^= 0xff;
    }
    return this.pack(
      writeResPQ({
        nonce,
        serverNonce: this.serverNonce,
        pq: this.pq,
        serverPublicKeyFingerprints: this.opts.keys.map((k) => k.publicKey.fingerprint),
      }),
    );
  }

  /**
   * Draws a and computes g_a ahead of time: call it right after sending
   * resPQ, so the exponentiation overlaps with the client's factorization and
   * RSA. Calling it or not never changes the packets or the key.
   */
  precompute(): void {
    if (this.step !== 'reqDH' || this.gA !== undefined) return;
    const ready = this.opts.readyDhExponent?.();
    const a = ready?.a ?? this.take(256);
    const gA = ready?.gA ?? dhPower(this.dhPrime, this.g, a);
    ({ x: this.a, gX: this.gA } = dhExponentInRange(this.dhPrime, this.g, a, gA, this.take));
  }

  private onReqDHParams(body: Uint8Array): Uint8Array {
    const m = readReqDHParams(body);
    this.checkNonces(m.nonce, m.serverNonce);
    if (!timingSafeEqualBytes(m.p, this.p) || !timingSafeEqualBytes(m.q, this.q)) {
      throw new HandshakeError('BAD_PQ', 'p and q are not the factors of pq');
    }
    const pair = this.opts.keys.find((k) => k.publicKey.fingerprint === m.publicKeyFingerprint);
    if (pair === undefined) throw new HandshakeError('NO_KNOWN_KEY', 'public_key_fingerprint is not one of ours');

    const inner = rsaDecryptInnerData(m.encryptedData, pair, readPQInnerData, this.opts.allowLegacyRsa ?? true).value;
    if (!timingSafeEqualBytes(inner.pq, this.pq) || !timingSafeEqualBytes(inner.p, this.p) || !timingSafeEqualBytes(inner.q, this.q)) {
      throw new HandshakeError('BAD_PQ', 'p_q_inner_data does not carry our pq and its factors');
    }
    this.checkNonces(inner.nonce, inner.serverNonce);
    if (inner.dc !== undefined && Math.abs(inner.dc) % 10000 !== this.opts.dcId) {
      throw new HandshakeError('BAD_MESSAGE', `p_q_inner_data_dc names DC ${inner.dc}, this is DC ${this.opts.dcId}`);
    }
    if (inner._ === 'p_q_inner_data_temp_dc' && !((inner.expiresIn ?? 0) > 0)) {
      throw new HandshakeError('BAD_MESSAGE', `expires_in must be positive, got ${inner.expiresIn}`);
    }
    this.newNonce = inner.newNonce;
    this.temp = inner._ === 'p_q_inner_data_temp_dc';
    this.expiresIn = inner.expiresIn ?? 0;
    this.clientDc = inner.dc ?? 0;

    this.precompute();
    let gA = this.gA!;
    let dhPrime = this.dhPrime;
    if (this.opts.misbehave === 'g_a_range') gA = bigIntToBytes(1n << 1000n, 256); // > 1 but under the 2^(2048−64) margin
    if (this.opts.misbehave === 'bad_dh_prime') {
      dhPrime = dhPrime.slice();
      dhPrime[255]! ^= 0x02; // still 2048 bits and odd, no longer prime
    }
    this.serverTime = Math.floor(this.now() / 1000);
    const answer = writeServerDHInnerData({
      nonce: this.nonce,
      serverNonce: this.serverNonce,
      g: this.g,
      dhPrime,
      gA,
      serverTime: this.serverTime,
    });
    this.tmp = tmpAesKeyIv(this.newNonce, this.serverNonce);
    let encryptedAnswer: Uint8Array;
    if (this.opts.misbehave === 'wrong_answer_hash') {
      const forged = answer.slice(); // the hash is taken over different bytes than those sent
      forged[forged.length - 1]! ^= 1;
      encryptedAnswer = encryptWithHash(answer, this.tmp.key, this.tmp.iv, (n) => this.take(n), sha1(forged));
    } else {
      encryptedAnswer = encryptWithHash(answer, this.tmp.key, this.tmp.iv, (n) => this.take(n));
    }
    this.step = 'setDH';
    return this.pack(
      writeServerDHParams({ _: 'server_DH_params_ok', nonce: this.nonce, serverNonce: this.serverNonce, encryptedAnswer }),
    );
  }

  private onSetClientDHParams(body: Uint8Array): { send?: Uint8Array; done?: ServerAuthKeyResult } {
    const m = readSetClientDHParams(body);
    this.checkNonces(m.nonce, m.serverNonce);
    const inner = decryptWithHash(m.encryptedData, this.tmp!.key, this.tmp!.iv, readClientDHInnerData);
    this.checkNonces(inner.nonce, inner.serverNonce);
    if (inner.retryId !== this.expectedRetryId) {
      throw new HandshakeError('BAD_MESSAGE', `retry_id ${inner.retryId} should be ${this.expectedRetryId}`);
    }
    checkDhValue(inner.gB, this.dhPrime, 'G_B_RANGE');
    const authKey = dhShared(this.dhPrime, this.a!, inner.gB);
    const authKeyId = authKeyIdOf(authKey);
    const answer = { nonce: this.nonce, serverNonce: this.serverNonce };

    if (this.opts.isKeyIdTaken?.(authKeyId)) {
      if (++this.retries > (this.opts.maxRetries ?? 5)) {
        this.step = 'failed';
        this.a!.fill(0);
        return {
          send: this.pack(writeSetClientDHParamsAnswer({ _: 'dh_gen_fail', ...answer, newNonceHash: newNonceHash(this.newNonce, 3, authKey) })),
        };
      }
      // The client retries with retry_id = this key's auth_key_aux_hash.
      this.expectedRetryId = Buffer.from(authKeyAuxHash(authKey)).readBigInt64LE(0);
      return {
        send: this.pack(writeSetClientDHParamsAnswer({ _: 'dh_gen_retry', ...answer, newNonceHash: newNonceHash(this.newNonce, 2, authKey) })),
      };
    }

    this.step = 'done';
    this.a!.fill(0);
    const done: ServerAuthKeyResult = {
      authKey,
      authKeyId,
      serverSalt: initialServerSalt(this.newNonce, this.serverNonce),
      timeOffset: 0,
      temp: this.temp,
      dcId: this.clientDc,
    };
    if (this.temp) done.expiresAt = this.serverTime + this.expiresIn;
    return {
      send: this.pack(writeSetClientDHParamsAnswer({ _: 'dh_gen_ok', ...answer, newNonceHash: newNonceHash(this.newNonce, 1, authKey) })),
      done,
    };
  }
}

