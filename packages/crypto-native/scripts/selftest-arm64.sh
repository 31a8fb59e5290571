#!/bin/sh
# Cross-compiles native/ for aarch64 and runs native/selftest under qemu:
# FIPS-197 through IGE, 200 random sizes against the portable AES (in place
# too), the sample pq and a SHA-256 vector; once on the ARMv8 AES path and
# once with TELEGRAM_MT_CRYPTO_PORTABLE=1; AES-256-CTR likewise.
# Needs (Debian): g++-aarch64-linux-gnu qemu-user
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
n="$here/native"
aarch64-linux-gnu-g++ -O2 -std=c++17 -static -I"$n" "$n/selftest/main.cc" \
  "$n/aes_arm.cc" "$n/aes_portable.cc" "$n/aes_x86.cc" "$n/ige_dispatch.cc" "$n/cpu.cc" \
  "$n/sha256.cc" "$n/sha256_x86.cc" "$n/ige_sha256_pair_x86.cc" "$n/factorize.cc" "$n/mtproto.cc" \
  "$n/ctr.cc" "$n/ctr_x86.cc" "$n/ctr_arm.cc" -o "$out/selftest"
qemu-aarch64 -cpu max "$out/selftest"
TELEGRAM_MT_CRYPTO_PORTABLE=1 qemu-aarch64 -cpu max "$out/selftest"
