// The x86 building blocks the SHA-NI kernels share (sha256_x86.cc and
// ige_sha256_pair_x86.cc): SHA-256 state in SHA256RNDS2's lane layout, its
// rounds, and the AES-NI IGE decryption chain they run alongside. Internal:
// included only by x86 kernel files, everything inline.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "aes.h"

#if defined(__GNUC__) || defined(__clang__)
#define TGMT_TARGET_SHA __attribute__((target("sha,sse4.1,ssse3")))
#define TGMT_TARGET_AES_SHA __attribute__((target("aes,sha,sse4.1,ssse3")))
#else
#define TGMT_TARGET_SHA
#define TGMT_TARGET_AES_SHA
#endif

namespace tgmt {

extern const uint32_t kSha256K[64];

namespace {

TGMT_TARGET_SHA inline __m128i load(const void* p) {
  return _mm_loadu_si128(static_cast<const __m128i*>(p));
}

TGMT_TARGET_SHA inline void store(void* p, __m128i v) {
  _mm_storeu_si128(static_cast<__m128i*>(p), v);
}

// Big-endian message words: byte-swap each 32-bit lane.
TGMT_TARGET_SHA inline __m128i bswap32(__m128i v) {
  return _mm_shuffle_epi8(
      v, _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL));
}

struct Sha256Lanes {
  __m128i abef, cdgh;
};

TGMT_TARGET_SHA inline Sha256Lanes toLanes(const uint32_t state[8]) {
  const __m128i cdab = _mm_shuffle_epi32(load(state), 0xB1);
  const __m128i efgh = _mm_shuffle_epi32(load(state + 4), 0x1B);
  return {_mm_alignr_epi8(cdab, efgh, 8), _mm_blend_epi16(efgh, cdab, 0xF0)};
}

TGMT_TARGET_SHA inline void fromLanes(Sha256Lanes s, uint32_t state[8]) {
  const __m128i feba = _mm_shuffle_epi32(s.abef, 0x1B);
  const __m128i dchg = _mm_shuffle_epi32(s.cdgh, 0xB1);
  store(state, _mm_blend_epi16(feba, dchg, 0xF0));
  store(state + 4, _mm_alignr_epi8(dchg, feba, 8));
}

// Rounds 4G..4G+3. m[G & 3] holds W[4G..4G+3] for G < 4 (the byte-swapped
// message); from G = 4 on it is computed from W[4G-16..4G-1] in m: msg1
// adds the sigma0 terms, alignr supplies W[4G-7..4G-4], msg2 adds sigma1.
template <int G>
TGMT_TARGET_SHA inline void quadRound(Sha256Lanes& s, __m128i m[4]) {
  __m128i& cur = m[G & 3];
  if (G >= 4) {
    const __m128i prev1 = m[(G + 3) & 3], prev2 = m[(G + 2) & 3];
    cur = _mm_sha256msg1_epu32(cur, m[(G + 1) & 3]);
    cur = _mm_add_epi32(cur, _mm_alignr_epi8(prev1, prev2, 4));
    cur = _mm_sha256msg2_epu32(cur, prev1);
  }
  const __m128i wk = _mm_add_epi32(cur, load(kSha256K + 4 * G));
  s.cdgh = _mm_sha256rnds2_epu32(s.cdgh, s.abef, wk);
  s.abef = _mm_sha256rnds2_epu32(s.abef, s.cdgh, _mm_shuffle_epi32(wk, 0x0E));
}

// The IGE decryption chain, with the XORs around each block folded into
// the last round key as in aes_x86.cc: st enters block i as
// c_i ^ p_{i-1} ^ k0, and AESDECLAST with k14 ^ c_{i-1} ^ c_{i+1} ^ k0
// leaves it as the next block's input, p_i ^ c_{i+1} ^ k0.
struct IgeChain {
  __m128i k[15];
  __m128i cPrev, cCur, st;
};

// The last round of block i, c_{i+1} known: moves the chain on, returns p_i.
TGMT_TARGET_AES_SHA inline __m128i lastRound(IgeChain& c, __m128i st,
                                             __m128i cNext) {
  const __m128i carry = _mm_xor_si128(cNext, c.k[0]);
  st = _mm_aesdeclast_si128(
      st, _mm_xor_si128(_mm_xor_si128(c.k[14], c.cPrev), carry));
  c.st = st;
  c.cPrev = c.cCur;
  c.cCur = cNext;
  return _mm_xor_si128(st, carry);
}

// Block i when a block i+1 follows, with SHA rounds 4G..4G+3 of the
// previous 64 bytes between its AES rounds. Returns p_i.
template <int G>
TGMT_TARGET_AES_SHA inline __m128i decryptHashing(IgeChain& c,
                                                  const uint8_t* next,
                                                  Sha256Lanes& s,
                                                  __m128i m[4]) {
  __m128i st = c.st;
  st = _mm_aesdec_si128(st, c.k[1]);
  st = _mm_aesdec_si128(st, c.k[2]);
  st = _mm_aesdec_si128(st, c.k[3]);
  quadRound<G>(s, m);
  st = _mm_aesdec_si128(st, c.k[4]);
  st = _mm_aesdec_si128(st, c.k[5]);
  st = _mm_aesdec_si128(st, c.k[6]);
  quadRound<G + 1>(s, m);
  st = _mm_aesdec_si128(st, c.k[7]);
  st = _mm_aesdec_si128(st, c.k[8]);
  st = _mm_aesdec_si128(st, c.k[9]);
  quadRound<G + 2>(s, m);
  st = _mm_aesdec_si128(st, c.k[10]);
  st = _mm_aesdec_si128(st, c.k[11]);
  st = _mm_aesdec_si128(st, c.k[12]);
  quadRound<G + 3>(s, m);
  st = _mm_aesdec_si128(st, c.k[13]);
  // Read c_{i+1} before the caller writes p_i: in may equal out.
  return lastRound(c, st, load(next));
}

// Block i of `blocks`, without hashing (prologue and tail).
TGMT_TARGET_AES_SHA inline __m128i decryptPlain(IgeChain& c,
                                                const uint8_t* in, size_t i,
                                                size_t blocks) {
  __m128i st = c.st;
  for (int r = 1; r < 14; r++) st = _mm_aesdec_si128(st, c.k[r]);
  if (i + 1 == blocks) {
    return _mm_aesdeclast_si128(st, _mm_xor_si128(c.k[14], c.cPrev));
  }
  return lastRound(c, st, load(in + (i + 1) * kAesBlock));
}

// One message's IGE decryption with the SHA-256 of its plaintext: its
// chain, its hash and where both stand (igeDecryptSha256AesShaNi is
// beginStream then finishStream; the pair kernel runs two between them).
struct DecryptHashStream {
  IgeChain c;
  Sha256Lanes s;
  __m128i w[4];  // the next 64 bytes of the hashed stream, not yet hashed
  const uint8_t* in;
  uint8_t* out;
  const uint8_t* prefix;
  size_t n, blocks;
  size_t i;       // the next block to decrypt
  size_t hashed;  // 64-byte blocks of the stream compressed so far
};

// The prologue: keys, iv, the first two blocks (lining the hashed stream
// prefix ‖ plaintext up with 64-byte blocks).
TGMT_TARGET_AES_SHA inline void beginStream(DecryptHashStream& d,
                                            const uint8_t key[32],
                                            const uint8_t iv[32],
                                            const uint8_t prefix[32],
                                            const uint8_t* in, uint8_t* out,
                                            size_t n) {
  d.in = in;
  d.out = out;
  d.prefix = prefix;
  d.n = n;
  d.blocks = n / kAesBlock;
  {
    Aes256RoundKeys rk;
    aes256DecryptKeysAesNi(key, rk);
    for (int r = 0; r < 15; r++) d.c.k[r] = load(rk.bytes + r * kAesBlock);
  }
  d.c.cPrev = load(iv);
  d.c.cCur = d.c.st = _mm_setzero_si128();  // stay unused when n is 0
  if (d.blocks > 0) {
    d.c.cCur = load(in);
    d.c.st = _mm_xor_si128(_mm_xor_si128(d.c.cCur, load(iv + 16)), d.c.k[0]);
  }
  d.s = toLanes(kSha256Init);
  d.w[0] = load(prefix);
  d.w[1] = load(prefix + 16);
  d.w[2] = d.w[3] = _mm_setzero_si128();
  for (d.i = 0; d.i < 2 && d.i < d.blocks; d.i++) {
    d.w[2 + d.i] = decryptPlain(d.c, in, d.i, d.blocks);
    store(out + d.i * kAesBlock, d.w[2 + d.i]);
  }
  d.hashed = 0;
}

// The rest of one message alone, from wherever it stands: four blocks per
// turn with the previous 64 bytes hashed between their AES rounds, the
// tail, and the hash's finish.
TGMT_TARGET_AES_SHA inline void finishStream(DecryptHashStream& d,
                                             uint8_t digest[32]) {
  IgeChain c = d.c;
  Sha256Lanes s = d.s;
  __m128i w[4] = {d.w[0], d.w[1], d.w[2], d.w[3]};
  size_t i = d.i, hashed = d.hashed;
  const uint8_t* const in = d.in;
  uint8_t* const out = d.out;
  for (; i + 4 < d.blocks; i += 4, hashed++) {
    __m128i m[4] = {bswap32(w[0]), bswap32(w[1]), bswap32(w[2]),
                    bswap32(w[3])};
    const Sha256Lanes saved = s;
    const uint8_t* src = in + i * kAesBlock;
    uint8_t* dst = out + i * kAesBlock;
    w[0] = decryptHashing<0>(c, src + 16, s, m);
    store(dst, w[0]);
    w[1] = decryptHashing<4>(c, src + 32, s, m);
    store(dst + 16, w[1]);
    w[2] = decryptHashing<8>(c, src + 48, s, m);
    store(dst + 32, w[2]);
    w[3] = decryptHashing<12>(c, src + 64, s, m);
    store(dst + 48, w[3]);
    s.abef = _mm_add_epi32(s.abef, saved.abef);
    s.cdgh = _mm_add_epi32(s.cdgh, saved.cdgh);
  }
  for (; i < d.blocks; i++) {
    store(out + i * kAesBlock, decryptPlain(c, in, i, d.blocks));
  }
  uint32_t state[8];
  fromLanes(s, state);
  if (hashed == 0) {
    sha256Finish(state, 0, d.prefix, 32, out, d.n, digest);
  } else {
    const size_t from = hashed * 64 - 32;  // plaintext offset of the rest
    sha256Finish(state, hashed * 64, out + from, d.n - from, out + d.n, 0,
                 digest);
  }
}

}  // namespace
}  // namespace tgmt
