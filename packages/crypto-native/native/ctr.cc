// The stream logic around the block functions: partial blocks at either
// end of a call, and the choice of block function for this CPU.
#include "ctr.h"

#include <cstring>

#include "aes.h"
#include "cpu.h"

namespace tgmt {
namespace {

struct CtrBackend {
  const char* name;
  CtrBlocksFn blocks;
};

CtrBackend choose() {
#if defined(__x86_64__) || defined(_M_X64)
  if (cpuFeatures().aes) return {"aes-ni", ctrBlocksAesNi};
#endif
#if defined(__aarch64__) || defined(_M_ARM64)
  if (cpuFeatures().aes) return {"armv8-aes", ctrBlocksArmv8};
#endif
  return {"portable", ctrBlocksPortable};
}

const CtrBackend& backend() {
  static const CtrBackend b = choose();
  return b;
}

}  // namespace

const char* ctrBackendName() { return backend().name; }

void ctrInit(const uint8_t key[32], const uint8_t iv[16], uint8_t* state) {
  Aes256RoundKeys rk;
  aes256ExpandKey(key, rk);
  std::memcpy(state + kCtrRoundKeys, rk.bytes, sizeof rk.bytes);
  std::memcpy(state + kCtrCounter, iv, 16);
  std::memset(state + kCtrKeystream, 0, 16);
  state[kCtrUsed] = 16;  // no keystream left over
}

void ctrUpdate(uint8_t* state, const uint8_t* in, uint8_t* out, size_t n) {
  uint8_t* ks = state + kCtrKeystream;
  unsigned used = state[kCtrUsed];
  if (used > 16) used = 16;  // the buffer is the caller's: never index past it
  size_t i = 0;
  for (; used < 16 && i < n; i++) out[i] = in[i] ^ ks[used++];
  const size_t whole = (n - i) / kAesBlock;
  const CtrBlocksFn blocks = backend().blocks;
  if (whole != 0) {
    blocks(state + kCtrRoundKeys, state + kCtrCounter, in + i, out + i, whole);
    i += whole * kAesBlock;
  }
  if (i < n) {
    // Keep the rest of this block's keystream for the next call.
    std::memset(ks, 0, 16);
    blocks(state + kCtrRoundKeys, state + kCtrCounter, ks, ks, 1);
    for (used = 0; i < n; i++) out[i] = in[i] ^ ks[used++];
  }
  state[kCtrUsed] = static_cast<uint8_t>(used);
}

}  // namespace tgmt
