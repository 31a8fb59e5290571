// The MTProto 2.0 message cipher in one call each way
// (core.telegram.org/mtproto/description): msg_key from SHA-256 of part of
// the auth key and the plaintext, aes_key/aes_iv from two more SHA-256s,
// then AES-256-IGE.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tgmt {

constexpr size_t kAuthKeySize = 256;
constexpr size_t kMsgKeySize = 16;

// x is 0 for messages from client to server, 8 for server to client.
// out receives msg_key (16 bytes) then the ciphertext (n bytes).
// The ciphertext region may coincide with plaintext.
void mtprotoEncrypt(const uint8_t authKey[kAuthKeySize], int x,
                    const uint8_t* plaintext, size_t n, uint8_t* out);

// Exactly mtprotoEncrypt(authKey1, x1, plaintext1, n1, out1) then the same
// for message 2, with the two messages' SHA-256 and IGE chains interleaved
// where the CPU has AES-NI and SHA-NI (elsewhere: those two calls). Each
// out_i + 16 may coincide with plaintext_i; what one message writes must
// not overlap the other's buffers.
void mtprotoEncryptPair(const uint8_t authKey1[kAuthKeySize], int x1,
                        const uint8_t* plaintext1, size_t n1, uint8_t* out1,
                        const uint8_t authKey2[kAuthKeySize], int x2,
                        const uint8_t* plaintext2, size_t n2, uint8_t* out2);

// Decrypts into out (may coincide with ciphertext) and checks msg_key in
// constant time. On mismatch returns false and zeroes out, so unchecked
// plaintext never reaches the caller.
bool mtprotoDecrypt(const uint8_t authKey[kAuthKeySize], int x,
                    const uint8_t msgKey[kMsgKeySize],
                    const uint8_t* ciphertext, size_t n, uint8_t* out);

// Exactly mtprotoDecrypt for message 1 and for message 2, returning bit 0
// set when message 1's msg_key matched and bit 1 when message 2's did; the
// two messages' IGE and SHA-256 chains run interleaved where the CPU has
// AES-NI and SHA-NI (elsewhere: those two calls). Each out_i may coincide
// with ciphertext_i and overlap msgKey_i; what one message writes must not
// overlap the other's buffers.
unsigned mtprotoDecryptPair(const uint8_t authKey1[kAuthKeySize], int x1,
                            const uint8_t msgKey1[kMsgKeySize],
                            const uint8_t* ciphertext1, size_t n1,
                            uint8_t* out1,
                            const uint8_t authKey2[kAuthKeySize], int x2,
                            const uint8_t msgKey2[kMsgKeySize],
                            const uint8_t* ciphertext2, size_t n2,
                            uint8_t* out2);

}  // namespace tgmt
