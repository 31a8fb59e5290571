// The N-API surface. Every argument is checked here, with the same
// TypeError/RangeError messages the TypeScript backend throws (see
// src/validate.ts), so no input can reach the primitives with a wrong size.
//
// The hot entry points use the C API directly: one napi_get_cb_info and one
// napi_get_typedarray_info per argument, which is most of the cost of a call
// on small packets.
#include <napi.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "aes.h"
#include "cpu.h"
#include "ctr.h"
#include "factorize.h"
#include "memory.h"
#include "modpow.h"
#include "mtproto.h"
#include "sha256.h"

namespace {

struct Bytes {
  uint8_t* data;
  size_t length;
};

napi_value throwType(napi_env env, const std::string& msg) {
  napi_throw_type_error(env, nullptr, msg.c_str());
  return nullptr;
}

napi_value throwRange(napi_env env, const std::string& msg) {
  napi_throw_range_error(env, nullptr, msg.c_str());
  return nullptr;
}

// Reads a Uint8Array argument; throws and returns false otherwise. A
// detached buffer reads as zero bytes, which the length checks then reject.
bool getBytes(napi_env env, napi_value v, const char* name, Bytes& out) {
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, nullptr,
                               nullptr) != napi_ok ||
      type != napi_uint8_array) {
    throwType(env, std::string(name) + " must be a Uint8Array");
    return false;
  }
  out.data = static_cast<uint8_t*>(data);
  out.length = data == nullptr ? 0 : length;
  return true;
}

bool checkExact(napi_env env, const Bytes& b, const char* name, size_t want) {
  if (b.length == want) return true;
  throwRange(env, std::string(name) + " must be " + std::to_string(want) +
                      " bytes long, got " + std::to_string(b.length));
  return false;
}

bool checkAtMost(napi_env env, const Bytes& b, const char* name, size_t max) {
  if (b.length <= max) return true;
  throwRange(env, std::string(name) + " must be at most " +
                      std::to_string(max) + " bytes long, got " +
                      std::to_string(b.length));
  return false;
}

bool checkBlocks(napi_env env, const Bytes& b, const char* name) {
  if (b.length % tgmt::kAesBlock == 0) return true;
  throwRange(env, std::string(name) + " length must be a multiple of 16, got " +
                      std::to_string(b.length));
  return false;
}

bool checkOut(napi_env env, const Bytes& out, size_t need,
              const char* outName = "out") {
  if (out.length >= need) return true;
  throwRange(env, std::string(outName) + " must be at least " + std::to_string(need) +
                      " bytes long, got " + std::to_string(out.length));
  return false;
}

// The output region must coincide with the input region or miss it
// entirely: a shifted overlap would overwrite input not yet read.
bool checkOverlap(napi_env env, const uint8_t* dst, const uint8_t* src,
                  size_t n, const char* name, const char* outName = "out") {
  if (n == 0 || dst == src) return true;
  if (dst + n <= src || src + n <= dst) return true;
  throwRange(env, std::string(outName) + " must not partially overlap " + name);
  return false;
}

bool getDirection(napi_env env, napi_value v, int& x, const char* name = "x") {
  double d = -1;
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t == napi_number) napi_get_value_double(env, v, &d);
  if (d == 0 || d == 8) {
    x = static_cast<int>(d);
    return true;
  }
  throwRange(env, std::string(name) +
                      " must be 0 (client to server) or 8 (server to client)");
  return false;
}

template <size_t N>
bool getArgs(napi_env env, napi_callback_info info, napi_value (&argv)[N]) {
  size_t argc = N;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) {
    return false;
  }
  napi_value undef;
  napi_get_undefined(env, &undef);
  for (size_t i = argc; i < N; i++) argv[i] = undef;
  return true;
}

