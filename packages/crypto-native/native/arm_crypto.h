// For the ARMv8 AES translation units only (aes_arm.cc, ctr_arm.cc), inside
// their aarch64 guard: it enables the Cryptography Extensions for the rest of
// the file, so it must never reach code that runs on a CPU without them.
#pragma once

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC target("+crypto")
#endif
#include <arm_neon.h>

// clang takes the feature per function instead of per file.
#if defined(__clang__)
#define TGMT_TARGET_AES __attribute__((target("aes")))
#else
#define TGMT_TARGET_AES
#endif
