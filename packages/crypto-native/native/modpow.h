// Modular exponentiation for the auth-key handshake's Diffie–Hellman
// (g^b mod p and g_a^b mod p), run by OpenSSL on libuv's thread pool so the
// ~2 ms of a 2048-bit exponentiation overlaps the handshake's round trips.
#pragma once

#include <node_api.h>

#include <cstddef>
#include <cstdint>

namespace tgmt {

// Largest base, exponent and modulus accepted, in bytes (4096 bits).
constexpr size_t kModPowMaxBytes = 512;

// base^exponent mod modulus, big-endian unsigned bytes, written to `out`
// left-padded to modLen bytes. The exponent is treated as secret
// (BN_mod_exp_mont_consttime). The modulus must be odd and greater than 1;
// the base may exceed it. Returns false only if OpenSSL fails (allocation).
bool modPow(const uint8_t* base, size_t baseLen, const uint8_t* exp,
            size_t expLen, const uint8_t* mod, size_t modLen, uint8_t* out);

// Whether the OpenSSL functions modPow calls are present in this process.
// Node exports its libcrypto, but other runtimes that load N-API addons may
// not, and Node loads addons with lazy binding: a missing function would
// abort the process at its first call instead of failing at load.
bool modPowLinked();

// Copies the three (already checked) inputs, queues modPow on the thread
// pool and returns a promise for a new Buffer of modLen bytes. Returns
// nullptr with a pending JS exception if the work cannot be queued.
napi_value startModPow(napi_env env, const uint8_t* base, size_t baseLen,
                       const uint8_t* exp, size_t expLen, const uint8_t* mod,
                       size_t modLen);

}  // namespace tgmt
