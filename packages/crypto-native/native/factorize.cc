#include "factorize.h"

#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#endif

namespace tgmt {
namespace {

// 64x64 -> 128-bit product as (hi, lo).
inline uint64_t mulHi(uint64_t a, uint64_t b, uint64_t& lo) {
#if defined(__SIZEOF_INT128__)
  unsigned __int128 t = static_cast<unsigned __int128>(a) * b;
  lo = static_cast<uint64_t>(t);
  return static_cast<uint64_t>(t >> 64);
#elif defined(_M_ARM64)
  lo = a * b;
  return __umulh(a, b);
#else
  uint64_t hi;
  lo = _umul128(a, b, &hi);
  return hi;
#endif
}

// Arithmetic modulo an odd n in Montgomery form (R = 2^64).
struct Montgomery {
  uint64_t n;
  uint64_t nInv;  // n^-1 mod 2^64
  uint64_t one;   // R mod n
  uint64_t r2;    // R^2 mod n

  explicit Montgomery(uint64_t modulus) : n(modulus) {
    uint64_t x = n;  // correct to 3 bits for odd n; each step doubles that
    for (int i = 0; i < 5; i++) x *= 2 - n * x;
    nInv = x;
    one = (~n + 1) % n;  // 2^64 mod n
    // R^2 mod n by doubling R mod n sixty-four times.
    uint64_t r = one;
    for (int i = 0; i < 64; i++) r = add(r, r);
    r2 = r;
  }

  // a * b / R mod n, for a, b < n.
  uint64_t mul(uint64_t a, uint64_t b) const {
    uint64_t lo;
    uint64_t hi = mulHi(a, b, lo);
    uint64_t m = lo * nInv;
    uint64_t mnLo;
    uint64_t mnHi = mulHi(m, n, mnLo);  // mnLo == lo by construction
    return hi >= mnHi ? hi - mnHi : hi - mnHi + n;
  }

  uint64_t add(uint64_t a, uint64_t b) const {
    uint64_t s = a + b;
    return (s < a || s >= n) ? s - n : s;
  }

  uint64_t sub(uint64_t a, uint64_t b) const { return a >= b ? a - b : a - b + n; }

  uint64_t toMont(uint64_t a) const { return mul(a % n, r2); }
};

uint64_t gcd(uint64_t a, uint64_t b) {
  while (b != 0) {
    uint64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// Deterministic Miller-Rabin for all 64-bit n (the seven-base set known to
// have no 64-bit strong pseudoprime).
bool millerRabin(uint64_t n) {
  static const uint64_t bases[] = {2, 325, 9375, 28178, 450775, 9780504,
                                   1795265022};
  Montgomery mg(n);
  uint64_t d = n - 1;
  int s = 0;
  while ((d & 1) == 0) { d >>= 1; s++; }
  const uint64_t minusOne = mg.sub(0, mg.one);
  for (uint64_t a : bases) {
    uint64_t am = a % n;
    if (am == 0) continue;
    uint64_t x = mg.one, base = mg.toMont(am);
    for (uint64_t e = d; e != 0; e >>= 1) {
      if (e & 1) x = mg.mul(x, base);
      base = mg.mul(base, base);
    }
    if (x == mg.one || x == minusOne) continue;
    bool composite = true;
    for (int i = 1; i < s && composite; i++) {
      x = mg.mul(x, x);
      if (x == minusOne) composite = false;
    }
    if (composite) return false;
  }
  return true;
}

// One Pollard-Brent run with f(y) = y^2 + c; returns a divisor of n, which
// is n itself when this c failed.
uint64_t pollardBrent(const Montgomery& mg, uint64_t c, uint64_t y0) {
  const uint64_t n = mg.n;
  const uint64_t batch = 128;  // gcd once per batch of products
  uint64_t y = mg.toMont(y0), cm = mg.toMont(c);
  uint64_t x = y, ys = y, q = mg.one, g = 1;
  for (uint64_t r = 1; g == 1; r <<= 1) {
    x = y;
    for (uint64_t i = 0; i < r; i++) y = mg.add(mg.mul(y, y), cm);
    for (uint64_t k = 0; k < r && g == 1; k += batch) {
      ys = y;
      uint64_t steps = r - k < batch ? r - k : batch;
      for (uint64_t i = 0; i < steps; i++) {
        y = mg.add(mg.mul(y, y), cm);
        q = mg.mul(q, x > y ? x - y : y - x);
      }
      g = gcd(q, n);
    }
    // Bound the work for one c; for a 64-bit composite the walk meets a
    // factor after ~2^16 steps, so this only ends pathological runs.
    if (r > (uint64_t(1) << 28)) return n;
  }
  if (g == n) {
    // The batch overshot: replay it one step at a time.
    do {
      ys = mg.add(mg.mul(ys, ys), cm);
      g = gcd(x > ys ? x - ys : ys - x, n);
    } while (g == 1);
  }
  return g;
}

}  // namespace

bool isPrime64(uint64_t n) {
  if (n < 2) return false;
  static const uint64_t small[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
  for (uint64_t p : small) {
    if (n == p) return true;
    if (n % p == 0) return false;
  }
  return millerRabin(n);
}

FactorizeResult factorizePQ(uint64_t pq, uint64_t& p, uint64_t& q) {
  if (pq <= 1) return FactorizeResult::kTooSmall;
  if (isPrime64(pq)) return FactorizeResult::kPrime;
  uint64_t d = 0;
  // Trial division first: tiny factors are cheap here, and rho's cycles
  // are degenerate for very small moduli.
  for (uint64_t t = 2; t < 256 && d == 0; t++) {
    if (pq % t == 0) d = t;
  }
  if (d == 0) {
    Montgomery mg(pq);
    // Deterministic sequence of (c, y0), so a given pq always takes the
    // same path; a failed c is rare and the next one almost always works.
    for (uint64_t c = 1; d == 0 || d == pq; c++) d = pollardBrent(mg, c, c + 1);
  }
  uint64_t e = pq / d;
  if (d > e) { uint64_t t = d; d = e; e = t; }
  if (!isPrime64(d) || !isPrime64(e)) return FactorizeResult::kNotSemiprime;
  p = d;
  q = e;
  return FactorizeResult::kOk;
}

}  // namespace tgmt
