// SHA-256 compression with the x86 SHA extensions, and the MTProto decrypt
// kernel that runs it alongside AES-NI IGE. The eight state words live in
// two registers as (A,B,E,F) and (C,D,G,H), the layout SHA256RNDS2 works
// on; each SHA256RNDS2 does two rounds.
#include "sha256.h"

#if defined(__x86_64__) || defined(_M_X64)

#include <immintrin.h>

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

TGMT_TARGET_SHA inline void compressBlock(Sha256Lanes& s, __m128i m[4]) {
  const Sha256Lanes saved = s;
  quadRound<0>(s, m);
  quadRound<1>(s, m);
  quadRound<2>(s, m);
  quadRound<3>(s, m);
  quadRound<4>(s, m);
  quadRound<5>(s, m);
  quadRound<6>(s, m);
  quadRound<7>(s, m);
  quadRound<8>(s, m);
  quadRound<9>(s, m);
  quadRound<10>(s, m);
  quadRound<11>(s, m);
  quadRound<12>(s, m);
  quadRound<13>(s, m);
  quadRound<14>(s, m);
  quadRound<15>(s, m);
  s.abef = _mm_add_epi32(s.abef, saved.abef);
  s.cdgh = _mm_add_epi32(s.cdgh, saved.cdgh);
}

}  // namespace

TGMT_TARGET_SHA void sha256CompressShaNi(uint32_t state[8], const uint8_t* p,
                                         size_t nblocks) {
  Sha256Lanes s = toLanes(state);
  for (; nblocks > 0; nblocks--, p += 64) {
    __m128i m[4] = {bswap32(load(p)), bswap32(load(p + 16)),
                    bswap32(load(p + 32)), bswap32(load(p + 48))};
    compressBlock(s, m);
  }
  fromLanes(s, state);
}

namespace {

// One block of each of two independent streams, their rounds interleaved:
// each SHA256RNDS2 waits on the one before, so two chains run in about the
// time of one.
TGMT_TARGET_SHA inline void compressPairBlock(Sha256Lanes& s0, __m128i m0[4],
                                              Sha256Lanes& s1,
                                              __m128i m1[4]) {
  const Sha256Lanes saved0 = s0, saved1 = s1;
  quadRound<0>(s0, m0);
  quadRound<0>(s1, m1);
  quadRound<1>(s0, m0);
  quadRound<1>(s1, m1);
  quadRound<2>(s0, m0);
  quadRound<2>(s1, m1);
  quadRound<3>(s0, m0);
  quadRound<3>(s1, m1);
  quadRound<4>(s0, m0);
  quadRound<4>(s1, m1);
  quadRound<5>(s0, m0);
  quadRound<5>(s1, m1);
  quadRound<6>(s0, m0);
  quadRound<6>(s1, m1);
  quadRound<7>(s0, m0);
  quadRound<7>(s1, m1);
  quadRound<8>(s0, m0);
  quadRound<8>(s1, m1);
  quadRound<9>(s0, m0);
  quadRound<9>(s1, m1);
  quadRound<10>(s0, m0);
  quadRound<10>(s1, m1);
  quadRound<11>(s0, m0);
  quadRound<11>(s1, m1);
  quadRound<12>(s0, m0);
  quadRound<12>(s1, m1);
  quadRound<13>(s0, m0);
  quadRound<13>(s1, m1);
  quadRound<14>(s0, m0);
  quadRound<14>(s1, m1);
  quadRound<15>(s0, m0);
  quadRound<15>(s1, m1);
  s0.abef = _mm_add_epi32(s0.abef, saved0.abef);
  s0.cdgh = _mm_add_epi32(s0.cdgh, saved0.cdgh);
  s1.abef = _mm_add_epi32(s1.abef, saved1.abef);
  s1.cdgh = _mm_add_epi32(s1.cdgh, saved1.cdgh);
}

TGMT_TARGET_SHA inline void loadBlock(const uint8_t* p, __m128i m[4]) {
  for (int g = 0; g < 4; g++) m[g] = bswap32(load(p + 16 * g));
}

}  // namespace

