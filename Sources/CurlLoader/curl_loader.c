#include "curl_loader.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

/* The libcurl entry points credctl uses, resolved once. */
static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int load_status = -1;
static char load_error[256];

static void load(void) {
    const char *names[] = {"libcurl.so.4", "libcurl.so", "libcurl.4.dylib", "libcurl.dylib"};
    void *lib = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !lib; i++) lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(load_error, sizeof load_error, "libcurl could not be loaded (%s); install libcurl4", dlerror());
        return;
    }
#define RESOLVE(field, symbol)                                                                  \
    if (!(*(void **)&api.field = dlsym(lib, symbol))) {                                        \
        snprintf(load_error, sizeof load_error, "libcurl has no %s: it is too old", symbol);    \
        return;                                                                                 \
    }
    RESOLVE(global_init, "curl_global_init")
    RESOLVE(easy_init, "curl_easy_init")
    RESOLVE(easy_cleanup, "curl_easy_cleanup")
    RESOLVE(easy_reset, "curl_easy_reset")
    RESOLVE(easy_perform, "curl_easy_perform")
    RESOLVE(easy_strerror, "curl_easy_strerror")
    RESOLVE(slist_append, "curl_slist_append")
    RESOLVE(slist_free_all, "curl_slist_free_all")
    RESOLVE(easy_setopt, "curl_easy_setopt")
    RESOLVE(easy_getinfo, "curl_easy_getinfo")
#undef RESOLVE
    load_status = 0;
}

int credctl_curl_load(void) {
    pthread_once(&once, load);
    return load_status;
}

const char *credctl_curl_load_error(void) { return load_error; }

/* The wrappers below are only called after credctl_curl_load() returned 0. */
CURLcode credctl_curl_global_init(long flags) { return api.global_init(flags); }
CURL *credctl_curl_easy_init(void) { return api.easy_init(); }
void credctl_curl_easy_cleanup(CURL *h) { api.easy_cleanup(h); }
void credctl_curl_easy_reset(CURL *h) { api.easy_reset(h); }
CURLcode credctl_curl_easy_perform(CURL *h) { return api.easy_perform(h); }
const char *credctl_curl_easy_strerror(CURLcode code) { return api.easy_strerror(code); }
struct curl_slist *credctl_curl_slist_append(struct curl_slist *list, const char *line) { return api.slist_append(list, line); }
void credctl_curl_slist_free_all(struct curl_slist *list) { api.slist_free_all(list); }

CURLcode credctl_curl_setopt_long(CURL *h, CURLoption o, long v) { return api.easy_setopt(h, o, v); }
CURLcode credctl_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return api.easy_setopt(h, o, v); }
CURLcode credctl_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return api.easy_setopt(h, o, v); }
CURLcode credctl_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return api.easy_setopt(h, o, v); }
CURLcode credctl_curl_setopt_data_callback(CURL *h, CURLoption o, credctl_curl_data_callback v) { return api.easy_setopt(h, o, v); }
CURLcode credctl_curl_setopt_xferinfo_callback(CURL *h, CURLoption o, credctl_curl_xferinfo_callback v) { return api.easy_setopt(h, o, v); }
CURLcode credctl_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return api.easy_getinfo(h, i, v); }
CURLcode credctl_curl_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) { return api.easy_getinfo(h, i, v); }
