// AES-NI IGE. Compiled for baseline x86-64 with per-function target
// attributes, and only called after CPUID reported AES-NI.
//
// IGE is one dependent chain, so what matters is what lies on it. The XORs
// that IGE adds around each block are folded into the last round key
// (AESENCLAST/AESDECLAST XOR their key at the very end), which leaves
// exactly 14 AES instructions per block on the chain:
//   encrypt: state_{i+1} = AESENCLAST(..., rk14 ^ p_{i-1} ^ p_{i+1} ^ rk0)
//            c_i = state_{i+1} ^ p_{i+1} ^ rk0        (off the chain)
// and the same shape for decryption with c and p swapped.
#include "aes.h"

#if TGMT_HAVE_AESNI

#include <immintrin.h>

#if defined(__GNUC__) || defined(__clang__)
#define TGMT_TARGET_AES __attribute__((target("aes,sse2")))
#else
#define TGMT_TARGET_AES
#endif

namespace tgmt {
namespace {

TGMT_TARGET_AES inline __m128i load(const uint8_t* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

TGMT_TARGET_AES inline void store(uint8_t* p, __m128i v) {
  _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v);
}

// One half-step of the AES-256 key schedule: k ^= its prefix-XOR, then the
// keygenassist word selected by Shuffle.
template <int Shuffle>
TGMT_TARGET_AES inline __m128i expandStep(__m128i k, __m128i assist) {
  assist = _mm_shuffle_epi32(assist, Shuffle);
  k = _mm_xor_si128(k, _mm_slli_si128(k, 4));
  k = _mm_xor_si128(k, _mm_slli_si128(k, 4));
  k = _mm_xor_si128(k, _mm_slli_si128(k, 4));
  return _mm_xor_si128(k, assist);
}

// AESKEYGENASSIST takes its round constant as an immediate, hence a macro.
#define TGMT_EXPAND_PAIR(i, rcon)                                          \
  k[i] = expandStep<0xff>(k[i - 2], _mm_aeskeygenassist_si128(k[i - 1], rcon)); \
  if (i + 1 < 15)                                                          \
    k[i + 1] = expandStep<0xaa>(k[i - 1], _mm_aeskeygenassist_si128(k[i], 0));

TGMT_TARGET_AES inline void expandKey(const uint8_t key[32], __m128i k[15]) {
  k[0] = load(key);
  k[1] = load(key + 16);
  TGMT_EXPAND_PAIR(2, 0x01)
  TGMT_EXPAND_PAIR(4, 0x02)
  TGMT_EXPAND_PAIR(6, 0x04)
  TGMT_EXPAND_PAIR(8, 0x08)
  TGMT_EXPAND_PAIR(10, 0x10)
  TGMT_EXPAND_PAIR(12, 0x20)
  k[14] = expandStep<0xff>(k[12], _mm_aeskeygenassist_si128(k[13], 0x40));
}

// Equivalent inverse cipher: reversed keys, InvMixColumns on the middle.
TGMT_TARGET_AES inline void expandDecryptKey(const uint8_t key[32],
                                             __m128i k[15]) {
  __m128i e[15];
  expandKey(key, e);
  k[0] = e[14];
  for (int r = 1; r < 14; r++) k[r] = _mm_aesimc_si128(e[14 - r]);
  k[14] = e[0];
}

}  // namespace

TGMT_TARGET_AES void igeEncryptAesNi(const uint8_t key[32],
                                     const uint8_t iv[32], const uint8_t* in,
                                     uint8_t* out, size_t n) {
  if (n == 0) return;
  __m128i k[15];
  expandKey(key, k);

  __m128i pPrev = load(iv + 16);
  __m128i pCur = load(in);
  __m128i state = _mm_xor_si128(_mm_xor_si128(pCur, load(iv)), k[0]);
  const size_t blocks = n / kAesBlock;
  for (size_t i = 0; i < blocks; i++) {
    state = _mm_aesenc_si128(state, k[1]);
    state = _mm_aesenc_si128(state, k[2]);
    state = _mm_aesenc_si128(state, k[3]);
    state = _mm_aesenc_si128(state, k[4]);
    state = _mm_aesenc_si128(state, k[5]);
    state = _mm_aesenc_si128(state, k[6]);
    state = _mm_aesenc_si128(state, k[7]);
    state = _mm_aesenc_si128(state, k[8]);
    state = _mm_aesenc_si128(state, k[9]);
    state = _mm_aesenc_si128(state, k[10]);
    state = _mm_aesenc_si128(state, k[11]);
    state = _mm_aesenc_si128(state, k[12]);
    state = _mm_aesenc_si128(state, k[13]);
    if (i + 1 < blocks) {
      // Read the next block before writing this one: in may equal out.
      __m128i pNext = load(in + (i + 1) * kAesBlock);
      __m128i carry = _mm_xor_si128(pNext, k[0]);
      state = _mm_aesenclast_si128(
          state, _mm_xor_si128(_mm_xor_si128(k[14], pPrev), carry));
      store(out + i * kAesBlock, _mm_xor_si128(state, carry));
      pPrev = pCur;
      pCur = pNext;
    } else {
      store(out + i * kAesBlock,
            _mm_aesenclast_si128(state, _mm_xor_si128(k[14], pPrev)));
    }
  }
}

// Two chains of the loop above, one block of each per iteration. Each
// AESENC waits on its own chain's previous one (a few cycles of latency,
// one cycle of throughput), so the other chain's round fills the wait.
// Only the states and the plaintext blocks they carry live in registers;
// the 30 round keys are read from the stack, where the core loads them
// off the chains.
TGMT_TARGET_AES void igeEncryptPairAesNi(const uint8_t* const key[2],
                                         const uint8_t* const iv[2],
                                         const uint8_t* const in[2],
                                         uint8_t* const out[2], size_t n,
                                         uint8_t nextIv[2][32]) {
  if (n == 0) return;
  __m128i ka[15], kb[15];
  expandKey(key[0], ka);
  expandKey(key[1], kb);
  const uint8_t* const inA = in[0];
  const uint8_t* const inB = in[1];
  uint8_t* const outA = out[0];
  uint8_t* const outB = out[1];

  __m128i aPrev = load(iv[0] + 16), aCur = load(inA);
  __m128i bPrev = load(iv[1] + 16), bCur = load(inB);
  __m128i a = _mm_xor_si128(_mm_xor_si128(aCur, load(iv[0])), ka[0]);
  __m128i b = _mm_xor_si128(_mm_xor_si128(bCur, load(iv[1])), kb[0]);
  const size_t last = n / kAesBlock - 1;
  for (size_t i = 0;; i++) {
    for (int r = 1; r < 14; r++) {
      a = _mm_aesenc_si128(a, ka[r]);
      b = _mm_aesenc_si128(b, kb[r]);
    }
    if (i == last) break;
    // Read the next blocks before writing these: in may equal out.
    const size_t next = (i + 1) * kAesBlock;
    const __m128i aNext = load(inA + next), bNext = load(inB + next);
    const __m128i aCarry = _mm_xor_si128(aNext, ka[0]);
    const __m128i bCarry = _mm_xor_si128(bNext, kb[0]);
    a = _mm_aesenclast_si128(a, _mm_xor_si128(_mm_xor_si128(ka[14], aPrev), aCarry));
    b = _mm_aesenclast_si128(b, _mm_xor_si128(_mm_xor_si128(kb[14], bPrev), bCarry));
    store(outA + i * kAesBlock, _mm_xor_si128(a, aCarry));
    store(outB + i * kAesBlock, _mm_xor_si128(b, bCarry));
    aPrev = aCur;
    aCur = aNext;
    bPrev = bCur;
    bCur = bNext;
  }
  const __m128i aLast = _mm_aesenclast_si128(a, _mm_xor_si128(ka[14], aPrev));
  const __m128i bLast = _mm_aesenclast_si128(b, _mm_xor_si128(kb[14], bPrev));
  store(outA + last * kAesBlock, aLast);
  store(outB + last * kAesBlock, bLast);
  // aCur/bCur: the last plaintext blocks, from registers (in place, their
  // memory now holds ciphertext).
  store(nextIv[0], aLast);
  store(nextIv[0] + 16, aCur);
  store(nextIv[1], bLast);
  store(nextIv[1] + 16, bCur);
}

TGMT_TARGET_AES void aes256DecryptKeysAesNi(const uint8_t key[32],
                                            Aes256RoundKeys& out) {
  __m128i k[15];
  expandDecryptKey(key, k);
  for (int r = 0; r < 15; r++) store(out.bytes + r * kAesBlock, k[r]);
}

TGMT_TARGET_AES void igeDecryptAesNi(const uint8_t key[32],
                                     const uint8_t iv[32], const uint8_t* in,
                                     uint8_t* out, size_t n) {
  if (n == 0) return;
  __m128i k[15];
  expandDecryptKey(key, k);

  __m128i cPrev = load(iv);
  __m128i cCur = load(in);
  __m128i state = _mm_xor_si128(_mm_xor_si128(cCur, load(iv + 16)), k[0]);
  const size_t blocks = n / kAesBlock;
  for (size_t i = 0; i < blocks; i++) {
    state = _mm_aesdec_si128(state, k[1]);
    state = _mm_aesdec_si128(state, k[2]);
    state = _mm_aesdec_si128(state, k[3]);
    state = _mm_aesdec_si128(state, k[4]);
    state = _mm_aesdec_si128(state, k[5]);
    state = _mm_aesdec_si128(state, k[6]);
    state = _mm_aesdec_si128(state, k[7]);
    state = _mm_aesdec_si128(state, k[8]);
    state = _mm_aesdec_si128(state, k[9]);
    state = _mm_aesdec_si128(state, k[10]);
    state = _mm_aesdec_si128(state, k[11]);
    state = _mm_aesdec_si128(state, k[12]);
    state = _mm_aesdec_si128(state, k[13]);
    if (i + 1 < blocks) {
      __m128i cNext = load(in + (i + 1) * kAesBlock);
      __m128i carry = _mm_xor_si128(cNext, k[0]);
      state = _mm_aesdeclast_si128(
          state, _mm_xor_si128(_mm_xor_si128(k[14], cPrev), carry));
      store(out + i * kAesBlock, _mm_xor_si128(state, carry));
      cPrev = cCur;
      cCur = cNext;
    } else {
      store(out + i * kAesBlock,
            _mm_aesdeclast_si128(state, _mm_xor_si128(k[14], cPrev)));
    }
  }
}

}  // namespace tgmt

#endif  // TGMT_HAVE_AESNI
