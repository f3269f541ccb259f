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

/* ===== DPoP proofs of `aws login` sessions: ECDSA P-256 with SHA-256 (ES256) =====
   Used only by Sources/SecretCrypto/P256SigningKey.swift. Keys cross this boundary as DER
   (SEC1 `EC PRIVATE KEY`, as the AWS CLI writes them; PKCS#8 is read too); each function
   decodes what it needs and frees it before returning, so Swift never holds an OpenSSL
   object. Each returns 1 on success, 0 on failure. */
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/obj_mac.h>
#include <openssl/x509.h>

/* The key in `der` when it is an EC key on P-256 (prime256v1); NULL otherwise. */
static inline EVP_PKEY *credctl_p256_decode(const unsigned char *der, size_t length) {
    if (length == 0 || length > 4096) return NULL;
    const unsigned char *p = der;
    EVP_PKEY *key = d2i_AutoPrivateKey(NULL, &p, (long)length);
    if (key == NULL) return NULL;
    char group[64] = {0};
    size_t groupLength = 0;
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC || p != der + length
        || EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &groupLength) != 1
        || strcmp(group, "prime256v1") != 0) {
        EVP_PKEY_free(key);
        return NULL;
    }
    return key;
}

/* 1 when `der` is a P-256 private key. */
static inline int credctl_p256_check(const unsigned char *der, size_t length) {
    EVP_PKEY *key = credctl_p256_decode(der, length);
    if (key == NULL) return 0;
    EVP_PKEY_free(key);
    return 1;
}

/* The public point's coordinates, each left-padded to 32 bytes. */
static inline int credctl_p256_public(const unsigned char *der, size_t length, unsigned char x[32], unsigned char y[32]) {
    EVP_PKEY *key = credctl_p256_decode(der, length);
    if (key == NULL) return 0;
    BIGNUM *bx = NULL, *by = NULL;
    int ok = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &bx) == 1
          && EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &by) == 1
          && BN_bn2binpad(bx, x, 32) == 32 && BN_bn2binpad(by, y, 32) == 32;
    BN_free(bx);
    BN_free(by);
    EVP_PKEY_free(key);
    return ok;
}

/* ES256: ECDSA over SHA-256(message), the signature as JOSE wants it: r || s, 32 bytes each
   (OpenSSL gives DER, which is converted here). */
static inline int credctl_p256_sign(const unsigned char *der, size_t length, const void *message, size_t messageLength,
                                    unsigned char signature[64]) {
    EVP_PKEY *key = credctl_p256_decode(der, length);
    if (key == NULL) return 0;
    int ok = 0;
    unsigned char encoded[80];
    size_t encodedLength = sizeof encoded;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (c != NULL && EVP_DigestSignInit(c, NULL, EVP_sha256(), NULL, key) == 1
        && EVP_DigestSign(c, encoded, &encodedLength, (const unsigned char *)message, messageLength) == 1) {
        const unsigned char *p = encoded;
        ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)encodedLength);
        if (sig != NULL) {
            const BIGNUM *r = NULL, *s = NULL;
            ECDSA_SIG_get0(sig, &r, &s);
            ok = BN_bn2binpad(r, signature, 32) == 32 && BN_bn2binpad(s, signature + 32, 32) == 32;
            ECDSA_SIG_free(sig);
        }
    }
    EVP_MD_CTX_free(c);
    EVP_PKEY_free(key);
    return ok;
}

/* 1 when `signature` (r || s) is the ES256 signature of `message` by the public point (x, y). */
static inline int credctl_p256_verify(const unsigned char x[32], const unsigned char y[32], const void *message, size_t messageLength,
                                      const unsigned char signature[64]) {
    unsigned char point[65];
    point[0] = 0x04;
    memcpy(point + 1, x, 32);
    memcpy(point + 33, y, 32);
    OSSL_PARAM params[3];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"prime256v1", 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point);
    params[2] = OSSL_PARAM_construct_end();
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *from = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    int ok = 0;
    if (from != NULL && EVP_PKEY_fromdata_init(from) == 1 && EVP_PKEY_fromdata(from, &key, EVP_PKEY_PUBLIC_KEY, params) == 1) {
        ECDSA_SIG *sig = ECDSA_SIG_new();
        BIGNUM *r = BN_bin2bn(signature, 32, NULL), *s = BN_bin2bn(signature + 32, 32, NULL);
        unsigned char *encoded = NULL;
        int encodedLength = -1;
        if (sig != NULL && r != NULL && s != NULL && ECDSA_SIG_set0(sig, r, s) == 1) {
            r = NULL; s = NULL;
            encodedLength = i2d_ECDSA_SIG(sig, &encoded);
        }
        EVP_MD_CTX *c = EVP_MD_CTX_new();
        ok = encodedLength > 0 && c != NULL && EVP_DigestVerifyInit(c, NULL, EVP_sha256(), NULL, key) == 1
          && EVP_DigestVerify(c, encoded, (size_t)encodedLength, (const unsigned char *)message, messageLength) == 1;
        EVP_MD_CTX_free(c);
        OPENSSL_free(encoded);
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(sig);
    }
    EVP_PKEY_free(key);
    EVP_PKEY_CTX_free(from);
    return ok;
}

/* A new P-256 key as SEC1 DER (`EC PRIVATE KEY`, named curve, public key included: what the
   AWS CLI's awscrt writes); `*length` is the capacity of `der` on entry, the size on return. */
static inline int credctl_p256_generate(unsigned char *der, size_t *length) {
    EVP_PKEY *key = EVP_EC_gen("P-256");
    if (key == NULL) return 0;
    unsigned char *encoded = NULL;
    int n = i2d_PrivateKey(key, &encoded);
    int ok = n > 0 && (size_t)n <= *length;
    if (ok) { memcpy(der, encoded, (size_t)n); *length = (size_t)n; }
    if (encoded != NULL) { OPENSSL_cleanse(encoded, n > 0 ? (size_t)n : 0); OPENSSL_free(encoded); }
    EVP_PKEY_free(key);
    return ok;
}
/* ===== end of the DPoP block ===== */
#endif
