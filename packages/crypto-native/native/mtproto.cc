#include "mtproto.h"

#include <cstring>

#include "aes.h"
#include "cpu.h"
#include "sha256.h"

namespace tgmt {
namespace {

void deriveKeyIv(const uint8_t* authKey, int x, const uint8_t msgKey[16],
                 uint8_t key[32], uint8_t iv[32]) {
  uint8_t a[32], b[32];
  // sha256_a = SHA256(msg_key ‖ auth_key[x..x+36]),
  // sha256_b = SHA256(auth_key[40+x..76+x] ‖ msg_key).
  sha256ShortPair(msgKey, 16, authKey + x, 36, authKey + 40 + x, 36, msgKey,
                  16, a, b);
  std::memcpy(key, a, 8);
  std::memcpy(key + 8, b + 8, 16);
  std::memcpy(key + 24, a + 24, 8);
  std::memcpy(iv, b, 8);
  std::memcpy(iv + 8, a + 8, 16);
  std::memcpy(iv + 24, b + 24, 8);
}

void msgKeyOf(const uint8_t* authKey, int x, const uint8_t* plaintext,
              size_t n, uint8_t msgKey[16]) {
  uint8_t digest[32];
  sha256Concat(authKey + 88 + x, 32, plaintext, n, digest);
  std::memcpy(msgKey, digest + 8, 16);  // msg_key_large's middle 128 bits
}

// IGE-decrypts in into out and returns SHA-256(prefix ‖ out).
using DecryptHashFn = void (*)(const uint8_t key[32], const uint8_t iv[32],
                               const uint8_t prefix[32], const uint8_t* in,
                               uint8_t* out, size_t n, uint8_t digest[32]);

void decryptThenHash(const uint8_t key[32], const uint8_t iv[32],
                     const uint8_t prefix[32], const uint8_t* in, uint8_t* out,
                     size_t n, uint8_t digest[32]) {
  igeBackend().decrypt(key, iv, in, out, n);
  sha256Concat(prefix, 32, out, n, digest);
}

// One pass (hash inside the IGE loop) where the CPU has both AES and SHA-256
// instructions; otherwise two.
DecryptHashFn chooseDecryptHash() {
#if TGMT_HAVE_AESNI
  if (cpuFeatures().aes && cpuFeatures().sha256) return igeDecryptSha256AesShaNi;
#endif
  return decryptThenHash;
}

// Compares the msg_key received with the middle 128 bits of msg_key_large
// (digest) in constant time; on a mismatch zeroes out[0, n) so unchecked
// plaintext never reaches the caller.
bool checkMsgKey(const uint8_t msgKey[16], const uint8_t digest[32],
                 uint8_t* out, size_t n) {
  uint8_t diff = 0;
  for (int i = 0; i < 16; i++) diff |= static_cast<uint8_t>(msgKey[i] ^ digest[8 + i]);
  if (diff != 0) {
    // volatile: the zeroing must not be optimised away.
    volatile uint8_t* p = out;
    for (size_t i = 0; i < n; i++) p[i] = 0;
    return false;
  }
  return true;
}

#if TGMT_HAVE_AESNI
// Both messages' msg_keys, SHA-256(auth_key[88+x, 32] ‖ plaintext) each,
// with the 64-byte blocks both streams have compressed side by side: the
// first one (32 key bytes, 32 plaintext bytes) from a copy, the rest
// straight from plaintext + 32. The longer stream's extra blocks go alone.
void msgKeyPairShaNi(const uint8_t* const authKey[2], const int x[2],
                     const uint8_t* const pt[2], const size_t n[2],
                     uint8_t msgKey[2][16]) {
  if (n[0] < 32 || n[1] < 32) {  // no whole block in one of them
    for (int j = 0; j < 2; j++) msgKeyOf(authKey[j], x[j], pt[j], n[j], msgKey[j]);
    return;
  }
  uint32_t state[2][8];
  alignas(16) uint8_t first[2][64];
  size_t whole[2];  // whole blocks after the first
  for (int j = 0; j < 2; j++) {
    std::memcpy(state[j], kSha256Init, sizeof state[j]);
    std::memcpy(first[j], authKey[j] + 88 + x[j], 32);
    std::memcpy(first[j] + 32, pt[j], 32);
    whole[j] = (n[j] - 32) / 64;
  }
  const size_t common = whole[0] < whole[1] ? whole[0] : whole[1];
  sha256CompressPairShaNi(state[0], first[0], state[1], first[1], 1);
  sha256CompressPairShaNi(state[0], pt[0] + 32, state[1], pt[1] + 32, common);
  for (int j = 0; j < 2; j++) {
    sha256CompressShaNi(state[j], pt[j] + 32 + 64 * common, whole[j] - common);
    const size_t used = 32 + 64 * whole[j];  // plaintext bytes compressed
    uint8_t digest[32];
    sha256Finish(state[j], 32 + used, pt[j] + used, n[j] - used, pt[j] + n[j],
                 0, digest);
    std::memcpy(msgKey[j], digest + 8, 16);
  }
}

// mtprotoEncryptPair with AES-NI and SHA-NI: both hashes interleaved, then
// both IGE chains over the blocks both messages have, then the longer
// one's rest alone, continuing its chain from the iv the pair loop left.
void encryptPairAesShaNi(const uint8_t* const authKey[2], const int x[2],
                         const uint8_t* const pt[2], const size_t n[2],
                         uint8_t* const out[2]) {
  uint8_t msgKey[2][16], key[2][32], iv[2][32];
  msgKeyPairShaNi(authKey, x, pt, n, msgKey);
  for (int j = 0; j < 2; j++) deriveKeyIv(authKey[j], x[j], msgKey[j], key[j], iv[j]);
  const size_t common = n[0] < n[1] ? n[0] : n[1];
  if (common == 0) {
    for (int j = 0; j < 2; j++) igeEncryptAesNi(key[j], iv[j], pt[j], out[j] + kMsgKeySize, n[j]);
  } else {
    const uint8_t* const keys[2] = {key[0], key[1]};
    const uint8_t* const ivs[2] = {iv[0], iv[1]};
    uint8_t* const ct[2] = {out[0] + kMsgKeySize, out[1] + kMsgKeySize};
    uint8_t nextIv[2][32];
    igeEncryptPairAesNi(keys, ivs, pt, ct, common, nextIv);
    const int j = n[0] > n[1] ? 0 : 1;
    igeEncryptAesNi(key[j], nextIv[j], pt[j] + common, ct[j] + common, n[j] - common);
  }
  // Last: out[j]'s msg_key bytes may overlap plaintext j, as in mtprotoEncrypt.
  for (int j = 0; j < 2; j++) std::memcpy(out[j], msgKey[j], kMsgKeySize);
}
#endif

}  // namespace

void mtprotoEncrypt(const uint8_t* authKey, int x, const uint8_t* plaintext,
                    size_t n, uint8_t* out) {
  uint8_t msgKey[16], key[32], iv[32];
  msgKeyOf(authKey, x, plaintext, n, msgKey);
  deriveKeyIv(authKey, x, msgKey, key, iv);
  igeBackend().encrypt(key, iv, plaintext, out + kMsgKeySize, n);
  std::memcpy(out, msgKey, kMsgKeySize);
}

void mtprotoEncryptPair(const uint8_t* authKey1, int x1,
                        const uint8_t* plaintext1, size_t n1, uint8_t* out1,
                        const uint8_t* authKey2, int x2,
                        const uint8_t* plaintext2, size_t n2, uint8_t* out2) {
#if TGMT_HAVE_AESNI
  static const bool interleave = cpuFeatures().aes && cpuFeatures().sha256;
  if (interleave) {
    const uint8_t* const authKey[2] = {authKey1, authKey2};
    const int x[2] = {x1, x2};
    const uint8_t* const pt[2] = {plaintext1, plaintext2};
    const size_t n[2] = {n1, n2};
    uint8_t* const out[2] = {out1, out2};
    encryptPairAesShaNi(authKey, x, pt, n, out);
    return;
  }
#endif
  mtprotoEncrypt(authKey1, x1, plaintext1, n1, out1);
  mtprotoEncrypt(authKey2, x2, plaintext2, n2, out2);
}

bool mtprotoDecrypt(const uint8_t* authKey, int x, const uint8_t* msgKeyIn,
                    const uint8_t* ciphertext, size_t n, uint8_t* out) {
  uint8_t msgKey[16], key[32], iv[32];
  std::memcpy(msgKey, msgKeyIn, 16);  // out may alias it
  deriveKeyIv(authKey, x, msgKey, key, iv);
  static const DecryptHashFn decryptHash = chooseDecryptHash();
  uint8_t digest[32];
  decryptHash(key, iv, authKey + 88 + x, ciphertext, out, n, digest);
  return checkMsgKey(msgKey, digest, out, n);
}

unsigned mtprotoDecryptPair(const uint8_t* authKey1, int x1,
                            const uint8_t* msgKey1, const uint8_t* ciphertext1,
                            size_t n1, uint8_t* out1, const uint8_t* authKey2,
                            int x2, const uint8_t* msgKey2,
                            const uint8_t* ciphertext2, size_t n2,
                            uint8_t* out2) {
#if TGMT_HAVE_AESNI
  static const bool interleave = cpuFeatures().aes && cpuFeatures().sha256;
  if (interleave) {
    const uint8_t* const authKey[2] = {authKey1, authKey2};
    const int x[2] = {x1, x2};
    const uint8_t* const msgKeyIn[2] = {msgKey1, msgKey2};
    const uint8_t* const in[2] = {ciphertext1, ciphertext2};
    uint8_t* const out[2] = {out1, out2};
    const size_t n[2] = {n1, n2};
    uint8_t msgKey[2][16], key[2][32], iv[2][32], digest[2][32];
    for (int j = 0; j < 2; j++) {
      std::memcpy(msgKey[j], msgKeyIn[j], 16);  // out[j] may alias it
      deriveKeyIv(authKey[j], x[j], msgKey[j], key[j], iv[j]);
    }
    const uint8_t* const keys[2] = {key[0], key[1]};
    const uint8_t* const ivs[2] = {iv[0], iv[1]};
    const uint8_t* const prefix[2] = {authKey1 + 88 + x1, authKey2 + 88 + x2};
    igeDecryptSha256PairAesShaNi(keys, ivs, prefix, in, out, n, digest);
    unsigned ok = 0;
    for (int j = 0; j < 2; j++) {
      if (checkMsgKey(msgKey[j], digest[j], out[j], n[j])) ok |= 1u << j;
    }
    return ok;
  }
#endif
  const bool ok1 = mtprotoDecrypt(authKey1, x1, msgKey1, ciphertext1, n1, out1);
  const bool ok2 = mtprotoDecrypt(authKey2, x2, msgKey2, ciphertext2, n2, out2);
  return (ok1 ? 1u : 0u) | (ok2 ? 2u : 0u);
}

}  // namespace tgmt
