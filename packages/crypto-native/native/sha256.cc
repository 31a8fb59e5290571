#include "sha256.h"

#include <cstring>

#include "cpu.h"

namespace tgmt {
namespace {

inline uint32_t rotr(uint32_t x, int s) { return (x >> s) | (x << (32 - s)); }

}  // namespace

const uint32_t kSha256Init[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                 0xa54ff53a, 0x510e527f, 0x9b05688c,
                                 0x1f83d9ab, 0x5be0cd19};

// Round constants, shared with the SHA-NI path.
extern const uint32_t kSha256K[64];
const uint32_t kSha256K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

void sha256CompressPortable(uint32_t state[8], const uint8_t* p,
                            size_t nblocks) {
  for (; nblocks > 0; nblocks--, p += 64) {
    uint32_t w[64];
    for (int t = 0; t < 16; t++) {
      w[t] = (uint32_t(p[4 * t]) << 24) | (uint32_t(p[4 * t + 1]) << 16) |
             (uint32_t(p[4 * t + 2]) << 8) | p[4 * t + 3];
    }
    for (int t = 16; t < 64; t++) {
      uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
      uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int t = 0; t < 64; t++) {
      uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +
                    ((e & f) ^ (~e & g)) + kSha256K[t] + w[t];
      uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) +
                    ((a & b) ^ (a & c) ^ (b & c));
      h = g; g = f; f = e; e = d + t1;
      d = c; c = b; b = a; a = t1 + t2;
    }
    state[0] += a; state[1] += b; state[2] += c; state[3] += d;
    state[4] += e; state[5] += f; state[6] += g; state[7] += h;
  }
}

namespace {

Sha256CompressFn choose() {
#if defined(__x86_64__) || defined(_M_X64)
  if (cpuFeatures().sha256) return sha256CompressShaNi;
#endif
  return sha256CompressPortable;
}

}  // namespace

Sha256CompressFn sha256Compress() {
  static const Sha256CompressFn f = choose();
  return f;
}

const char* sha256BackendName() {
  return sha256Compress() == sha256CompressPortable ? "portable" : "sha-ni";
}

void sha256Concat(const uint8_t* a, size_t aLen, const uint8_t* b, size_t bLen,
                  uint8_t digest[32]) {
  uint32_t state[8];
  std::memcpy(state, kSha256Init, sizeof state);
  sha256Finish(state, 0, a, aLen, b, bLen, digest);
}

namespace {

// Writes the padded one-block message a ‖ b (aLen + bLen ≤ 55) into block.
void padShort(const uint8_t* a, size_t aLen, const uint8_t* b, size_t bLen,
              uint8_t block[64]) {
  std::memset(block, 0, 64);
  if (aLen > 0) std::memcpy(block, a, aLen);
  if (bLen > 0) std::memcpy(block + aLen, b, bLen);
  block[aLen + bLen] = 0x80;
  const uint64_t bits = uint64_t(aLen + bLen) * 8;
  for (int i = 0; i < 8; i++) block[56 + i] = uint8_t(bits >> (56 - 8 * i));
}

void digestOf(const uint32_t state[8], uint8_t digest[32]) {
  for (int i = 0; i < 8; i++) {
    digest[4 * i] = uint8_t(state[i] >> 24);
    digest[4 * i + 1] = uint8_t(state[i] >> 16);
    digest[4 * i + 2] = uint8_t(state[i] >> 8);
    digest[4 * i + 3] = uint8_t(state[i]);
  }
}

}  // namespace

void sha256ShortPair(const uint8_t* a0, size_t a0Len, const uint8_t* b0,
                     size_t b0Len, const uint8_t* a1, size_t a1Len,
                     const uint8_t* b1, size_t b1Len, uint8_t d0[32],
                     uint8_t d1[32]) {
  alignas(16) uint8_t blocks[128];
  padShort(a0, a0Len, b0, b0Len, blocks);
  padShort(a1, a1Len, b1, b1Len, blocks + 64);
#if defined(__x86_64__) || defined(_M_X64)
  if (sha256Compress() == sha256CompressShaNi) {
    sha256PairShaNi(blocks, d0, d1);
    return;
  }
#endif
  uint32_t s0[8], s1[8];
  std::memcpy(s0, kSha256Init, sizeof s0);
  std::memcpy(s1, kSha256Init, sizeof s1);
  sha256Compress()(s0, blocks, 1);
  sha256Compress()(s1, blocks + 64, 1);
  digestOf(s0, d0);
  digestOf(s1, d1);
}

void sha256Finish(uint32_t state[8], uint64_t done, const uint8_t* a,
                  size_t aLen, const uint8_t* b, size_t bLen,
                  uint8_t digest[32]) {
  const Sha256CompressFn compress = sha256Compress();
  uint8_t buf[64];
  size_t used = 0;
  const uint64_t total = done + aLen + bLen;
  const uint8_t* parts[2] = {a, b};
  const size_t lens[2] = {aLen, bLen};
  for (int i = 0; i < 2; i++) {
    const uint8_t* p = parts[i];
    size_t len = lens[i];
    if (used > 0) {
      size_t take = 64 - used < len ? 64 - used : len;
      std::memcpy(buf + used, p, take);
      used += take; p += take; len -= take;
      if (used == 64) { compress(state, buf, 1); used = 0; }
    }
    if (len >= 64) {
      compress(state, p, len / 64);
      p += len & ~size_t(63);
      len &= 63;
    }
    if (len > 0) { std::memcpy(buf, p, len); used = len; }
  }
  buf[used++] = 0x80;
  if (used > 56) {
    std::memset(buf + used, 0, 64 - used);
    compress(state, buf, 1);
    used = 0;
  }
  std::memset(buf + used, 0, 56 - used);
  const uint64_t bits = total * 8;
  for (int i = 0; i < 8; i++) buf[56 + i] = uint8_t(bits >> (56 - 8 * i));
  compress(state, buf, 1);
  digestOf(state, digest);
}

}  // namespace tgmt
