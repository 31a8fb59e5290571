// AES-256 and the IGE mode MTProto encrypts with.
//
// IGE (infinite garble extension), with iv = c0 ‖ p0 (the "previous
// ciphertext" block, then the "previous plaintext" block):
//   encrypt: c_i = E(p_i ^ c_{i-1}) ^ p_{i-1}
//   decrypt: p_i = D(c_i ^ p_{i-1}) ^ c_{i-1}
// Every block depends on the one before, so the speed limit is the latency
// of one AES block, not its throughput.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tgmt {

constexpr size_t kAesBlock = 16;
constexpr int kAes256Rounds = 14;

// 15 round keys of 16 bytes each, in FIPS-197 byte order (the order the
// AES-NI and ARMv8 instructions load them in).
struct Aes256RoundKeys {
  alignas(16) uint8_t bytes[(kAes256Rounds + 1) * kAesBlock];
};

// in and out may be the same pointer; n is a multiple of 16.
using IgeFn = void (*)(const uint8_t key[32], const uint8_t iv[32],
                       const uint8_t* in, uint8_t* out, size_t n);

struct IgeBackend {
  const char* name;  // "aes-ni", "armv8-aes" or "portable"
  IgeFn encrypt;
  IgeFn decrypt;
};

// The best implementation this CPU supports, chosen once.
const IgeBackend& igeBackend();

// Portable key expansion (shared by every implementation).
void aes256ExpandKey(const uint8_t key[32], Aes256RoundKeys& out);

// Portable, table-driven (not constant-time; used only when the CPU has no
// AES instructions).
void igeEncryptPortable(const uint8_t key[32], const uint8_t iv[32],
                        const uint8_t* in, uint8_t* out, size_t n);
void igeDecryptPortable(const uint8_t key[32], const uint8_t iv[32],
                        const uint8_t* in, uint8_t* out, size_t n);

#if defined(__x86_64__) || defined(_M_X64)
#define TGMT_HAVE_AESNI 1
void igeEncryptAesNi(const uint8_t key[32], const uint8_t iv[32],
                     const uint8_t* in, uint8_t* out, size_t n);
void igeDecryptAesNi(const uint8_t key[32], const uint8_t iv[32],
                     const uint8_t* in, uint8_t* out, size_t n);
// Two independent IGE encryptions of n bytes each (a multiple of 16), their
// block chains interleaved in one loop so the core runs them side by side.
// Message j: key[j], iv[j], in[j] -> out[j] (out[j] may equal in[j]; the
// two messages must not overlap each other). nextIv[j] receives
// c_last ‖ p_last, the iv that continues chain j with igeEncryptAesNi
// (untouched when n is 0).
void igeEncryptPairAesNi(const uint8_t* const key[2],
                         const uint8_t* const iv[2], const uint8_t* const in[2],
                         uint8_t* const out[2], size_t n,
                         uint8_t nextIv[2][32]);
// The round keys igeDecryptAesNi uses (equivalent inverse cipher, in the
// order AESDEC consumes them), for kernels in other files.
void aes256DecryptKeysAesNi(const uint8_t key[32], Aes256RoundKeys& out);
#endif

#if defined(__aarch64__) || defined(_M_ARM64)
#define TGMT_HAVE_ARMV8_AES 1
void igeEncryptArmv8(const uint8_t key[32], const uint8_t iv[32],
                     const uint8_t* in, uint8_t* out, size_t n);
void igeDecryptArmv8(const uint8_t key[32], const uint8_t iv[32],
                     const uint8_t* in, uint8_t* out, size_t n);
#endif

}  // namespace tgmt
