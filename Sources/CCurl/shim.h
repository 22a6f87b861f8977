// CCurl: libcurl for Swift.
//
// curl_easy_setopt, curl_easy_getinfo and curl_share_setopt are C variadic functions, which Swift
// cannot call, and libcurl's bit-mask constants are macro expressions (casts and shifts), which Swift
// does not import. Each wrapper below exists so Swift can pass exactly one argument type, checked by
// the C compiler here instead of being reinterpreted through a variadic list.
#ifndef ATLAS_ROLES_CCURL_SHIM_H
#define ATLAS_ROLES_CCURL_SHIM_H
#include <curl/curl.h>

// MARK: - curl_easy_setopt, one wrapper per argument type

// Options taking a `long` (timeouts, flags, HTTP version, auth bit masks).
static inline CURLcode atlas_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
// Options taking a C string (URL, user name, password, custom method, CA path). libcurl copies
// these strings (except CURLOPT_POSTFIELDS, which the transport never uses; it uses COPYPOSTFIELDS).
static inline CURLcode atlas_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
// Options taking an opaque pointer (WRITEDATA, HEADERDATA, XFERINFODATA, HTTPHEADER's slist).
static inline CURLcode atlas_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
// Options taking a curl_off_t (CURLOPT_POSTFIELDSIZE_LARGE): `long` and `curl_off_t` differ on some
// platforms, and passing the wrong width through varargs reads garbage.
static inline CURLcode atlas_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
// The share handle (CURLOPT_SHARE) has its own pointer type.
static inline CURLcode atlas_curl_setopt_share(CURL *handle, CURLSH *share) {
    return curl_easy_setopt(handle, CURLOPT_SHARE, share);
}

// MARK: - Callbacks: typed so a Swift @convention(c) closure can be passed without casts

// CURLOPT_WRITEFUNCTION: body bytes as they arrive.
static inline CURLcode atlas_curl_setopt_write_function(CURL *handle, curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}
// CURLOPT_HEADERFUNCTION: one response header line at a time (same prototype as the write callback).
static inline CURLcode atlas_curl_setopt_header_function(CURL *handle, curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}
// CURLOPT_XFERINFOFUNCTION: called often during a transfer; returning non-zero aborts it, which is
// how a cancelled Swift task stops a blocking curl_easy_perform.
static inline CURLcode atlas_curl_setopt_xferinfo_function(CURL *handle, curl_xferinfo_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

// MARK: - curl_easy_getinfo, one wrapper per result type

static inline CURLcode atlas_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode atlas_curl_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode atlas_curl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}
// The *_T infos (CURLINFO_TOTAL_TIME_T, CURLINFO_SIZE_DOWNLOAD_T) answer a curl_off_t.
static inline CURLcode atlas_curl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

// MARK: - curl_share_setopt

static inline CURLSHcode atlas_curl_share_setopt_long(CURLSH *share, CURLSHoption option, long value) {
    return curl_share_setopt(share, option, value);
}
static inline CURLSHcode atlas_curl_share_setopt_pointer(CURLSH *share, CURLSHoption option, void *value) {
    return curl_share_setopt(share, option, value);
}
// CURLSHOPT_LOCKFUNC / UNLOCKFUNC: libcurl requires these before a share is used from several threads.
static inline CURLSHcode atlas_curl_share_setopt_lock_function(CURLSH *share, curl_lock_function callback) {
    return curl_share_setopt(share, CURLSHOPT_LOCKFUNC, callback);
}
static inline CURLSHcode atlas_curl_share_setopt_unlock_function(CURLSH *share, curl_unlock_function callback) {
    return curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, callback);
}

// MARK: - curl_multi_setopt

// Options taking a `long` (CURLMOPT_PIPELINING, CURLMOPT_MAX_HOST_CONNECTIONS, ...).
static inline CURLMcode atlas_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

// The next finished transfer from curl_multi_info_read: 1 with its handle and result, 0 when none
// is left. CURLMsg keeps the result in an anonymous union, which this reads in C.
static inline int atlas_curl_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result) {
    int queued = 0;
    CURLMsg *message;
    while((message = curl_multi_info_read(multi, &queued)) != NULL) {
        if(message->msg == CURLMSG_DONE) {
            *easy = message->easy_handle;
            *result = message->data.result;
            return 1;
        }
    }
    return 0;
}

// MARK: - Constants Swift cannot import (macro expressions with casts or shifts)

// CURLAUTH_* are `((unsigned long)1)<<n` macros.
static inline long atlas_curlauth_none(void) { return (long)CURLAUTH_NONE; }
static inline long atlas_curlauth_basic(void) { return (long)CURLAUTH_BASIC; }
static inline long atlas_curlauth_bearer(void) { return (long)CURLAUTH_BEARER; }
static inline long atlas_curlauth_any(void) { return (long)CURLAUTH_ANY; }

// CURL_HTTP_VERSION_* are enum values, exposed as functions too so every version constant the
// transport uses comes from one place and keeps its C type (long) for setopt.
static inline long atlas_curl_http_version_1_1(void) { return (long)CURL_HTTP_VERSION_1_1; }
static inline long atlas_curl_http_version_2tls(void) { return (long)CURL_HTTP_VERSION_2TLS; }

// CURLPIPE_MULTIPLEX is `2L`, a macro Swift imports as Int rather than the long setopt wants.
static inline long atlas_curlpipe_multiplex(void) { return CURLPIPE_MULTIPLEX; }

// CURL_GLOBAL_ALL is `(CURL_GLOBAL_SSL|CURL_GLOBAL_WIN32)`.
static inline long atlas_curl_global_all(void) { return (long)CURL_GLOBAL_ALL; }

// CURL_VERSION_HTTP2 is a shifted bit in curl_version_info_data.features.
static inline int atlas_curl_supports_http2(void) {
    curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
    return info != NULL && (info->features & CURL_VERSION_HTTP2) != 0;
}
// The version string of the libcurl actually loaded (for diagnostics and the User-Agent's comment).
static inline const char *atlas_curl_version_string(void) {
    curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
    return info != NULL ? info->version : "";
}

// CURL_ERROR_SIZE is a plain #define but is needed to size the error buffer from Swift.
static inline int atlas_curl_error_size(void) { return CURL_ERROR_SIZE; }

#endif
