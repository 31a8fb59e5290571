#include "cpu.h"

#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) || defined(_M_X64)
#if defined(_MSC_VER)
#include <intrin.h>
#else
#include <cpuid.h>
#endif
#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_AES
#define HWCAP_AES (1 << 3)
#endif
#ifndef HWCAP_SHA2
#define HWCAP_SHA2 (1 << 6)
#endif
#elif defined(_M_ARM64)
#include <windows.h>
#endif

namespace tgmt {
namespace {

CpuFeatures detect() {
  CpuFeatures f;
#if defined(__x86_64__) || defined(_M_X64)
  unsigned a = 0, b = 0, c = 0, d = 0;
#if defined(_MSC_VER)
  int r[4];
  __cpuid(r, 1);
  c = static_cast<unsigned>(r[2]);
  __cpuidex(r, 7, 0);
  b = static_cast<unsigned>(r[1]);
  unsigned c1 = c;
#else
  unsigned c1 = 0;
  if (__get_cpuid(1, &a, &b, &c1, &d)) {
    b = 0;
    __get_cpuid_count(7, 0, &a, &b, &c, &d);
  }
#endif
  const bool sse41 = c1 & (1u << 19);
  const bool ssse3 = c1 & (1u << 9);
  f.aes = (c1 & (1u << 25)) != 0;
  f.sha256 = (b & (1u << 29)) != 0 && sse41 && ssse3;
#elif defined(__aarch64__) && defined(__APPLE__)
  f.aes = true;  // every Apple arm64 core has the crypto extensions
  f.sha256 = true;
#elif defined(__aarch64__) && defined(__linux__)
  unsigned long hw = getauxval(AT_HWCAP);
  f.aes = (hw & HWCAP_AES) != 0;
  f.sha256 = (hw & HWCAP_SHA2) != 0;
#elif defined(_M_ARM64)
  f.aes = f.sha256 =
      IsProcessorFeaturePresent(PF_ARM_V8_CRYPTO_INSTRUCTIONS_AVAILABLE) != 0;
#endif
  // For testing the portable paths on capable hardware.
  const char* force = std::getenv("TELEGRAM_MT_CRYPTO_PORTABLE");
  if (force != nullptr && std::strcmp(force, "1") == 0) f = CpuFeatures{};
  return f;
}

}  // namespace

const CpuFeatures& cpuFeatures() {
  static const CpuFeatures f = detect();
  return f;
}

}  // namespace tgmt
