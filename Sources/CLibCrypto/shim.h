// CLibCrypto: the message digests HTTP Digest authentication needs, from the system's OpenSSL.
//
// libcurl is built against this libcrypto and loads it already, so answering Digest challenges in the
// client adds no library to the process. Only one function is exposed, taking a small algorithm
// number, so Swift never sees OpenSSL's EVP types or their deprecations.
#ifndef ATLAS_ROLES_CLIBCRYPTO_SHIM_H
#define ATLAS_ROLES_CLIBCRYPTO_SHIM_H
#include <stddef.h>
#include <openssl/evp.h>

enum {
    ATLAS_DIGEST_MD5 = 0,
    ATLAS_DIGEST_SHA256 = 1,
    ATLAS_DIGEST_SHA512_256 = 2,
};

// The digest of `length` bytes at `data` into `out` (room for EVP_MAX_MD_SIZE bytes); answers the
// digest's length, or 0 when this libcrypto refuses the algorithm (MD5 in FIPS mode) or fails.
static inline int atlas_message_digest(int algorithm, const void *data, size_t length, unsigned char *out) {
    const EVP_MD *type = NULL;
    switch (algorithm) {
    case ATLAS_DIGEST_MD5: type = EVP_md5(); break;
    case ATLAS_DIGEST_SHA256: type = EVP_sha256(); break;
    case ATLAS_DIGEST_SHA512_256: type = EVP_sha512_256(); break;
    default: return 0;
    }
    unsigned int written = 0;
    if (type == NULL || EVP_Digest(data, length, out, &written, type, NULL) != 1) return 0;
    return (int)written;
}

// How many bytes `out` must hold.
static inline int atlas_message_digest_max_size(void) { return EVP_MAX_MD_SIZE; }

#endif
