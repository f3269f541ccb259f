#ifndef CREDCTL_CCRYPTO_SHIM_H
#define CREDCTL_CCRYPTO_SHIM_H
/* The low-level SHA-256 interface is deprecated in OpenSSL 3 in favour of EVP, but EVP's
   one-shot calls look the algorithm up on every call, which costs more than hashing a small
   request. These wrappers keep SigV4's many short hashes on the fast path. */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
#include <string.h>

static inline void credctl_sha256(const void *data, size_t length, unsigned char out[32]) {
    SHA256_CTX c;
    SHA256_Init(&c);
    SHA256_Update(&c, data, length);
    SHA256_Final(out, &c);
}

/* HMAC-SHA256 (RFC 2104) on the SHA-256 context. */
static inline void credctl_hmac_sha256(const void *key, size_t keyLength, const void *data, size_t length, unsigned char out[32]) {
    unsigned char block[64];
    unsigned char pad[64];
    unsigned char inner[32];
    memset(block, 0, sizeof block);
    if (keyLength > 64) {
        credctl_sha256(key, keyLength, block);
    } else if (keyLength > 0) {
        memcpy(block, key, keyLength);
    }
    SHA256_CTX c;
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
    SHA256_Init(&c);
    SHA256_Update(&c, pad, 64);
    SHA256_Update(&c, data, length);
    SHA256_Final(inner, &c);
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&c);
    SHA256_Update(&c, pad, 64);
    SHA256_Update(&c, inner, 32);
    SHA256_Final(out, &c);
}

/* SHA-1, for one thing only: the names of the AWS SSO token cache files, which botocore and the
   AWS CLI v2 derive from the SHA-1 of the session name or start URL (not a security use). */
static inline void credctl_sha1(const void *data, size_t length, unsigned char out[20]) {
    SHA_CTX c;
    SHA1_Init(&c);
    SHA1_Update(&c, data, length);
    SHA1_Final(out, &c);
}

/* ===== Vault and credentials server: AES-256-GCM, scrypt, random bytes, wiping =====
   Used only by Sources/SecretCrypto/SecretCrypto.swift. Each returns 1 on success, 0 on
   failure (a failed GCM open means the tag did not match: wrong key or altered bytes). */
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <stdint.h>

static inline int credctl_random_bytes(unsigned char *out, size_t length) {
    return length <= INT32_MAX && RAND_bytes(out, (int)length) == 1;
}

static inline void credctl_wipe(void *p, size_t length) {
    if (p != NULL && length > 0) OPENSSL_cleanse(p, length);
}

/* scrypt (RFC 7914). maxMemory bounds what OpenSSL may allocate (its default, 32 MiB, is
   too small for N = 2^16). */
static inline int credctl_scrypt(const void *passphrase, size_t passphraseLength, const unsigned char *salt, size_t saltLength,
                                 uint64_t n, uint64_t r, uint64_t p, uint64_t maxMemory, unsigned char *key, size_t keyLength) {
    return EVP_PBE_scrypt((const char *)passphrase, passphraseLength, salt, saltLength, n, r, p, maxMemory, key, keyLength) == 1;
}

/* AES-256-GCM with a 12-byte nonce and a 16-byte tag; ciphertext is as long as plaintext. */
static inline int credctl_aes256gcm_seal(const unsigned char key[32], const unsigned char nonce[12],
                                         const void *aad, size_t aadLength, const void *plaintext, size_t length,
                                         unsigned char *ciphertext, unsigned char tag[16]) {
    if (length > INT32_MAX || aadLength > INT32_MAX) return 0;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    if (c == NULL) return 0;
    int ok = 0, n = 0;
    if (EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1
        && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) == 1
        && EVP_EncryptInit_ex(c, NULL, NULL, key, nonce) == 1
        && (aadLength == 0 || EVP_EncryptUpdate(c, NULL, &n, (const unsigned char *)aad, (int)aadLength) == 1)
        && (length == 0 || EVP_EncryptUpdate(c, ciphertext, &n, (const unsigned char *)plaintext, (int)length) == 1)
        && EVP_EncryptFinal_ex(c, ciphertext + (length == 0 ? 0 : n), &n) == 1
        && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1) ok = 1;
    EVP_CIPHER_CTX_free(c);
    return ok;
}

static inline int credctl_aes256gcm_open(const unsigned char key[32], const unsigned char nonce[12],
                                         const void *aad, size_t aadLength, const unsigned char *ciphertext, size_t length,
                                         const unsigned char tag[16], unsigned char *plaintext) {
    if (length > INT32_MAX || aadLength > INT32_MAX) return 0;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    if (c == NULL) return 0;
    int ok = 0, n = 0;
    unsigned char expected[16];
    memcpy(expected, tag, 16);
    if (EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1
        && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) == 1
        && EVP_DecryptInit_ex(c, NULL, NULL, key, nonce) == 1
        && (aadLength == 0 || EVP_DecryptUpdate(c, NULL, &n, (const unsigned char *)aad, (int)aadLength) == 1)
        && (length == 0 || EVP_DecryptUpdate(c, plaintext, &n, ciphertext, (int)length) == 1)
        && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, expected) == 1
        && EVP_DecryptFinal_ex(c, plaintext + (length == 0 ? 0 : n), &n) == 1) ok = 1;
    EVP_CIPHER_CTX_free(c);
    if (!ok && length > 0) OPENSSL_cleanse(plaintext, length);
    return ok;
}
/* ===== end of the vault block ===== */
#endif
