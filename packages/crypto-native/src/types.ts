/** Which implementation a {@link Crypto} object runs on. */
export type BackendName = 'native' | 'js';

/** What `createCrypto` may be asked for; `auto` prefers `native`. */
export type BackendChoice = BackendName | 'auto';

/**
 * Direction of an MTProto 2.0 message: 0 for client to server, 8 for server
 * to client (the `x` of core.telegram.org/mtproto/description).
 */
export type MtprotoDirection = 0 | 8;

/**
 * The hot primitives, identical in both backends: same results, same
 * TypeError/RangeError for bad input.
 *
 * Every function here is free-standing (no `this`), so it may be detached:
 * `const { aesIgeEncryptInto } = createCrypto()`.
 */
export interface Crypto {
  readonly backend: BackendName;

  /** AES-256-IGE: key 32 bytes, iv 32 bytes, data a multiple of 16 bytes. Returns new bytes. */
  aesIgeEncrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array;
  aesIgeDecrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array;

  /**
   * The same into a caller's buffer (`out.length >= data.length`); `out` may
   * be `data` itself (in place) but must not partially overlap it.
   */
  aesIgeEncryptInto(data: Uint8Array, key: Uint8Array, iv: Uint8Array, out: Uint8Array): void;
  aesIgeDecryptInto(data: Uint8Array, key: Uint8Array, iv: Uint8Array, out: Uint8Array): void;

  /** The two prime factors of a handshake's pq (< 2^64), smaller first. */
  factorizePQ(pq: bigint): [bigint, bigint];

  /**
   * Encrypts one MTProto 2.0 message in one call: `out` receives msg_key
   * (16 bytes) followed by the ciphertext (`plaintext.length` bytes).
   * `plaintext` is the whole inner payload (salt, session_id, msg_id,
   * seq_no, length, body, padding), a multiple of 16 bytes. The ciphertext
   * part of `out` may coincide with `plaintext` (encryption in place).
   */
  mtprotoEncrypt(authKey: Uint8Array, x: MtprotoDirection, plaintext: Uint8Array, out: Uint8Array): void;

  /**
   * Two MTProto 2.0 messages in one call, with exactly the bytes of
   * `mtprotoEncrypt(authKey1, x1, plaintext1, out1)` followed by
   * `mtprotoEncrypt(authKey2, x2, plaintext2, out2)`, for any two lengths.
   * Each message's arguments are checked as `mtprotoEncrypt` checks them
   * (errors name them with a `1`/`2` suffix, e.g. `out2 must be at least 80
   * bytes long, got 64`), all before anything is written. What one message
   * writes (`out_i`'s first 16 + `plaintext_i.length` bytes) must not
   * overlap any buffer of the other (RangeError); reading shared bytes is
   * fine (one `authKey` for both is the usual case), and each `out_i` may
   * still encrypt its own `plaintext_i` in place.
   *
   * Why: SHA-256 and AES-IGE are each one serial dependency chain, so a
   * core runs two messages' chains side by side in about the time of one.
   * The native backend does that on x86-64 with AES-NI and SHA-NI (both
   * msg_key hashes interleaved, then both IGE chains interleaved, the
   * longer message's rest alone); elsewhere, and in the js backend, it is
   * the two calls in a row. Worth it for large messages that are ready at
   * the same time (file parts).
   */
  mtprotoEncryptPair(
    authKey1: Uint8Array,
    x1: MtprotoDirection,
    plaintext1: Uint8Array,
    out1: Uint8Array,
    authKey2: Uint8Array,
    x2: MtprotoDirection,
    plaintext2: Uint8Array,
    out2: Uint8Array,
  ): void;

  /**
   * Decrypts one MTProto 2.0 message into `out` (`out.length >=
   * ciphertext.length`, may be `ciphertext` itself), recomputes msg_key
   * from the plaintext and compares it in constant time. On a mismatch it
   * returns false and zeroes the first `ciphertext.length` bytes of `out`.
   */
  mtprotoDecrypt(
    authKey: Uint8Array,
    x: MtprotoDirection,
    msgKey: Uint8Array,
    ciphertext: Uint8Array,
    out: Uint8Array,
  ): boolean;