// igeEncrypt(data, key, iv, out) / igeDecrypt(data, key, iv, out)
template <bool kEncrypt>
napi_value Ige(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!getArgs(env, info, argv)) return nullptr;
  Bytes data, key, iv, out;
  if (!getBytes(env, argv[0], "data", data) ||
      !getBytes(env, argv[1], "key", key) ||
      !getBytes(env, argv[2], "iv", iv) ||
      !getBytes(env, argv[3], "out", out) ||
      !checkExact(env, key, "key", 32) || !checkExact(env, iv, "iv", 32) ||
      !checkBlocks(env, data, "data") || !checkOut(env, out, data.length) ||
      !checkOverlap(env, out.data, data.data, data.length, "data")) {
    return nullptr;
  }
  // key and iv are copied first, so out may even alias them.
  uint8_t k[32], v[32];
  std::memcpy(k, key.data, 32);
  std::memcpy(v, iv.data, 32);
  const tgmt::IgeBackend& b = tgmt::igeBackend();
  (kEncrypt ? b.encrypt : b.decrypt)(k, v, data.data, out.data, data.length);
  return nullptr;
}

// The AES-256-CTR state lives in a Uint8Array the JS side owns (see
// ctr.h); it is never handed to user code, but its size is still checked.
bool getCtrState(napi_env env, napi_value v, Bytes& state) {
  if (!getBytes(env, v, "state", state)) return false;
  if (state.length == tgmt::kCtrStateSize) return true;
  throwRange(env, "state must be " + std::to_string(tgmt::kCtrStateSize) +
                      " bytes long");
  return false;
}

// ctrInit(key, iv, state)
napi_value CtrInit(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!getArgs(env, info, argv)) return nullptr;
  Bytes key, iv, state;
  if (!getBytes(env, argv[0], "key", key) ||
      !getBytes(env, argv[1], "iv", iv) ||
      !checkExact(env, key, "key", 32) || !checkExact(env, iv, "iv", 16) ||
      !getCtrState(env, argv[2], state)) {
    return nullptr;
  }
  uint8_t k[32], v[16];
  std::memcpy(k, key.data, 32);
  std::memcpy(v, iv.data, 16);
  tgmt::ctrInit(k, v, state.data);
  return nullptr;
}

// ctrUpdate(state, data, out)
napi_value CtrUpdate(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!getArgs(env, info, argv)) return nullptr;
  Bytes state, data, out;
  if (!getCtrState(env, argv[0], state) ||
      !getBytes(env, argv[1], "data", data) ||
      !getBytes(env, argv[2], "out", out) ||
      !checkOut(env, out, data.length) ||
      !checkOverlap(env, out.data, data.data, data.length, "data")) {
    return nullptr;
  }
  tgmt::ctrUpdate(state.data, data.data, out.data, data.length);
  return nullptr;
}

// mtprotoEncrypt(authKey, x, plaintext, out)
napi_value MtprotoEncrypt(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!getArgs(env, info, argv)) return nullptr;
  Bytes authKey, plaintext, out;
  int x;
  if (!getBytes(env, argv[0], "authKey", authKey) ||
      !getDirection(env, argv[1], x) ||
      !getBytes(env, argv[2], "plaintext", plaintext) ||
      !getBytes(env, argv[3], "out", out) ||
      !checkExact(env, authKey, "authKey", tgmt::kAuthKeySize) ||
      !checkBlocks(env, plaintext, "plaintext") ||
      !checkOut(env, out, tgmt::kMsgKeySize + plaintext.length) ||
      !checkOverlap(env, out.data + tgmt::kMsgKeySize, plaintext.data,
                    plaintext.length, "plaintext")) {
    return nullptr;
  }
  uint8_t ak[tgmt::kAuthKeySize];
  std::memcpy(ak, authKey.data, sizeof ak);
  tgmt::mtprotoEncrypt(ak, x, plaintext.data, plaintext.length, out.data);
  return nullptr;
}

// One message of mtprotoEncryptPair: its four arguments, checked in
// MtprotoEncrypt's order with "1"/"2" appended to every name.
struct PairMessage {
  Bytes authKey, plaintext, out;
  int x;
  // What the call writes: msg_key then the ciphertext.
  size_t written() const { return tgmt::kMsgKeySize + plaintext.length; }
};

