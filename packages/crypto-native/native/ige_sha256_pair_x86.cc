// mtprotoDecryptPair's kernel: two messages' AES-256-IGE decryptions and
// the SHA-256 of each plaintext, all four chains interleaved in one loop.
#include "sha256.h"

#if defined(__x86_64__) || defined(_M_X64)

#include "sha256_x86_inline.h"

namespace tgmt {

// ---- Two messages: both IGE decryptions and both hashes interleaved ----
//
// igeDecryptSha256AesShaNi (sha256_x86.cc) leaves the core's AES and SHA
// units idle for most of each AESDEC's latency; a second message's chains,
// with no dependency on the first, fill those cycles. Two chains' 30 round keys
// and state do not fit in 16 registers, so the compiler keeps round keys
// in memory operands (an AESDEC reads one from L1 at no extra latency on
// the chain).
namespace {

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
// on the chain, and bench/mtproto-pair.ts measured 1.83x two calls, not
// 1.99x as now. So the key (and the carry
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
