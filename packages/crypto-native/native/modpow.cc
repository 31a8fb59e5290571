// modPowAsync: OpenSSL's constant-time Montgomery exponentiation on the
// libuv thread pool. OpenSSL comes from Node itself: the node binary
// exports its libcrypto symbols and ships the matching headers, so nothing
// extra is linked and the addon uses exactly the OpenSSL Node runs on.
#include "modpow.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include <string>
#include <vector>

#ifndef _WIN32
#include <dlfcn.h>
#endif

namespace tgmt {

bool modPowLinked() {
#ifdef _WIN32
  return true;  // resolved at link time against node.lib, or not built
#else
  static const char* const kUsed[] = {
      "BN_CTX_new",     "BN_CTX_free",  "BN_bin2bn",
      "BN_bn2binpad",   "BN_new",       "BN_free",
      "BN_clear_free",  "BN_set_flags", "BN_ucmp",
      "BN_nnmod",       "BN_mod_exp_mont_consttime",
      "OPENSSL_cleanse", "ERR_get_error", "ERR_error_string_n",
      "ERR_clear_error"};
  for (const char* name : kUsed) {
    if (dlsym(RTLD_DEFAULT, name) == nullptr) return false;
  }
  return true;
#endif
}

bool modPow(const uint8_t* base, size_t baseLen, const uint8_t* exp,
            size_t expLen, const uint8_t* mod, size_t modLen, uint8_t* out) {
  BN_CTX* ctx = BN_CTX_new();
  BIGNUM* b = BN_bin2bn(base, static_cast<int>(baseLen), nullptr);
  BIGNUM* e = BN_bin2bn(exp, static_cast<int>(expLen), nullptr);
  BIGNUM* m = BN_bin2bn(mod, static_cast<int>(modLen), nullptr);
  BIGNUM* reduced = BN_new();
  BIGNUM* r = BN_new();
  bool ok = ctx != nullptr && b != nullptr && e != nullptr && m != nullptr &&
            reduced != nullptr && r != nullptr;
  if (ok) {
    // The exponent is the secret (b of the handshake): the flag keeps every
    // operation on it on OpenSSL's constant-time paths.
    BN_set_flags(e, BN_FLG_CONSTTIME);
    // The base is public (g or g_a); reducing it first keeps the
    // exponentiation's precondition a < m explicit.
    const BIGNUM* a = b;
    if (BN_ucmp(b, m) >= 0) {
      ok = BN_nnmod(reduced, b, m, ctx) == 1;
      a = reduced;
    }
    ok = ok && BN_mod_exp_mont_consttime(r, a, e, m, ctx, nullptr) == 1 &&
         BN_bn2binpad(r, out, static_cast<int>(modLen)) ==
             static_cast<int>(modLen);
  }
  BN_clear_free(r);  // g_a^b is the auth key
  BN_free(reduced);
  BN_free(m);
  BN_clear_free(e);
  BN_free(b);
  BN_CTX_free(ctx);
  return ok;
}

namespace {

// One queued exponentiation. The inputs are copied at the call, so the
// caller may reuse or change its buffers at once.
struct ModPowWork {
  std::vector<uint8_t> base, exp, mod, out;
  bool ok = false;
  std::string error;
  napi_deferred deferred = nullptr;
  napi_async_work work = nullptr;

  ~ModPowWork() {
    if (!exp.empty()) OPENSSL_cleanse(exp.data(), exp.size());
    if (!out.empty()) OPENSSL_cleanse(out.data(), out.size());
  }
};

// Runs on a thread-pool thread: no N-API calls here.
void Execute(napi_env, void* data) {
  auto* w = static_cast<ModPowWork*>(data);
  w->ok = modPow(w->base.data(), w->base.size(), w->exp.data(), w->exp.size(),
                 w->mod.data(), w->mod.size(), w->out.data());
  if (!w->ok) {
    // OpenSSL's error queue is per thread: read it here and leave it empty
    // for the next job on this thread.
    char buf[256];
    unsigned long code = ERR_get_error();
    ERR_error_string_n(code, buf, sizeof buf);
    w->error = std::string("modPowAsync: OpenSSL failed: ") + buf;
    ERR_clear_error();
  }
  // The copy of the exponent is no longer needed.
  OPENSSL_cleanse(w->exp.data(), w->exp.size());
}

// Runs on the JS thread once the pool is done; N-API drains the promise's
// microtasks as this callback returns.
void Complete(napi_env env, napi_status status, void* data) {
  auto* w = static_cast<ModPowWork*>(data);
  if (status == napi_ok && w->ok) {
    void* copy = nullptr;
    napi_value buf;
    if (napi_create_buffer_copy(env, w->out.size(), w->out.data(), &copy,
                                &buf) == napi_ok) {
      napi_resolve_deferred(env, w->deferred, buf);
    } else {
      w->ok = false;
      w->error = "modPowAsync: could not allocate the result";
    }
  }
  if (status != napi_ok || !w->ok) {
    if (w->error.empty()) w->error = "modPowAsync: the work was cancelled";
    napi_value msg, err;
    napi_create_string_utf8(env, w->error.c_str(), NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, nullptr, msg, &err);
    napi_reject_deferred(env, w->deferred, err);
  }
  napi_delete_async_work(env, w->work);
  delete w;
}

}  // namespace

napi_value startModPow(napi_env env, const uint8_t* base, size_t baseLen,
                       const uint8_t* exp, size_t expLen, const uint8_t* mod,
                       size_t modLen) {
  auto* w = new ModPowWork();
  // One spare byte each, so data() is never null for an empty input.
  w->base.reserve(baseLen + 1);
  w->exp.reserve(expLen + 1);
  w->base.assign(base, base + baseLen);
  w->exp.assign(exp, exp + expLen);
  w->mod.assign(mod, mod + modLen);
  w->out.resize(modLen);
  napi_value promise, name;
  if (napi_create_promise(env, &w->deferred, &promise) != napi_ok ||
      napi_create_string_utf8(env, "tgmt:modPowAsync", NAPI_AUTO_LENGTH,
                              &name) != napi_ok ||
      napi_create_async_work(env, nullptr, name, Execute, Complete, w,
                             &w->work) != napi_ok ||
      napi_queue_async_work(env, w->work) != napi_ok) {
    // A promise already made is left pending; the exception is what the
    // caller sees.
    if (w->work != nullptr) napi_delete_async_work(env, w->work);
    delete w;
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) {
      napi_throw_error(env, nullptr, "modPowAsync: could not queue the work");
    }
    return nullptr;
  }
  return promise;
}

}  // namespace tgmt
