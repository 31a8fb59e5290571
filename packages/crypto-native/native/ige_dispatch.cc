#include "aes.h"
#include "cpu.h"

namespace tgmt {
namespace {

IgeBackend choose() {
#if TGMT_HAVE_AESNI
  if (cpuFeatures().aes) return {"aes-ni", igeEncryptAesNi, igeDecryptAesNi};
#endif
#if TGMT_HAVE_ARMV8_AES
  if (cpuFeatures().aes) return {"armv8-aes", igeEncryptArmv8, igeDecryptArmv8};
#endif
  return {"portable", igeEncryptPortable, igeDecryptPortable};
}

}  // namespace

const IgeBackend& igeBackend() {
  static const IgeBackend b = choose();
  return b;
}

}  // namespace tgmt
