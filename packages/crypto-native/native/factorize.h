// pq factorization for the auth-key handshake: Pollard's rho with Brent's
// cycle finding, in Montgomery arithmetic modulo a 64-bit pq.
#pragma once

#include <cstdint>

namespace tgmt {

enum class FactorizeResult {
  kOk,           // p * q == pq, p <= q, both prime
  kTooSmall,     // pq <= 1
  kPrime,        // pq is prime
  kNotSemiprime, // pq has more than two prime factors
};

FactorizeResult factorizePQ(uint64_t pq, uint64_t& p, uint64_t& q);

bool isPrime64(uint64_t n);

}  // namespace tgmt
