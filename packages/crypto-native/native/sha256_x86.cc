// SHA-256 compression with the x86 SHA extensions. The eight state words
// live in two registers as (A,B,E,F) and (C,D,G,H), the layout SHA256RNDS2
// works on; each SHA256RNDS2 does two rounds.
#include "sha256.h"

#if defined(__x86_64__) || defined(_M_X64)

#include <immintrin.h>

#if defined(__GNUC__) || defined(__clang__)
#define TGMT_TARGET_SHA __attribute__((target("sha,sse4.1,ssse3")))
#else
#define TGMT_TARGET_SHA
#endif

namespace tgmt {

extern const uint32_t kSha256K[64];

TGMT_TARGET_SHA void sha256CompressShaNi(uint32_t state[8], const uint8_t* p,
                                         size_t nblocks) {
  // Big-endian message words: byte-swap each 32-bit lane.
  const __m128i bswap =
      _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i dcba = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state));
  __m128i hgfe = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4));
  __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
  __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);

  for (; nblocks > 0; nblocks--, p += 64) {
    const __m128i abefSaved = abef, cdghSaved = cdgh;
    __m128i m[4];
    for (int g = 0; g < 16; g++) {
      __m128i& cur = m[g & 3];
      if (g < 4) {
        cur = _mm_shuffle_epi8(
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * g)),
            bswap);
      } else {
        // W[t..t+3] from W[t-16..t-1]: msg1 adds sigma0 terms, alignr
        // supplies W[t-7..t-4], msg2 adds the sigma1 terms.
        const __m128i prev1 = m[(g + 3) & 3], prev2 = m[(g + 2) & 3];
        cur = _mm_sha256msg1_epu32(cur, m[(g + 1) & 3]);
        cur = _mm_add_epi32(cur, _mm_alignr_epi8(prev1, prev2, 4));
        cur = _mm_sha256msg2_epu32(cur, prev1);
      }
      __m128i wk = _mm_add_epi32(
          cur, _mm_loadu_si128(reinterpret_cast<const __m128i*>(kSha256K + 4 * g)));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0E));
    }
    abef = _mm_add_epi32(abef, abefSaved);
    cdgh = _mm_add_epi32(cdgh, cdghSaved);
  }

  __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  dcba = _mm_blend_epi16(feba, dchg, 0xF0);
  hgfe = _mm_alignr_epi8(dchg, feba, 8);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), dcba);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), hgfe);
}

}  // namespace tgmt

#endif
