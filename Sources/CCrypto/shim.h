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
#endif
