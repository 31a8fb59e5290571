// ARMv8 Cryptography Extensions IGE, called only after the OS reported the
// AES feature. AESE/AESD XOR their key first (before SubBytes), so here the
// last round key and the IGE XOR merge into one EOR after the final AESE.
#include "aes.h"

#if TGMT_HAVE_ARMV8_AES

#include "arm_crypto.h"

namespace tgmt {

TGMT_TARGET_AES void igeEncryptArmv8(const uint8_t key[32],
                                     const uint8_t iv[32], const uint8_t* in,
                                     uint8_t* out, size_t n) {
  Aes256RoundKeys ks;
  aes256ExpandKey(key, ks);
  uint8x16_t k[15];
  for (int r = 0; r < 15; r++) k[r] = vld1q_u8(ks.bytes + 16 * r);
  uint8x16_t cPrev = vld1q_u8(iv);
  uint8x16_t pPrev = vld1q_u8(iv + 16);
  for (size_t off = 0; off < n; off += kAesBlock) {
    uint8x16_t p = vld1q_u8(in + off);
    uint8x16_t s = veorq_u8(p, cPrev);
    for (int r = 0; r < 13; r++) s = vaesmcq_u8(vaeseq_u8(s, k[r]));
    s = vaeseq_u8(s, k[13]);
    cPrev = veorq_u8(s, veorq_u8(k[14], pPrev));
    pPrev = p;
    vst1q_u8(out + off, cPrev);
  }
}

TGMT_TARGET_AES void igeDecryptArmv8(const uint8_t key[32],
                                     const uint8_t iv[32], const uint8_t* in,
                                     uint8_t* out, size_t n) {
  Aes256RoundKeys ks;
  aes256ExpandKey(key, ks);
  uint8x16_t k[15];
  k[0] = vld1q_u8(ks.bytes + 16 * 14);
  for (int r = 1; r < 14; r++) k[r] = vaesimcq_u8(vld1q_u8(ks.bytes + 16 * (14 - r)));
  k[14] = vld1q_u8(ks.bytes);
  uint8x16_t cPrev = vld1q_u8(iv);
  uint8x16_t pPrev = vld1q_u8(iv + 16);
  for (size_t off = 0; off < n; off += kAesBlock) {
    uint8x16_t c = vld1q_u8(in + off);
    uint8x16_t s = veorq_u8(c, pPrev);
    for (int r = 0; r < 13; r++) s = vaesimcq_u8(vaesdq_u8(s, k[r]));
    s = vaesdq_u8(s, k[13]);
    pPrev = veorq_u8(s, veorq_u8(k[14], cPrev));
    cPrev = c;
    vst1q_u8(out + off, pPrev);
  }
}

}  // namespace tgmt

#endif  // TGMT_HAVE_ARMV8_AES
