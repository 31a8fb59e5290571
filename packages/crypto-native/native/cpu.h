// Run-time CPU feature detection: the addon is built for the baseline ISA
// and picks its fast paths once per process.
#pragma once

namespace tgmt {

struct CpuFeatures {
  bool aes = false;    // AES-NI (x86-64) or the ARMv8 AES instructions
  bool sha256 = false; // SHA-NI (x86-64) or the ARMv8 SHA-256 instructions
};

const CpuFeatures& cpuFeatures();

}  // namespace tgmt