TGMT_TARGET_SHA void sha256CompressPairShaNi(uint32_t state0[8],
                                             const uint8_t* p0,
                                             uint32_t state1[8],
                                             const uint8_t* p1,
                                             size_t nblocks) {
  Sha256Lanes s0 = toLanes(state0), s1 = toLanes(state1);
  for (; nblocks > 0; nblocks--, p0 += 64, p1 += 64) {
    __m128i m0[4], m1[4];
    loadBlock(p0, m0);
    loadBlock(p1, m1);
    compressPairBlock(s0, m0, s1, m1);
  }
  fromLanes(s0, state0);
  fromLanes(s1, state1);
}

TGMT_TARGET_SHA void sha256PairShaNi(const uint8_t blocks[128],
                                     uint8_t d0[32], uint8_t d1[32]) {
  Sha256Lanes s0 = toLanes(kSha256Init), s1 = s0;
  __m128i m0[4], m1[4];
  loadBlock(blocks, m0);
  loadBlock(blocks + 64, m1);
  compressPairBlock(s0, m0, s1, m1);
  uint8_t* const digests[2] = {d0, d1};
  const Sha256Lanes out[2] = {s0, s1};
  for (int j = 0; j < 2; j++) {
    alignas(16) uint32_t state[8];
    fromLanes(out[j], state);
    store(digests[j], bswap32(load(state)));
    store(digests[j] + 16, bswap32(load(state + 4)));
  }
}

// ---- IGE decryption fused with SHA-256 of the plaintext ----
//
// Both halves are dependency chains: 14 AES rounds per 16-byte block
// (~46 cycles here) and 32 SHA256RNDS2 per 64-byte block. Run one after
// the other they add up; here the SHA-256 of the 64 plaintext bytes
// decrypted by the previous iteration is spread between the AES rounds of
// the next four blocks, so the out-of-order core always has the other
// chain's work at hand while one waits on a latency.
//
// The hashed stream is prefix (32 bytes) ‖ plaintext, so each 64-byte SHA
// block is the last two plaintext blocks of one iteration and the first
// two of the next; the prologue decrypts two blocks to line them up.
namespace {

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

}  // namespace

