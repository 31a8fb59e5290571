// SHA-256 compression with the x86 SHA extensions, and the MTProto decrypt
// kernel that runs it alongside AES-NI IGE. The eight state words live in
// two registers as (A,B,E,F) and (C,D,G,H), the layout SHA256RNDS2 works
// on; each SHA256RNDS2 does two rounds.
#include "sha256.h"

#if defined(__x86_64__) || defined(_M_X64)

#include "sha256_x86_inline.h"

namespace tgmt {

namespace {

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
// (IgeChain, decryptHashing, decryptPlain and the DecryptHashStream steps
// are in sha256_x86_inline.h, shared with the pair kernel.)

TGMT_TARGET_AES_SHA void igeDecryptSha256AesShaNi(
    const uint8_t key[32], const uint8_t iv[32], const uint8_t prefix[32],
    const uint8_t* in, uint8_t* out, size_t n, uint8_t digest[32]) {
  DecryptHashStream d;
  beginStream(d, key, iv, prefix, in, out, n);
  finishStream(d, digest);
}

}  // namespace tgmt

#endif
