// ARMv8 Cryptography Extensions CTR, 8 blocks in flight (AESE+AESMC pairs
// fuse and pipeline on most cores). Called only after the OS reported AES.
#include "ctr.h"

#if defined(__aarch64__) || defined(_M_ARM64)

#include "arm_crypto.h"

namespace tgmt {
namespace {

inline uint8x16_t counterBlock(uint64_t hi, uint64_t lo) {
  uint8_t b[16];
  store64be(b, hi);
  store64be(b + 8, lo);
  return vld1q_u8(b);
}

}  // namespace

TGMT_TARGET_AES void ctrBlocksArmv8(const uint8_t* roundKeys, uint8_t ctr[16],
                                    const uint8_t* in, uint8_t* out,
                                    size_t blocks) {
  uint8x16_t k[15];
  for (int r = 0; r < 15; r++) k[r] = vld1q_u8(roundKeys + 16 * r);
  uint64_t hi = load64be(ctr), lo = load64be(ctr + 8);
  constexpr int kLanes = 8;
  for (; blocks >= kLanes; blocks -= kLanes) {
    uint8x16_t s[kLanes];
    for (int j = 0; j < kLanes; j++) {
      s[j] = counterBlock(hi, lo);
      if (++lo == 0) ++hi;
    }
    for (int r = 0; r < 13; r++) {
      for (int j = 0; j < kLanes; j++) s[j] = vaesmcq_u8(vaeseq_u8(s[j], k[r]));
    }
    for (int j = 0; j < kLanes; j++) {
      uint8x16_t ks = veorq_u8(vaeseq_u8(s[j], k[13]), k[14]);
      vst1q_u8(out + 16 * j, veorq_u8(vld1q_u8(in + 16 * j), ks));
    }
    in += 16 * kLanes;
    out += 16 * kLanes;
  }
  for (; blocks != 0; blocks--) {
    uint8x16_t s = counterBlock(hi, lo);
    if (++lo == 0) ++hi;
    for (int r = 0; r < 13; r++) s = vaesmcq_u8(vaeseq_u8(s, k[r]));
    uint8x16_t ks = veorq_u8(vaeseq_u8(s, k[13]), k[14]);
    vst1q_u8(out, veorq_u8(vld1q_u8(in), ks));
    in += 16;
    out += 16;
  }
  store64be(ctr, hi);
  store64be(ctr + 8, lo);
}

}  // namespace tgmt

#endif