TGMT_TARGET_AES_SHA void igeDecryptSha256AesShaNi(
    const uint8_t key[32], const uint8_t iv[32], const uint8_t prefix[32],
    const uint8_t* in, uint8_t* out, size_t n, uint8_t digest[32]) {
  const size_t blocks = n / kAesBlock;
  IgeChain c;
  {
    Aes256RoundKeys rk;
    aes256DecryptKeysAesNi(key, rk);
    for (int r = 0; r < 15; r++) c.k[r] = load(rk.bytes + r * kAesBlock);
  }
  c.cPrev = load(iv);
  c.cCur = c.st = _mm_setzero_si128();  // stay unused when n is 0
  if (blocks > 0) {
    c.cCur = load(in);
    c.st = _mm_xor_si128(_mm_xor_si128(c.cCur, load(iv + 16)), c.k[0]);
  }
  Sha256Lanes s = toLanes(kSha256Init);

  // w: the next 64 bytes of the hashed stream, decrypted but not hashed.
  __m128i w[4] = {load(prefix), load(prefix + 16), _mm_setzero_si128(),
                  _mm_setzero_si128()};
  size_t i = 0;  // the next block to decrypt
  for (; i < 2 && i < blocks; i++) {
    w[2 + i] = decryptPlain(c, in, i, blocks);
    store(out + i * kAesBlock, w[2 + i]);
  }
  size_t hashed = 0;  // 64-byte blocks of the stream compressed so far
  // Blocks i..i+3 each need a successor here; the last one is the tail's.
  for (; i + 4 < blocks; i += 4, hashed++) {
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
  for (; i < blocks; i++) {
    store(out + i * kAesBlock, decryptPlain(c, in, i, blocks));
  }

  // The rest of the stream (under 128 bytes plus padding) from memory.
  uint32_t state[8];
  fromLanes(s, state);
  if (hashed == 0) {
    sha256Finish(state, 0, prefix, 32, out, n, digest);
  } else {
    const size_t from = hashed * 64 - 32;  // plaintext offset of the rest
    sha256Finish(state, hashed * 64, out + from, n - from, out + n, 0, digest);
  }
}

// ---- Two messages: both IGE decryptions and both hashes interleaved ----
//
// One message's fused loop above leaves the core's AES and SHA units idle
// for most of each AESDEC's latency; a second message's chains, with no
// dependency on the first, fill those cycles. Two chains' 30 round keys
// and state do not fit in 16 registers, so the compiler keeps round keys
// in memory operands (an AESDEC reads one from L1 at no extra latency on
// the chain).
namespace {

// One message of the pair: its chain, its hash and where both stand, laid
// out as igeDecryptSha256AesShaNi's locals.
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

// igeDecryptSha256AesShaNi's prologue: keys, iv, the first two blocks.
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

// The rest of one message alone: igeDecryptSha256AesShaNi's main loop,
// tail and finish, from wherever the pair loop stopped.
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

// Round r of both chains' current blocks.
TGMT_TARGET_AES_SHA inline void aesdecPair(__m128i& x, const IgeChain& a,
                                           __m128i& y, const IgeChain& b,
                                           int r) {
  x = _mm_aesdec_si128(x, a.k[r]);
  y = _mm_aesdec_si128(y, b.k[r]);
}

// lastRound split in two for the pair loop. With two chains, two hashes
// and their message words live, computing the last round's key at the end
// of the block ran out of registers, and GCC (with Node's
// -fno-omit-frame-pointer) spilled the AES state there: a store and reload
// on the chain, 1.86x two calls instead of 2.0x. So the key (and the carry
// that turns the state into p_i) are made before the block's rounds, off
// the chain, and the end needs only the state and the key. c_{i+1} is read
// from next before anything of block i is written (in may equal out).
struct LastRound {
  __m128i key, carry;
};

TGMT_TARGET_AES_SHA inline LastRound prepareLast(IgeChain& c,
                                                 const uint8_t* next) {
  const __m128i cNext = load(next);
  const __m128i carry = _mm_xor_si128(cNext, c.k[0]);
  const LastRound l{_mm_xor_si128(_mm_xor_si128(c.k[14], c.cPrev), carry),
                    carry};
  c.cPrev = c.cCur;
  c.cCur = cNext;
  return l;
}

// The last round of the block prepareLast was made for: returns p_i.
TGMT_TARGET_AES_SHA inline __m128i finishLast(IgeChain& c, __m128i st,
                                              const LastRound& l) {
  st = _mm_aesdeclast_si128(st, l.key);
  c.st = st;
  return _mm_xor_si128(st, l.carry);
}

// decryptHashing for both messages at once: block i of each with SHA rounds
// 4G..4G+3 of each one's previous 64 bytes between the AES rounds.
template <int G>
TGMT_TARGET_AES_SHA inline void decryptHashingPair(
    IgeChain& a, const uint8_t* nextA, Sha256Lanes& sa, __m128i ma[4],
    __m128i& pa, IgeChain& b, const uint8_t* nextB, Sha256Lanes& sb,
    __m128i mb[4], __m128i& pb) {
  __m128i x = a.st, y = b.st;
  const LastRound la = prepareLast(a, nextA), lb = prepareLast(b, nextB);
  aesdecPair(x, a, y, b, 1);
  aesdecPair(x, a, y, b, 2);
  aesdecPair(x, a, y, b, 3);
  quadRound<G>(sa, ma);
  quadRound<G>(sb, mb);
  aesdecPair(x, a, y, b, 4);
  aesdecPair(x, a, y, b, 5);
  aesdecPair(x, a, y, b, 6);
  quadRound<G + 1>(sa, ma);
  quadRound<G + 1>(sb, mb);
  aesdecPair(x, a, y, b, 7);
  aesdecPair(x, a, y, b, 8);
  aesdecPair(x, a, y, b, 9);
  quadRound<G + 2>(sa, ma);
  quadRound<G + 2>(sb, mb);
  aesdecPair(x, a, y, b, 10);
  aesdecPair(x, a, y, b, 11);
  aesdecPair(x, a, y, b, 12);
  quadRound<G + 3>(sa, ma);
  quadRound<G + 3>(sb, mb);
  aesdecPair(x, a, y, b, 13);
  pa = finishLast(a, x, la);
  pb = finishLast(b, y, lb);
}

}  // namespace

TGMT_TARGET_AES_SHA void igeDecryptSha256PairAesShaNi(
    const uint8_t* const key[2], const uint8_t* const iv[2],
    const uint8_t* const prefix[2], const uint8_t* const in[2],
    uint8_t* const out[2], const size_t n[2], uint8_t digest[2][32]) {
  DecryptHashStream a, b;
  beginStream(a, key[0], iv[0], prefix[0], in[0], out[0], n[0]);
  beginStream(b, key[1], iv[1], prefix[1], in[1], out[1], n[1]);
  // Both start at block 2 (or stop early); four blocks of each per turn.
  for (; a.i + 4 < a.blocks && b.i + 4 < b.blocks;
       a.i += 4, b.i += 4, a.hashed++, b.hashed++) {
    __m128i ma[4] = {bswap32(a.w[0]), bswap32(a.w[1]), bswap32(a.w[2]),
                     bswap32(a.w[3])};
    __m128i mb[4] = {bswap32(b.w[0]), bswap32(b.w[1]), bswap32(b.w[2]),
                     bswap32(b.w[3])};
    const Sha256Lanes savedA = a.s, savedB = b.s;
    const uint8_t* srcA = a.in + a.i * kAesBlock;
    const uint8_t* srcB = b.in + b.i * kAesBlock;
    uint8_t* dstA = a.out + a.i * kAesBlock;
    uint8_t* dstB = b.out + b.i * kAesBlock;
    decryptHashingPair<0>(a.c, srcA + 16, a.s, ma, a.w[0], b.c, srcB + 16,
                          b.s, mb, b.w[0]);
    store(dstA, a.w[0]);
    store(dstB, b.w[0]);
    decryptHashingPair<4>(a.c, srcA + 32, a.s, ma, a.w[1], b.c, srcB + 32,
                          b.s, mb, b.w[1]);
    store(dstA + 16, a.w[1]);
    store(dstB + 16, b.w[1]);
    decryptHashingPair<8>(a.c, srcA + 48, a.s, ma, a.w[2], b.c, srcB + 48,
                          b.s, mb, b.w[2]);
    store(dstA + 32, a.w[2]);
    store(dstB + 32, b.w[2]);
    decryptHashingPair<12>(a.c, srcA + 64, a.s, ma, a.w[3], b.c, srcB + 64,
                           b.s, mb, b.w[3]);
    store(dstA + 48, a.w[3]);
    store(dstB + 48, b.w[3]);
    a.s.abef = _mm_add_epi32(a.s.abef, savedA.abef);
    a.s.cdgh = _mm_add_epi32(a.s.cdgh, savedA.cdgh);
    b.s.abef = _mm_add_epi32(b.s.abef, savedB.abef);
    b.s.cdgh = _mm_add_epi32(b.s.cdgh, savedB.cdgh);
  }
  finishStream(a, digest[0]);
  finishStream(b, digest[1]);
}

}  // namespace tgmt

#endif
