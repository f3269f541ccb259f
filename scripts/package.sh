#!/usr/bin/env bash
# Builds credctl as it ships and packs it twice, into dist/ (or --out DIR):
#   credctl-VERSION-linux-ARCH.tar.gz   a prefix: bin/, share/man, share/{bash-completion,zsh,fish},
#                                       share/doc/credctl (README, NOTICE, licences); unpack with
#                                       tar -xzf … --strip-components=1 -C ~/.local (or /usr/local)
#   credctl_VERSION_DEBARCH.deb         the same under /usr, built with dpkg-deb; Depends: the C
#                                       libraries the binary links (from dpkg-shlibdeps) and
#                                       libcurl4, which it loads at run time
#   bash scripts/package.sh [--out DIR]          DIR: where the two files go (default dist)
set -euo pipefail
umask 022
REPO=$(realpath "$(dirname "$0")/..")
OUT=$REPO/dist
while [ $# -gt 0 ]; do
    case "$1" in
        --out) [ $# -ge 2 ] || { echo "package.sh: error: --out needs a folder" >&2; exit 2; }; OUT=$2; shift 2 ;;
        --out=*) OUT=${1#--out=}; shift ;;
        -h|--help) echo "usage: bash scripts/package.sh [--out DIR]"; exit 0 ;;
        *) echo "package.sh: error: unknown argument '$1' (usage: bash scripts/package.sh [--out DIR])" >&2; exit 2 ;;
    esac
done
OUT=$(realpath -m -- "$OUT")   # relative to where you are
cd "$REPO"
. scripts/lib/deps.sh
. scripts/lib/release.sh
install_build_deps
install_commands dpkg-deb:dpkg dpkg-shlibdeps:dpkg-dev

STAGE=.build/package-stage
stage_release "$STAGE/prefix"
BIN="$STAGE/prefix/bin/credctl"
VERSION=$("$BIN" --version | cut -d' ' -f2)
ARCH=$(uname -m)
DEB_ARCH=$(dpkg --print-architecture)
# Every file gets the commit's time, so that packing a commit twice gives the same archive.
EPOCH=$(git log -1 --format=%ct 2>/dev/null || date +%s)
mkdir -p "$OUT"

# The licence texts of what is linked statically, from the checkout and the toolchain.
SWIFT_LICENSE=$(dirname "$(realpath "$(command -v swift)")")/../share/swift/LICENSE.txt
docs() {
    install_docs "$1"
    install -m 0644 scripts/packaging/NOTICE "$1/"
    install -m 0644 .build/checkouts/swift-argument-parser/LICENSE.txt "$1/LICENSE.swift-argument-parser.txt"
    install -m 0644 "$SWIFT_LICENSE" "$1/LICENSE.swift.txt"
}

# tar_gz DIR ARCHIVE MEMBER…: a reproducible archive (sorted, owned by root, dated EPOCH).
tar_gz() {
    tar -C "$1" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$EPOCH" \
        -cf - "${@:3}" | gzip -9n >"$2"
}

# The tarball: the staged prefix, under one top folder.
TOP="credctl-$VERSION-linux-$ARCH"
rm -rf "${STAGE:?}/tar"
mkdir -p "$STAGE/tar"
cp -a "$STAGE/prefix" "$STAGE/tar/$TOP"
docs "$STAGE/tar/$TOP/share/doc/credctl"
TARBALL="$OUT/$TOP.tar.gz"
tar_gz "$STAGE/tar" "$TARBALL" "$TOP"

# The .deb: Debian's places (/usr/bin, man pages compressed, zsh's vendor-completions folder).
ROOT="$STAGE/deb"
rm -rf "$ROOT"
install -D -m 0755 "$BIN" "$ROOT/usr/bin/credctl"
install -d -m 0755 "$ROOT/usr/share/man/man1"
for page in "$STAGE/prefix/share/man/man1"/*.1; do
    gzip -9n <"$page" >"$ROOT/usr/share/man/man1/$(basename "$page").gz"
done
chmod 0644 "$ROOT/usr/share/man/man1"/*
install -D -m 0644 "$STAGE/prefix/share/bash-completion/completions/credctl" "$ROOT/usr/share/bash-completion/completions/credctl"
install -D -m 0644 "$STAGE/prefix/share/zsh/site-functions/_credctl" "$ROOT/usr/share/zsh/vendor-completions/_credctl"
install -D -m 0644 "$STAGE/prefix/share/fish/vendor_completions.d/credctl.fish" "$ROOT/usr/share/fish/vendor_completions.d/credctl.fish"
docs "$ROOT/usr/share/doc/credctl"
install -m 0644 scripts/packaging/NOTICE "$ROOT/usr/share/doc/credctl/copyright"

# Depends: dpkg-shlibdeps reads the libraries the binary links (libc6, libssl3 for libcrypto,
# libstdc++6, libgcc-s1) with their minimum versions; it needs a debian/control to run in.
# libcurl is opened with dlopen, which it cannot see: libcurl4 is added by hand, at the version
# that has CURLINFO_CONNECT_TIME_T, the newest libcurl feature credctl uses.
SHLIBS="$STAGE/shlibdeps"
rm -rf "$SHLIBS"
mkdir -p "$SHLIBS/debian"
printf 'Source: credctl\n\nPackage: credctl\nArchitecture: any\n' >"$SHLIBS/debian/control"
DEB_BIN=$(realpath "$ROOT/usr/bin/credctl")
LINKED=$(cd "$SHLIBS" && dpkg-shlibdeps -O -e "$DEB_BIN" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$LINKED" ] || { echo "package.sh: error: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
install -d -m 0755 "$ROOT/DEBIAN"
cat >"$ROOT/DEBIAN/control" <<CONTROL
Package: credctl
Version: $VERSION
Architecture: $DEB_ARCH
Maintainer: credctl maintainers <maintainers@credctl.invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)
Depends: $LINKED, libcurl4 (>= 7.61.0)
Section: admin
Priority: optional
Description: fast, careful AWS credential manager
 One native binary that rotates IAM access keys without ever leaving the
 credentials file without a working key, audits and validates keys for CI, sets
 up least-privilege users, tells which credentials a tool picked up and why,
 signs requests to any AWS API, and reads Parameter Store and Secrets Manager.
 Built from commit $CREDCTL_COMMIT.
CONTROL
(cd "$ROOT" && find usr -type f | sort | xargs md5sum) >"$ROOT/DEBIAN/md5sums"
chmod 0644 "$ROOT/DEBIAN/control" "$ROOT/DEBIAN/md5sums"
find "$ROOT" -exec touch -h -d "@$EPOCH" {} +
DEB="$OUT/credctl_${VERSION}_$DEB_ARCH.deb"
SOURCE_DATE_EPOCH=$EPOCH dpkg-deb --root-owner-group -Zxz --build "$ROOT" "$DEB" >/dev/null

echo "==> $TARBALL ($(du -h "$TARBALL" | cut -f1))" >&2
echo "==> $DEB ($(du -h "$DEB" | cut -f1)); Depends: $LINKED, libcurl4 (>= 7.61.0)" >&2
