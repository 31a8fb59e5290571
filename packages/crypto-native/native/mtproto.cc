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

}  // namespace

void mtprotoEncrypt(const uint8_t* authKey, int x, const uint8_t* plaintext,
                    size_t n, uint8_t* out) {
  uint8_t msgKey[16], key[32], iv[32];
  msgKeyOf(authKey, x, plaintext, n, msgKey);
  deriveKeyIv(authKey, x, msgKey, key, iv);
  igeBackend().encrypt(key, iv, plaintext, out + kMsgKeySize, n);
  std::memcpy(out, msgKey, kMsgKeySize);
}

bool mtprotoDecrypt(const uint8_t* authKey, int x, const uint8_t* msgKeyIn,
                    const uint8_t* ciphertext, size_t n, uint8_t* out) {
  uint8_t msgKey[16], key[32], iv[32];
  std::memcpy(msgKey, msgKeyIn, 16);  // out may alias it
  deriveKeyIv(authKey, x, msgKey, key, iv);
  static const DecryptHashFn decryptHash = chooseDecryptHash();
  uint8_t digest[32];
  decryptHash(key, iv, authKey + 88 + x, ciphertext, out, n, digest);
  uint8_t diff = 0;
  // msg_key is msg_key_large's middle 128 bits.
  for (int i = 0; i < 16; i++) diff |= static_cast<uint8_t>(msgKey[i] ^ digest[8 + i]);
  if (diff != 0) {
    // volatile: the zeroing must not be optimised away.
    volatile uint8_t* p = out;
    for (size_t i = 0; i < n; i++) p[i] = 0;
    return false;
  }
  return true;
}

}  // namespace tgmt
