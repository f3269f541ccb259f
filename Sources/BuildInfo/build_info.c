#include "build_info.h"

#ifndef CREDCTL_COMMIT
#define CREDCTL_COMMIT "unknown"
#endif

const char *credctl_build_commit(void) {
    return CREDCTL_COMMIT;
}