  /**
   * Two MTProto 2.0 messages decrypted in one call, with exactly the effect
   * of `mtprotoDecrypt(authKey1, x1, msgKey1, ciphertext1, out1)` and
   * `mtprotoDecrypt(authKey2, x2, msgKey2, ciphertext2, out2)`: each `out_i`
   * gets its plaintext, each msg_key is compared in constant time, and a
   * message whose msg_key does not match has its `out_i[0,
   * ciphertext_i.length)` zeroed. Returns a bit set: 1 when message 1's
   * msg_key matched, 2 when message 2's did (3: both good).
   *
   * Each message's arguments are checked as `mtprotoDecrypt` checks them
   * (errors name them with a `1`/`2` suffix, e.g. `out2 must be at least
   * 64 bytes long, got 48`), all before anything is written. Within one
   * message the buffers may share bytes as in `mtprotoDecrypt`: `out_i` may
   * be `ciphertext_i` itself, and `msgKey_i` may sit just before it in the
   * same packet. What one message writes (`out_i`'s first
   * `ciphertext_i.length` bytes) must not overlap any buffer of the other
   * (RangeError, e.g. `out1 must not overlap ciphertext2`).
   *
   * Why: AES-IGE decryption and the SHA-256 of the plaintext are serial
   * dependency chains, so a core runs two messages' chains side by side in
   * about the time of one. The native backend does that on x86-64 with
   * AES-NI and SHA-NI; elsewhere, and in the js backend, it is the two
   * calls in a row. Worth it for large messages received at the same time
   * (file parts on several connections).
   */
  mtprotoDecryptPair(
    authKey1: Uint8Array,
    x1: MtprotoDirection,
    msgKey1: Uint8Array,
    ciphertext1: Uint8Array,
    out1: Uint8Array,
    authKey2: Uint8Array,
    x2: MtprotoDirection,
    msgKey2: Uint8Array,
    ciphertext2: Uint8Array,
    out2: Uint8Array,
  ): number;

  /**
   * AES-256-CTR as node:crypto's `aes-256-ctr` (the IV is the first counter
   * block, a big-endian 128-bit integer): one direction of MTProto's
   * obfuscation. Same shape as `@telegram-mt/transport`'s `AesCtrFactory`,
   * so it can be passed as its `aesCtr` option.
   */
  createAesCtr: AesCtrFactory;

  /**
   * base^exponent mod modulus, off the JS thread where the backend can: the
   * handshake's Diffie–Hellman (g^b and g_a^b mod dh_prime). Big-endian
   * unsigned bytes in; the result is new bytes (a Buffer), big-endian,
   * left-padded to `modulus.length`. `modulus` odd and > 1; all three at
   * most 512 bytes; `base` may be ≥ `modulus`; an empty `exponent` is 0.
   * The inputs are copied before this returns, so they may be reused at
   * once.
   *
   * Bad arguments throw synchronously (TypeError/RangeError, like every
   * other function here) instead of rejecting, so a call started early and
   * awaited late cannot become an unhandled rejection. The promise rejects
   * only if the computation itself fails (out of memory).
   *
   * native: OpenSSL's BN_mod_exp_mont_consttime (the exponent is secret) on
   * libuv's thread pool. js: BigInt 4-bit fixed windows on the JS thread in
   * slices of 256 exponent bits, one per event-loop turn; not constant-time.
   */
  modPowAsync(base: Uint8Array, exponent: Uint8Array, modulus: Uint8Array): Promise<Uint8Array>;

  /**
   * For a large buffer about to be written from end to end (a download's
   * result): has the OS back all its pages with memory now, in one call,
   * instead of taking a page fault per 4 KiB page as each is first written
   * (for 100 MB that saves about a quarter of the AES-IGE time of the same
   * bytes). No byte changes. Returns how many bytes are now backed; 0 where
   * this does nothing (the JS backend, an OS other than Linux 5.14+).
   */
  prefault(buffer: Uint8Array): number;
}

/**
 * One AES-256-CTR stream: each `update` continues the keystream where the
 * last one stopped, mid-block too. Without `out` it returns new bytes; with
 * `out` (`out.length >= data.length`, may be `data` itself for in-place,
 * must not partially overlap it) it writes there and returns the first
 * `data.length` bytes of `out`.
 */
export interface AesCtrStream {
  update(data: Uint8Array, out?: Uint8Array): Uint8Array;
}

/** `key` 32 bytes, `iv` 16 bytes. */
export type AesCtrFactory = (key: Uint8Array, iv: Uint8Array) => AesCtrStream;
