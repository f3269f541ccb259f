#ifndef CREDCTL_CURL_LOADER_H
#define CREDCTL_CURL_LOADER_H
/* libcurl, loaded with dlopen on first use rather than linked: libcurl pulls in some thirty
   libraries (TLS, Kerberos, LDAP, …) whose loading and constructors would cost every credctl
   run several milliseconds, including those that never touch the network (--version, --help,
   policy show, keys inspect). Types and constants come from <curl/curl.h>; every call goes
   through these wrappers. curl_easy_setopt and curl_easy_getinfo are variadic and cannot be
   called from Swift: the typed wrappers are the only way the Swift side reaches them. */
#include <curl/curl.h>
#include <stddef.h>

/* Loads libcurl once (thread-safe). 0 on success; otherwise credctl_curl_load_error() says why. */
int credctl_curl_load(void);
const char *credctl_curl_load_error(void);

CURLcode credctl_curl_global_init(long flags);
CURL *credctl_curl_easy_init(void);
void credctl_curl_easy_cleanup(CURL *h);
void credctl_curl_easy_reset(CURL *h);
CURLcode credctl_curl_easy_perform(CURL *h);
const char *credctl_curl_easy_strerror(CURLcode code);
struct curl_slist *credctl_curl_slist_append(struct curl_slist *list, const char *line);
void credctl_curl_slist_free_all(struct curl_slist *list);

CURLcode credctl_curl_setopt_long(CURL *h, CURLoption o, long v);
CURLcode credctl_curl_setopt_string(CURL *h, CURLoption o, const char *v);
CURLcode credctl_curl_setopt_pointer(CURL *h, CURLoption o, void *v);
CURLcode credctl_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v);
typedef size_t (*credctl_curl_data_callback)(char *, size_t, size_t, void *);
CURLcode credctl_curl_setopt_data_callback(CURL *h, CURLoption o, credctl_curl_data_callback v);
typedef int (*credctl_curl_xferinfo_callback)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
CURLcode credctl_curl_setopt_xferinfo_callback(CURL *h, CURLoption o, credctl_curl_xferinfo_callback v);
CURLcode credctl_curl_getinfo_long(CURL *h, CURLINFO i, long *v);
CURLcode credctl_curl_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v);
#endif
