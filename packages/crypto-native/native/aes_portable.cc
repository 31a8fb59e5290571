// Table-driven AES-256 for CPUs without AES instructions. The tables are
// derived at first use from the field arithmetic rather than pasted in.
#include <cstring>

#include "aes.h"
#include "ctr.h"

namespace tgmt {
namespace {

struct Tables {
  uint8_t sbox[256];
  uint8_t invSbox[256];
  uint32_t te[4][256];  // SubBytes + MixColumns, one table per row rotation
  uint32_t td[4][256];  // InvSubBytes + InvMixColumns
};

inline uint8_t rotl8(uint8_t x, int s) {
  return static_cast<uint8_t>((x << s) | (x >> (8 - s)));
}

inline uint8_t gmul(uint8_t a, uint8_t b) {
  uint8_t r = 0;
  while (b) {
    if (b & 1) r ^= a;
    a = static_cast<uint8_t>((a << 1) ^ ((a & 0x80) ? 0x1b : 0));
    b >>= 1;
  }
  return r;
}

inline uint32_t rotr32(uint32_t x, int s) { return (x >> s) | (x << (32 - s)); }

Tables buildTables() {
  Tables t{};
  // Walk the multiplicative group with generator 3 (p) and its inverse (q),
  // so q = p^-1 at every step; the S-box is the affine map of the inverse.
  uint8_t p = 1, q = 1;
  do {
    p = static_cast<uint8_t>(p ^ (p << 1) ^ ((p & 0x80) ? 0x1b : 0));
    q ^= static_cast<uint8_t>(q << 1);
    q ^= static_cast<uint8_t>(q << 2);
    q ^= static_cast<uint8_t>(q << 4);
    if (q & 0x80) q ^= 0x09;
    uint8_t s = q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4);
    t.sbox[p] = s ^ 0x63;
  } while (p != 1);
  t.sbox[0] = 0x63;
  for (int i = 0; i < 256; i++) t.invSbox[t.sbox[i]] = static_cast<uint8_t>(i);

  for (int i = 0; i < 256; i++) {
    uint8_t s = t.sbox[i];
    uint32_t e = (uint32_t(gmul(s, 2)) << 24) | (uint32_t(s) << 16) |
                 (uint32_t(s) << 8) | gmul(s, 3);
    uint8_t v = t.invSbox[i];
    uint32_t d = (uint32_t(gmul(v, 14)) << 24) | (uint32_t(gmul(v, 9)) << 16) |
                 (uint32_t(gmul(v, 13)) << 8) | gmul(v, 11);
    for (int r = 0; r < 4; r++) {
      t.te[r][i] = r ? rotr32(e, 8 * r) : e;
      t.td[r][i] = r ? rotr32(d, 8 * r) : d;
    }
  }
  return t;
}

const Tables& tables() {
  static const Tables t = buildTables();
  return t;
}

inline uint32_t load32be(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) |
         (uint32_t(p[2]) << 8) | p[3];
}

inline void store32be(uint8_t* p, uint32_t v) {
  p[0] = uint8_t(v >> 24);
  p[1] = uint8_t(v >> 16);
  p[2] = uint8_t(v >> 8);
  p[3] = uint8_t(v);
}

void expandWords(const uint8_t key[32], uint32_t w[60]) {
  const Tables& t = tables();
  for (int i = 0; i < 8; i++) w[i] = load32be(key + 4 * i);
  uint32_t rcon = 0x01000000;
  for (int i = 8; i < 60; i++) {
    uint32_t x = w[i - 1];
    if (i % 8 == 0) {
      x = (x << 8) | (x >> 24);
      x = (uint32_t(t.sbox[x >> 24]) << 24) |
          (uint32_t(t.sbox[(x >> 16) & 255]) << 16) |
          (uint32_t(t.sbox[(x >> 8) & 255]) << 8) | t.sbox[x & 255];
      x ^= rcon;
      rcon = ((rcon << 1) ^ ((rcon & 0x80000000u) ? 0x1b000000u : 0)) ;
    } else if (i % 8 == 4) {
      x = (uint32_t(t.sbox[x >> 24]) << 24) |
          (uint32_t(t.sbox[(x >> 16) & 255]) << 16) |
          (uint32_t(t.sbox[(x >> 8) & 255]) << 8) | t.sbox[x & 255];
    }
    w[i] = w[i - 8] ^ x;
  }
}