bool getPairMessage(napi_env env, const napi_value* argv, char id,
                    PairMessage& m) {
  const std::string n(1, id);
  const std::string authKey = "authKey" + n, x = "x" + n,
                    plaintext = "plaintext" + n, out = "out" + n;
  return getBytes(env, argv[0], authKey.c_str(), m.authKey) &&
         getDirection(env, argv[1], m.x, x.c_str()) &&
         getBytes(env, argv[2], plaintext.c_str(), m.plaintext) &&
         getBytes(env, argv[3], out.c_str(), m.out) &&
         checkExact(env, m.authKey, authKey.c_str(), tgmt::kAuthKeySize) &&
         checkBlocks(env, m.plaintext, plaintext.c_str()) &&
         checkOut(env, m.out, m.written(), out.c_str()) &&
         checkOverlap(env, m.out.data + tgmt::kMsgKeySize, m.plaintext.data,
                      m.plaintext.length, plaintext.c_str(), out.c_str());
}

bool disjoint(const uint8_t* a, size_t aLen, const uint8_t* b, size_t bLen) {
  if (aLen == 0 || bLen == 0) return true;
  const uintptr_t pa = reinterpret_cast<uintptr_t>(a);
  const uintptr_t pb = reinterpret_cast<uintptr_t>(b);
  return pa + aLen <= pb || pb + bLen <= pa;
}

// What message `mine` writes must miss every buffer of `theirs`: the two
// are interleaved, so sharing would not give the two-calls result.
bool checkApart(napi_env env, const PairMessage& mine, char i,
                const PairMessage& theirs, char j) {
  const Bytes* bufs[3] = {&theirs.authKey, &theirs.plaintext, &theirs.out};
  const size_t lens[3] = {tgmt::kAuthKeySize, theirs.plaintext.length,
                          theirs.written()};
  const char* names[3] = {"authKey", "plaintext", "out"};
  for (int k = 0; k < 3; k++) {
    if (!disjoint(mine.out.data, mine.written(), bufs[k]->data, lens[k])) {
      throwRange(env, std::string("out") + i + " must not overlap " +
                          names[k] + j);
      return false;
    }
  }
  return true;
}

// mtprotoEncryptPair(authKey1, x1, plaintext1, out1,
//                    authKey2, x2, plaintext2, out2)
napi_value MtprotoEncryptPair(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  if (!getArgs(env, info, argv)) return nullptr;
  PairMessage m1, m2;
  if (!getPairMessage(env, argv, '1', m1) ||
      !getPairMessage(env, argv + 4, '2', m2) ||
      !checkApart(env, m1, '1', m2, '2') ||
      !checkApart(env, m2, '2', m1, '1')) {
    return nullptr;
  }
  uint8_t ak1[tgmt::kAuthKeySize], ak2[tgmt::kAuthKeySize];
  std::memcpy(ak1, m1.authKey.data, sizeof ak1);
  std::memcpy(ak2, m2.authKey.data, sizeof ak2);
  tgmt::mtprotoEncryptPair(ak1, m1.x, m1.plaintext.data, m1.plaintext.length,
                           m1.out.data, ak2, m2.x, m2.plaintext.data,
                           m2.plaintext.length, m2.out.data);
  return nullptr;
}

// mtprotoDecrypt(authKey, x, msgKey, ciphertext, out) -> boolean
napi_value MtprotoDecrypt(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!getArgs(env, info, argv)) return nullptr;
  Bytes authKey, msgKey, ciphertext, out;
  int x;
  if (!getBytes(env, argv[0], "authKey", authKey) ||
      !getDirection(env, argv[1], x) ||
      !getBytes(env, argv[2], "msgKey", msgKey) ||
      !getBytes(env, argv[3], "ciphertext", ciphertext) ||
      !getBytes(env, argv[4], "out", out) ||
      !checkExact(env, authKey, "authKey", tgmt::kAuthKeySize) ||
      !checkExact(env, msgKey, "msgKey", tgmt::kMsgKeySize) ||
      !checkBlocks(env, ciphertext, "ciphertext") ||
      !checkOut(env, out, ciphertext.length) ||
      !checkOverlap(env, out.data, ciphertext.data, ciphertext.length,
                    "ciphertext")) {
    return nullptr;
  }
  uint8_t ak[tgmt::kAuthKeySize];
  std::memcpy(ak, authKey.data, sizeof ak);
  bool ok = tgmt::mtprotoDecrypt(ak, x, msgKey.data, ciphertext.data,
                                 ciphertext.length, out.data);
  napi_value result;
  napi_get_boolean(env, ok, &result);
  return result;
}

