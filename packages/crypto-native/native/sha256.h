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
#endif

// SHA-256 of a ‖ b (either part may be empty).
void sha256Concat(const uint8_t* a, size_t aLen, const uint8_t* b, size_t bLen,
                  uint8_t digest[32]);

}  // namespace tgmt
