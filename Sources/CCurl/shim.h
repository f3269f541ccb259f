#ifndef CREDCTL_CCURL_SHIM_H
#define CREDCTL_CCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic and cannot be called from Swift:
   these typed wrappers are the only way the Swift side reaches them. */
static inline CURLcode credctl_curl_setopt_long(CURL *h, CURLoption o, long v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode credctl_curl_setopt_string(CURL *h, CURLoption o, const char *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode credctl_curl_setopt_pointer(CURL *h, CURLoption o, void *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode credctl_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) {
    return curl_easy_setopt(h, o, v);
}
typedef size_t (*credctl_curl_data_callback)(char *, size_t, size_t, void *);
static inline CURLcode credctl_curl_setopt_data_callback(CURL *h, CURLoption o, credctl_curl_data_callback v) {
    return curl_easy_setopt(h, o, v);
}
typedef int (*credctl_curl_xferinfo_callback)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
static inline CURLcode credctl_curl_setopt_xferinfo_callback(CURL *h, CURLoption o, credctl_curl_xferinfo_callback v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode credctl_curl_getinfo_long(CURL *h, CURLINFO i, long *v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode credctl_curl_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) {
    return curl_easy_getinfo(h, i, v);
}
#endif