// Round keys for the equivalent inverse cipher: reversed, with
// InvMixColumns applied to the middle ones.
void decryptWords(const uint32_t enc[60], uint32_t dec[60]) {
  const Tables& t = tables();
  for (int r = 0; r <= kAes256Rounds; r++) {
    for (int c = 0; c < 4; c++) {
      uint32_t w = enc[4 * (kAes256Rounds - r) + c];
      if (r != 0 && r != kAes256Rounds) {
        w = t.td[0][t.sbox[w >> 24]] ^ t.td[1][t.sbox[(w >> 16) & 255]] ^
            t.td[2][t.sbox[(w >> 8) & 255]] ^ t.td[3][t.sbox[w & 255]];
      }
      dec[4 * r + c] = w;
    }
  }
}

inline void encryptBlock(const Tables& t, const uint32_t* rk, uint32_t s[4]) {
  uint32_t s0 = s[0] ^ rk[0], s1 = s[1] ^ rk[1], s2 = s[2] ^ rk[2],
           s3 = s[3] ^ rk[3];
  for (int r = 1; r < kAes256Rounds; r++) {
    const uint32_t* k = rk + 4 * r;
    uint32_t t0 = t.te[0][s0 >> 24] ^ t.te[1][(s1 >> 16) & 255] ^
                  t.te[2][(s2 >> 8) & 255] ^ t.te[3][s3 & 255] ^ k[0];
    uint32_t t1 = t.te[0][s1 >> 24] ^ t.te[1][(s2 >> 16) & 255] ^
                  t.te[2][(s3 >> 8) & 255] ^ t.te[3][s0 & 255] ^ k[1];
    uint32_t t2 = t.te[0][s2 >> 24] ^ t.te[1][(s3 >> 16) & 255] ^
                  t.te[2][(s0 >> 8) & 255] ^ t.te[3][s1 & 255] ^ k[2];
    uint32_t t3 = t.te[0][s3 >> 24] ^ t.te[1][(s0 >> 16) & 255] ^
                  t.te[2][(s1 >> 8) & 255] ^ t.te[3][s2 & 255] ^ k[3];
    s0 = t0; s1 = t1; s2 = t2; s3 = t3;
  }
  const uint32_t* k = rk + 4 * kAes256Rounds;
  const uint8_t* S = t.sbox;
  s[0] = ((uint32_t(S[s0 >> 24]) << 24) | (uint32_t(S[(s1 >> 16) & 255]) << 16) |
          (uint32_t(S[(s2 >> 8) & 255]) << 8) | S[s3 & 255]) ^ k[0];
  s[1] = ((uint32_t(S[s1 >> 24]) << 24) | (uint32_t(S[(s2 >> 16) & 255]) << 16) |
          (uint32_t(S[(s3 >> 8) & 255]) << 8) | S[s0 & 255]) ^ k[1];
  s[2] = ((uint32_t(S[s2 >> 24]) << 24) | (uint32_t(S[(s3 >> 16) & 255]) << 16) |
          (uint32_t(S[(s0 >> 8) & 255]) << 8) | S[s1 & 255]) ^ k[2];
  s[3] = ((uint32_t(S[s3 >> 24]) << 24) | (uint32_t(S[(s0 >> 16) & 255]) << 16) |
          (uint32_t(S[(s1 >> 8) & 255]) << 8) | S[s2 & 255]) ^ k[3];
}

