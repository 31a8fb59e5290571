// AES-256-CTR as OpenSSL's aes-256-ctr computes it (and MTProto's
// obfuscation uses it): the 16-byte IV is the first counter block, taken as
// one big-endian 128-bit integer and incremented by one per block, wrapping
// at 2^128. Keystream blocks are independent, so unlike IGE the speed
// limit is AES throughput: the fast paths keep 8 blocks in flight.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tgmt {

// XORs `blocks` whole blocks of keystream into in -> out (in may equal out)
// starting at counter block `ctr`, which is advanced past them. `roundKeys`
// are the 240 bytes of aes256ExpandKey, at any alignment.
using CtrBlocksFn = void (*)(const uint8_t* roundKeys, uint8_t ctr[16],
                             const uint8_t* in, uint8_t* out, size_t blocks);

// The state of one stream, kept by the caller in a plain byte buffer so a
// JS object can own it without any native lifetime management:
//   [0, 240)   round keys        [240, 256) next counter block
//   [256, 272) last keystream    [272]      bytes of it already used (0..16)
constexpr size_t kCtrRoundKeys = 0;
constexpr size_t kCtrCounter = 240;
constexpr size_t kCtrKeystream = 256;
constexpr size_t kCtrUsed = 272;
constexpr size_t kCtrStateSize = 273;

void ctrInit(const uint8_t key[32], const uint8_t iv[16], uint8_t* state);

// XORs n bytes of the stream into in -> out, continuing where the previous
// call stopped (mid-block too). in may equal out.
void ctrUpdate(uint8_t* state, const uint8_t* in, uint8_t* out, size_t n);

// "aes-ni", "armv8-aes" or "portable"
const char* ctrBackendName();

void ctrBlocksPortable(const uint8_t* roundKeys, uint8_t ctr[16],
                       const uint8_t* in, uint8_t* out, size_t blocks);
#if defined(__x86_64__) || defined(_M_X64)
void ctrBlocksAesNi(const uint8_t* roundKeys, uint8_t ctr[16],
                    const uint8_t* in, uint8_t* out, size_t blocks);
#endif
#if defined(__aarch64__) || defined(_M_ARM64)
void ctrBlocksArmv8(const uint8_t* roundKeys, uint8_t ctr[16],
                    const uint8_t* in, uint8_t* out, size_t blocks);
#endif

// Big-endian halves of a counter block.
inline uint64_t load64be(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
  return v;
}

inline void store64be(uint8_t* p, uint64_t v) {
  for (int i = 7; i >= 0; i--, v >>= 8) p[i] = static_cast<uint8_t>(v);
}

}  // namespace tgmt