// One message of mtprotoDecryptPair: its five arguments, checked in
// MtprotoDecrypt's order with "1"/"2" appended to every name.
struct DecryptPairMessage {
  Bytes authKey, msgKey, ciphertext, out;
  int x;
};

bool getDecryptPairMessage(napi_env env, const napi_value* argv, char id,
                           DecryptPairMessage& m) {
  const std::string n(1, id);
  const std::string authKey = "authKey" + n, x = "x" + n, msgKey = "msgKey" + n,
                    ciphertext = "ciphertext" + n, out = "out" + n;
  return getBytes(env, argv[0], authKey.c_str(), m.authKey) &&
         getDirection(env, argv[1], m.x, x.c_str()) &&
         getBytes(env, argv[2], msgKey.c_str(), m.msgKey) &&
         getBytes(env, argv[3], ciphertext.c_str(), m.ciphertext) &&
         getBytes(env, argv[4], out.c_str(), m.out) &&
         checkExact(env, m.authKey, authKey.c_str(), tgmt::kAuthKeySize) &&
         checkExact(env, m.msgKey, msgKey.c_str(), tgmt::kMsgKeySize) &&
         checkBlocks(env, m.ciphertext, ciphertext.c_str()) &&
         checkOut(env, m.out, m.ciphertext.length, out.c_str()) &&
         checkOverlap(env, m.out.data, m.ciphertext.data, m.ciphertext.length,
                      ciphertext.c_str(), out.c_str());
}

// What message `mine` writes (and zeroes on a mismatch) must miss every
// buffer of `theirs`: the two are decrypted side by side.
bool checkDecryptApart(napi_env env, const DecryptPairMessage& mine, char i,
                       const DecryptPairMessage& theirs, char j) {
  const Bytes* bufs[4] = {&theirs.authKey, &theirs.msgKey, &theirs.ciphertext,
                          &theirs.out};
  const size_t lens[4] = {tgmt::kAuthKeySize, tgmt::kMsgKeySize,
                          theirs.ciphertext.length, theirs.ciphertext.length};
  const char* names[4] = {"authKey", "msgKey", "ciphertext", "out"};
  for (int k = 0; k < 4; k++) {
    if (!disjoint(mine.out.data, mine.ciphertext.length, bufs[k]->data,
                  lens[k])) {
      throwRange(env, std::string("out") + i + " must not overlap " +
                          names[k] + j);
      return false;
    }
  }
  return true;
}

// mtprotoDecryptPair(authKey1, x1, msgKey1, ciphertext1, out1,
//                    authKey2, x2, msgKey2, ciphertext2, out2) -> number
// (bit 0: message 1's msg_key matched, bit 1: message 2's)
napi_value MtprotoDecryptPair(napi_env env, napi_callback_info info) {
  napi_value argv[10];
  if (!getArgs(env, info, argv)) return nullptr;
  DecryptPairMessage m1, m2;
  if (!getDecryptPairMessage(env, argv, '1', m1) ||
      !getDecryptPairMessage(env, argv + 5, '2', m2) ||
      !checkDecryptApart(env, m1, '1', m2, '2') ||
      !checkDecryptApart(env, m2, '2', m1, '1')) {
    return nullptr;
  }
  // Copied as in MtprotoDecrypt: out_i may overlap its own authKey_i.
  uint8_t ak1[tgmt::kAuthKeySize], ak2[tgmt::kAuthKeySize];
  std::memcpy(ak1, m1.authKey.data, sizeof ak1);
  std::memcpy(ak2, m2.authKey.data, sizeof ak2);
  const unsigned ok = tgmt::mtprotoDecryptPair(
      ak1, m1.x, m1.msgKey.data, m1.ciphertext.data, m1.ciphertext.length,
      m1.out.data, ak2, m2.x, m2.msgKey.data, m2.ciphertext.data,
      m2.ciphertext.length, m2.out.data);
  napi_value result;
  napi_create_uint32(env, ok, &result);
  return result;
}

