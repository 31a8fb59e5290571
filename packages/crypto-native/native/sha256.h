// SHA-256 for the fused MTProto packet call (msg_key and the AES key/iv
// derivation), so one crossing into the addon does the whole packet.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tgmt {

// Compresses nblocks consecutive 64-byte blocks into state.
using Sha256CompressFn = void (*)(uint32_t state[8], const uint8_t* blocks,
                                  size_t nblocks);

// The best compression function this CPU supports, chosen once.
Sha256CompressFn sha256Compress();
const char* sha256BackendName();

void sha256CompressPortable(uint32_t state[8], const uint8_t* blocks,
                            size_t nblocks);
#if defined(__x86_64__) || defined(_M_X64)
void sha256CompressShaNi(uint32_t state[8], const uint8_t* blocks,
                         size_t nblocks);
// Compresses nblocks 64-byte blocks of each of two independent streams
// (p0 into state0, p1 into state1), their rounds interleaved.
void sha256CompressPairShaNi(uint32_t state0[8], const uint8_t* p0,
                             uint32_t state1[8], const uint8_t* p1,
                             size_t nblocks);
// The digests of two padded one-block messages (blocks[0..64) and
// blocks[64..128)), hashed side by side.
void sha256PairShaNi(const uint8_t blocks[128], uint8_t d0[32],
                     uint8_t d1[32]);

// AES-256-IGE decryption of n bytes (a multiple of 16; out may equal in)
// that also returns SHA-256(prefix ‖ plaintext): each 64 bytes of
// plaintext are hashed in the same loop that decrypts the next 64, the two
// dependency chains interleaved so the core runs them side by side. Needs
// AES-NI and SHA-NI.
void igeDecryptSha256AesShaNi(const uint8_t key[32], const uint8_t iv[32],
                              const uint8_t prefix[32], const uint8_t* in,
                              uint8_t* out, size_t n, uint8_t digest[32]);
// Two independent igeDecryptSha256AesShaNi calls (message j: key[j],
// iv[j], prefix[j], in[j] -> out[j], n[j] bytes, digest[j]) with both
// messages' IGE and SHA-256 chains interleaved over the blocks both have;
// the longer one's rest runs alone. out[j] may equal in[j]; the two
// messages must not overlap each other.
void igeDecryptSha256PairAesShaNi(const uint8_t* const key[2],
                                  const uint8_t* const iv[2],
                                  const uint8_t* const prefix[2],
                                  const uint8_t* const in[2],
                                  uint8_t* const out[2], const size_t n[2],
                                  uint8_t digest[2][32]);
#endif

extern const uint32_t kSha256Init[8];

// SHA-256 of a ‖ b (either part may be empty).
void sha256Concat(const uint8_t* a, size_t aLen, const uint8_t* b, size_t bLen,
                  uint8_t digest[32]);

// The digests of two short messages, a0 ‖ b0 and a1 ‖ b1, each at most 55
// bytes (one block once padded), computed side by side where the CPU
// allows: MTProto's aes_key/aes_iv derivation hashes two such messages
// per packet, and the second does not wait for the first.
constexpr size_t kSha256ShortMax = 55;
void sha256ShortPair(const uint8_t* a0, size_t a0Len, const uint8_t* b0,
                     size_t b0Len, const uint8_t* a1, size_t a1Len,
                     const uint8_t* b1, size_t b1Len, uint8_t d0[32],
                     uint8_t d1[32]);

// Finishes a hash whose first `done` bytes (a multiple of 64) are already
// compressed into state: hashes a ‖ b, pads, writes the digest.
void sha256Finish(uint32_t state[8], uint64_t done, const uint8_t* a,
                  size_t aLen, const uint8_t* b, size_t bLen,
                  uint8_t digest[32]);

}  // namespace tgmt