inline void decryptBlock(const Tables& t, const uint32_t* rk, uint32_t s[4]) {
  uint32_t s0 = s[0] ^ rk[0], s1 = s[1] ^ rk[1], s2 = s[2] ^ rk[2],
           s3 = s[3] ^ rk[3];
  for (int r = 1; r < kAes256Rounds; r++) {
    const uint32_t* k = rk + 4 * r;
    uint32_t t0 = t.td[0][s0 >> 24] ^ t.td[1][(s3 >> 16) & 255] ^
                  t.td[2][(s2 >> 8) & 255] ^ t.td[3][s1 & 255] ^ k[0];
    uint32_t t1 = t.td[0][s1 >> 24] ^ t.td[1][(s0 >> 16) & 255] ^
                  t.td[2][(s3 >> 8) & 255] ^ t.td[3][s2 & 255] ^ k[1];
    uint32_t t2 = t.td[0][s2 >> 24] ^ t.td[1][(s1 >> 16) & 255] ^
                  t.td[2][(s0 >> 8) & 255] ^ t.td[3][s3 & 255] ^ k[2];
    uint32_t t3 = t.td[0][s3 >> 24] ^ t.td[1][(s2 >> 16) & 255] ^
                  t.td[2][(s1 >> 8) & 255] ^ t.td[3][s0 & 255] ^ k[3];
    s0 = t0; s1 = t1; s2 = t2; s3 = t3;
  }
  const uint32_t* k = rk + 4 * kAes256Rounds;
  const uint8_t* S = t.invSbox;
  s[0] = ((uint32_t(S[s0 >> 24]) << 24) | (uint32_t(S[(s3 >> 16) & 255]) << 16) |
          (uint32_t(S[(s2 >> 8) & 255]) << 8) | S[s1 & 255]) ^ k[0];
  s[1] = ((uint32_t(S[s1 >> 24]) << 24) | (uint32_t(S[(s0 >> 16) & 255]) << 16) |
          (uint32_t(S[(s3 >> 8) & 255]) << 8) | S[s2 & 255]) ^ k[1];
  s[2] = ((uint32_t(S[s2 >> 24]) << 24) | (uint32_t(S[(s1 >> 16) & 255]) << 16) |
          (uint32_t(S[(s0 >> 8) & 255]) << 8) | S[s3 & 255]) ^ k[2];
  s[3] = ((uint32_t(S[s3 >> 24]) << 24) | (uint32_t(S[(s2 >> 16) & 255]) << 16) |
          (uint32_t(S[(s1 >> 8) & 255]) << 8) | S[s0 & 255]) ^ k[3];
}

}  // namespace

void aes256ExpandKey(const uint8_t key[32], Aes256RoundKeys& out) {
  uint32_t w[60];
  expandWords(key, w);
  for (int i = 0; i < 60; i++) store32be(out.bytes + 4 * i, w[i]);
}

void igeEncryptPortable(const uint8_t key[32], const uint8_t iv[32],
                        const uint8_t* in, uint8_t* out, size_t n) {
  const Tables& t = tables();
  uint32_t rk[60];
  expandWords(key, rk);
  uint32_t c[4], p[4];  // previous ciphertext, previous plaintext
  for (int j = 0; j < 4; j++) {
    c[j] = load32be(iv + 4 * j);
    p[j] = load32be(iv + 16 + 4 * j);
  }
  for (size_t off = 0; off < n; off += kAesBlock) {
    uint32_t x[4], s[4];
    for (int j = 0; j < 4; j++) {
      x[j] = load32be(in + off + 4 * j);
      s[j] = x[j] ^ c[j];
    }
    encryptBlock(t, rk, s);
    for (int j = 0; j < 4; j++) {
      c[j] = s[j] ^ p[j];
      p[j] = x[j];
      store32be(out + off + 4 * j, c[j]);
    }
  }
}

void igeDecryptPortable(const uint8_t key[32], const uint8_t iv[32],
                        const uint8_t* in, uint8_t* out, size_t n) {
  const Tables& t = tables();
  uint32_t ek[60], rk[60];
  expandWords(key, ek);
  decryptWords(ek, rk);
  uint32_t c[4], p[4];
  for (int j = 0; j < 4; j++) {
    c[j] = load32be(iv + 4 * j);
    p[j] = load32be(iv + 16 + 4 * j);
  }
  for (size_t off = 0; off < n; off += kAesBlock) {
    uint32_t y[4], s[4];
    for (int j = 0; j < 4; j++) {
      y[j] = load32be(in + off + 4 * j);
      s[j] = y[j] ^ p[j];
    }
    decryptBlock(t, rk, s);
    for (int j = 0; j < 4; j++) {
      p[j] = s[j] ^ c[j];
      c[j] = y[j];
      store32be(out + off + 4 * j, p[j]);
    }
  }
}

void ctrBlocksPortable(const uint8_t* roundKeys, uint8_t ctr[16],
                       const uint8_t* in, uint8_t* out, size_t blocks) {
  const Tables& t = tables();
  uint32_t rk[60];
  for (int i = 0; i < 60; i++) rk[i] = load32be(roundKeys + 4 * i);
  uint64_t hi = load64be(ctr), lo = load64be(ctr + 8);
  for (size_t b = 0; b < blocks; b++, in += kAesBlock, out += kAesBlock) {
    uint32_t s[4] = {uint32_t(hi >> 32), uint32_t(hi), uint32_t(lo >> 32),
                     uint32_t(lo)};
    if (++lo == 0) ++hi;
    encryptBlock(t, rk, s);
    for (int j = 0; j < 4; j++) store32be(out + 4 * j, load32be(in + 4 * j) ^ s[j]);
  }
  store64be(ctr, hi);
  store64be(ctr + 8, lo);
}

}  // namespace tgmt