// factorizePQ(pq: bigint) -> [p, q]
napi_value FactorizePQ(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!getArgs(env, info, argv)) return nullptr;
  napi_valuetype t;
  napi_typeof(env, argv[0], &t);
  if (t != napi_bigint) return throwType(env, "pq must be a bigint");
  // Sign and magnitude from the words, so negative and >64-bit values are
  // told apart from in-range ones exactly.
  int sign = 0;
  size_t words = 2;
  uint64_t w[2] = {0, 0};
  napi_get_value_bigint_words(env, argv[0], &sign, &words, w);
  if (sign != 0 || (words == 1 && w[0] <= 1) || words == 0) {
    return throwRange(env, "pq must be greater than 1");
  }
  if (words > 1) return throwRange(env, "pq must be below 2^64");
  uint64_t p = 0, q = 0;
  switch (tgmt::factorizePQ(w[0], p, q)) {
    case tgmt::FactorizeResult::kOk:
      break;
    case tgmt::FactorizeResult::kTooSmall:
      return throwRange(env, "pq must be greater than 1");
    case tgmt::FactorizeResult::kPrime:
      return throwRange(env, "pq is prime");
    case tgmt::FactorizeResult::kNotSemiprime:
      return throwRange(env, "pq is not a product of two primes");
  }
  napi_value arr, pv, qv;
  napi_create_array_with_length(env, 2, &arr);
  napi_create_bigint_uint64(env, p, &pv);
  napi_create_bigint_uint64(env, q, &qv);
  napi_set_element(env, arr, 0, pv);
  napi_set_element(env, arr, 1, qv);
  return arr;
}

// modPowAsync(base, exponent, modulus) -> Promise<Buffer>. Bad arguments
// throw here, synchronously, like every other function: a promise that is
// started early and awaited late must not turn a caller's mistake into an
// unhandled rejection.
napi_value ModPowAsync(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!getArgs(env, info, argv)) return nullptr;
  Bytes base, exp, mod;
  if (!getBytes(env, argv[0], "base", base) ||
      !getBytes(env, argv[1], "exponent", exp) ||
      !getBytes(env, argv[2], "modulus", mod) ||
      !checkAtMost(env, base, "base", tgmt::kModPowMaxBytes) ||
      !checkAtMost(env, exp, "exponent", tgmt::kModPowMaxBytes) ||
      !checkAtMost(env, mod, "modulus", tgmt::kModPowMaxBytes)) {
    return nullptr;
  }
  // Odd and greater than 1: the lowest byte odd and some higher byte (or
  // the lowest byte itself beyond 1) nonzero.
  bool big = mod.length > 0 && mod.data[mod.length - 1] > 1;
  for (size_t i = 0; i + 1 < mod.length && !big; i++) big = mod.data[i] != 0;
  if (mod.length == 0 || (mod.data[mod.length - 1] & 1) == 0 || !big) {
    return throwRange(env, "modulus must be odd and greater than 1");
  }
  return tgmt::startModPow(env, base.data, base.length, exp.data, exp.length,
                           mod.data, mod.length);
}

// prefault(buffer) -> the bytes now backed by memory (0: none).
napi_value Prefault(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!getArgs(env, info, argv)) return nullptr;
  Bytes b;
  if (!getBytes(env, argv[0], "buffer", b)) return nullptr;
  napi_value result;
  napi_create_double(env, static_cast<double>(tgmt::prefault(b.data, b.length)), &result);
  return result;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto add = [&](const char* name, napi_callback cb) {
    napi_value fn;
    napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, nullptr, &fn);
    exports.Set(name, Napi::Value(env, fn));
  };
  add("igeEncrypt", Ige<true>);
  add("igeDecrypt", Ige<false>);
  add("mtprotoEncrypt", MtprotoEncrypt);
  add("mtprotoEncryptPair", MtprotoEncryptPair);
  add("mtprotoDecrypt", MtprotoDecrypt);
  add("mtprotoDecryptPair", MtprotoDecryptPair);
  add("factorizePQ", FactorizePQ);
  add("ctrInit", CtrInit);
  add("ctrUpdate", CtrUpdate);
  add("prefault", Prefault);
  // Without OpenSSL in the process the JS side uses the TypeScript one.
  if (tgmt::modPowLinked()) add("modPowAsync", ModPowAsync);
  exports.Set("aesImplementation", tgmt::igeBackend().name);
  exports.Set("ctrImplementation", tgmt::ctrBackendName());
  exports.Set("sha256Implementation", tgmt::sha256BackendName());
  return exports;
}

}  // namespace

NODE_API_MODULE(crypto_native, Init)
