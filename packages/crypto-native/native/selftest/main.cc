// A standalone self-test of the native primitives without Node, used to
// check other architectures: scripts/selftest-arm64.sh cross-compiles it
// for aarch64 and runs it under qemu, on the ARMv8 AES path and the
// portable one. Not part of the addon build.
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include "aes.h"
#include "cpu.h"
#include "ctr.h"
#include "factorize.h"
#include "sha256.h"
using namespace tgmt;
static void hex(const char* s, uint8_t* out) { for (size_t i = 0; s[2*i]; i++) { unsigned v; sscanf(s + 2*i, "%2x", &v); out[i] = v; } }
int main() {
  printf("aes backend: %s, cpu aes=%d\n", igeBackend().name, cpuFeatures().aes);
  uint8_t key[32], pt[16], ct[16], iv[32] = {0}, out[16];
  hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", key);
  hex("00112233445566778899aabbccddeeff", pt); hex("8ea2b7ca516745bfeafc49904b496089", ct);
  igeBackend().encrypt(key, iv, pt, out, 16); int ok = memcmp(out, ct, 16) == 0;
  igeBackend().decrypt(key, iv, ct, out, 16); ok &= memcmp(out, pt, 16) == 0;
  // random agreement with portable, sizes up to 4 KiB, in place too
  srand(1); static uint8_t d[4096], a[4096], b[4096];
  for (int t = 0; t < 200; t++) {
    size_t n = 16 * (1 + rand() % 256);
    for (size_t i = 0; i < n; i++) d[i] = rand(); for (int i = 0; i < 32; i++) { key[i] = rand(); iv[i] = rand(); }
    igeBackend().encrypt(key, iv, d, a, n); igeEncryptPortable(key, iv, d, b, n); ok &= memcmp(a, b, n) == 0;
    igeBackend().decrypt(key, iv, a, a, n); ok &= memcmp(a, d, n) == 0;
  }
  uint64_t p, q; ok &= factorizePQ(0x17ED48941A08F981ULL, p, q) == FactorizeResult::kOk && p == 0x494C553B && q == 0x53911073;
  uint8_t dg[32]; sha256Concat((const uint8_t*)"ab", 2, (const uint8_t*)"c", 1, dg);
  uint8_t want[32]; hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", want); ok &= memcmp(dg, want, 32) == 0;
  // AES-256-CTR: SP 800-38A F.5.5 (two blocks), then the chosen path
  // against the portable one across a 2^64 carry and with odd cuts.
  { static uint8_t st[kCtrStateSize], st2[kCtrStateSize];
    uint8_t ck[32], civ[16], cp[32], cc[32], co[32];
    hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", ck);
    hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", civ);
    hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51", cp);
    hex("601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5", cc);
    ctrInit(ck, civ, st); ctrUpdate(st, cp, co, 5); ctrUpdate(st, cp + 5, co + 5, 27); ok &= memcmp(co, cc, 32) == 0;
    hex("00000000000000fffffffffffffffffa", civ);
    for (int t = 0; t < 50; t++) {
      size_t n = rand() % 4096; for (size_t i = 0; i < n; i++) d[i] = rand();
      ctrInit(ck, civ, st); ctrUpdate(st, d, a, n);
      ctrInit(ck, civ, st2); uint8_t* rk = st2 + kCtrRoundKeys; uint8_t* ctr = st2 + kCtrCounter;
      ctrBlocksPortable(rk, ctr, d, b, n / 16);
      uint8_t z[16] = {0}; ctrBlocksPortable(rk, ctr, z, z, 1);
      for (size_t i = n / 16 * 16; i < n; i++) b[i] = d[i] ^ z[i % 16];
      ok &= memcmp(a, b, n) == 0;
    }
    printf("ctr backend: %s\n", ctrBackendName()); }
  printf("%s\n", ok ? "selftest OK" : "selftest FAILED");
  return !ok;
}
