#ifndef CREDCTL_BUILD_INFO_H
#define CREDCTL_BUILD_INFO_H
/* What a build knows about where it came from. Package.swift compiles this target with
   CREDCTL_COMMIT defined from the CREDCTL_COMMIT environment variable, which the build scripts
   set from git (scripts/lib/release.sh); a plain `swift build` says "unknown". */

/* The short commit hash the binary was built from, "unknown" when not given. */
const char *credctl_build_commit(void);

#endif
