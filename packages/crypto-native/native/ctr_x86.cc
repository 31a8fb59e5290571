// AES-NI CTR, 8 blocks in flight: AESENC has a latency of several cycles
// but issues every cycle (or two per cycle), so eight independent counter
// blocks keep the AES units busy. Called only after CPUID reported AES-NI.
#include "ctr.h"

#if defined(__x86_64__) || defined(_M_X64)

#include <immintrin.h>

#if defined(__GNUC__) || defined(__clang__)
#define TGMT_TARGET_AES __attribute__((target("aes,sse2")))
#define TGMT_UNROLL _Pragma("GCC unroll 8")
#else
#define TGMT_TARGET_AES
#define TGMT_UNROLL
#endif

namespace tgmt {
namespace {

inline uint64_t bswap64(uint64_t v) {
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_bswap64(v);
#else
  return _byteswap_uint64(v);
#endif
}

// The counter block for (hi, lo) as it sits in memory: big-endian hi, then
// big-endian lo.
TGMT_TARGET_AES inline __m128i counterBlock(uint64_t hi, uint64_t lo) {
  return _mm_set_epi64x(static_cast<long long>(bswap64(lo)),
                        static_cast<long long>(bswap64(hi)));
}

}  // namespace

TGMT_TARGET_AES void ctrBlocksAesNi(const uint8_t* roundKeys, uint8_t ctr[16],
                                    const uint8_t* in, uint8_t* out,
                                    size_t blocks) {
  __m128i k[15];
  for (int r = 0; r < 15; r++) {
    k[r] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(roundKeys + 16 * r));
  }
  uint64_t hi = load64be(ctr), lo = load64be(ctr + 8);
  constexpr int kLanes = 8;
  for (; blocks >= kLanes; blocks -= kLanes) {
    __m128i s[kLanes];
    TGMT_UNROLL for (int j = 0; j < kLanes; j++) {
      s[j] = _mm_xor_si128(counterBlock(hi, lo), k[0]);
      if (++lo == 0) ++hi;
    }
    for (int r = 1; r < 14; r++) {
      TGMT_UNROLL for (int j = 0; j < kLanes; j++) s[j] = _mm_aesenc_si128(s[j], k[r]);
    }
    TGMT_UNROLL for (int j = 0; j < kLanes; j++) {
      __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 16 * j));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16 * j),
                       _mm_xor_si128(x, _mm_aesenclast_si128(s[j], k[14])));
    }
    in += 16 * kLanes;
    out += 16 * kLanes;
  }
  for (; blocks != 0; blocks--) {
    __m128i s = _mm_xor_si128(counterBlock(hi, lo), k[0]);
    if (++lo == 0) ++hi;
    for (int r = 1; r < 14; r++) s = _mm_aesenc_si128(s, k[r]);
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out),
                     _mm_xor_si128(x, _mm_aesenclast_si128(s, k[14])));
    in += 16;
    out += 16;
  }
  store64be(ctr, hi);
  store64be(ctr + 8, lo);
}

}  // namespace tgmt

#endif
