/* The speed limit of AES-256-IGE on this machine, with no call overhead:
 * a plain C AES-NI IGE loop (encrypt and decrypt, with the chain XORs
 * folded into the last round key as the addon does), and the bare latency
 * of 14 dependent AES rounds, which no IGE can beat. Prints JSON.
 * Built by bench/run.ts with: cc -O2 -maes bench/ige-bound.c */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time, as bench/harness.ts */
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static __m128i k[15], kd[15];

static void ige_encrypt(const uint8_t *in, uint8_t *out, size_t n, const uint8_t *iv) {
  __m128i pPrev = _mm_loadu_si128((const __m128i *)(iv + 16));
  __m128i pCur = _mm_loadu_si128((const __m128i *)in);
  __m128i s = _mm_xor_si128(_mm_xor_si128(pCur, _mm_loadu_si128((const __m128i *)iv)), k[0]);
  size_t blocks = n / 16;
  for (size_t i = 0; i < blocks; i++) {
    for (int r = 1; r < 14; r++) s = _mm_aesenc_si128(s, k[r]);
    if (i + 1 < blocks) {
      __m128i pNext = _mm_loadu_si128((const __m128i *)(in + 16 * (i + 1)));
      __m128i carry = _mm_xor_si128(pNext, k[0]);
      s = _mm_aesenclast_si128(s, _mm_xor_si128(_mm_xor_si128(k[14], pPrev), carry));
      _mm_storeu_si128((__m128i *)(out + 16 * i), _mm_xor_si128(s, carry));
      pPrev = pCur;
      pCur = pNext;
    } else {
      _mm_storeu_si128((__m128i *)(out + 16 * i), _mm_aesenclast_si128(s, _mm_xor_si128(k[14], pPrev)));
    }
  }
}

static void ige_decrypt(const uint8_t *in, uint8_t *out, size_t n, const uint8_t *iv) {
  __m128i cPrev = _mm_loadu_si128((const __m128i *)iv);
  __m128i cCur = _mm_loadu_si128((const __m128i *)in);
  __m128i s = _mm_xor_si128(_mm_xor_si128(cCur, _mm_loadu_si128((const __m128i *)(iv + 16))), kd[0]);
  size_t blocks = n / 16;
  for (size_t i = 0; i < blocks; i++) {
    for (int r = 1; r < 14; r++) s = _mm_aesdec_si128(s, kd[r]);
    if (i + 1 < blocks) {
      __m128i cNext = _mm_loadu_si128((const __m128i *)(in + 16 * (i + 1)));
      __m128i carry = _mm_xor_si128(cNext, kd[0]);
      s = _mm_aesdeclast_si128(s, _mm_xor_si128(_mm_xor_si128(kd[14], cPrev), carry));
      _mm_storeu_si128((__m128i *)(out + 16 * i), _mm_xor_si128(s, carry));
      cPrev = cCur;
      cCur = cNext;
    } else {
      _mm_storeu_si128((__m128i *)(out + 16 * i), _mm_aesdeclast_si128(s, _mm_xor_si128(kd[14], cPrev)));
    }
  }
}

/* Bytes per second for one size: the best of several short windows, since
 * the machines are shared and a neighbour can halve any single window. */
static double rate(int enc, size_t n, double budget) {
  uint8_t *in = malloc(n), *out = malloc(n), iv[32];
  memset(in, 0x5a, n);
  memset(iv, 0x33, 32);
  size_t batch = 1 + (1 << 16) / n;
  double best = 0;
  for (int w = 0; w < 8; w++) {
    long iters = 0;
    double start = now(), t;
    do {
      for (size_t j = 0; j < batch; j++) {
        if (enc) ige_encrypt(in, out, n, iv); else ige_decrypt(in, out, n, iv);
        /* Chain the calls as a stream would (next iv from this output),
         * so one call cannot overlap the next. */
        memcpy(enc ? iv : iv + 16, out + n - 16, 16);
      }
      iters += batch;
    } while ((t = now() - start) < budget / 8);
    if (iters * n / t > best) best = iters * n / t;
  }
  free(in);
  free(out);
  return best;
}

int main(int argc, char **argv) {
  double budget = argc > 1 ? atof(argv[1]) : 0.25;
  for (int r = 0; r < 15; r++) k[r] = _mm_set1_epi32(0x01020304 * (r + 1));
  kd[0] = k[14];
  for (int r = 1; r < 14; r++) kd[r] = _mm_aesimc_si128(k[14 - r]);
  kd[14] = k[0];

  /* Bare chain: 14 dependent AESENC per block-equivalent. */
  __m128i s = _mm_set1_epi32(7);
  double chain = 0;
  for (int w = 0; w < 8; w++) {
    long blocks = 0;
    double start = now(), t;
    do {
      for (int j = 0; j < 10000; j++) {
        for (int r = 0; r < 14; r++) s = _mm_aesenc_si128(s, k[r]);
      }
      blocks += 10000;
    } while ((t = now() - start) < budget / 8);
    if (blocks * 16.0 / t > chain) chain = blocks * 16.0 / t;
  }
  volatile int sink = _mm_cvtsi128_si32(s);
  (void)sink;

  static const size_t sizes[] = {64, 1024, 16384, 524288, 1048576};
  printf("{\"chain14\": %.1f", chain / 1e6);
  for (int enc = 1; enc >= 0; enc--) {
    printf(", \"%s\": {", enc ? "encrypt" : "decrypt");
    for (int i = 0; i < 5; i++) printf("%s\"%zu\": %.1f", i ? ", " : "", sizes[i], rate(enc, sizes[i], budget) / 1e6);
    printf("}");
  }
  printf("}\n");
  return 0;
}
