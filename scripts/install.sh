#!/usr/bin/env bash
# Installs credctl for daily use: the release binary (Swift runtime linked statically, stripped),
# its man pages and its bash, zsh and fish completions, and a manifest of what was installed so
# that --uninstall removes exactly that. docs/install.md says where everything goes.
#   bash scripts/install.sh [--prefix DIR]       default /usr/local as root, ~/.local otherwise
#   bash scripts/install.sh [--prefix DIR] --uninstall
set -euo pipefail
REPO=$(realpath "$(dirname "$0")/..")

MANIFEST=share/credctl/install-manifest
usage() { echo "usage: bash scripts/install.sh [--prefix DIR] [--uninstall]"; }
fail() { echo "install.sh: error: $1" >&2; exit "${2:-2}"; }

prefix=""
uninstall=false
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || fail "--prefix needs a folder"; prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#--prefix=}; shift ;;
        --uninstall) uninstall=true; shift ;;
        -h|--help) usage; exit 0 ;;
        *) fail "unknown argument '$1' ($(usage))" ;;
    esac
done
if [ -z "$prefix" ]; then
    if [ "$(id -u)" -eq 0 ]; then prefix=/usr/local; else prefix="$HOME/.local"; fi
fi
prefix=$(realpath -m -- "$prefix")
[ -e "$prefix" ] && [ ! -d "$prefix" ] && fail "--prefix $prefix is not a folder"
cd "$REPO"   # after the prefix is made absolute: a relative --prefix is relative to where you are

# The manifest: one line per installed file (its SHA-256, so that a file changed since is kept)
# and per folder the install created, in creation order; paths relative to the prefix.
#   file <sha256> <path>
#   dir - <path>

# read_manifest FILE: checks every line before anything is removed; sets FILES, SUMS and DIRS
# (absolute paths).
read_manifest() {
    FILES=() SUMS=() DIRS=()
    local kind sum path n=0
    while IFS=' ' read -r kind sum path; do
        n=$((n + 1))
        case "$kind" in
            ''|'#'*) continue ;;
            file)
                [[ "$sum" =~ ^[0-9a-f]{64}$ && "$path" != /* && "/$path/" != */../* && -n "$path" ]] \
                    || fail "$1:$n: not a line install.sh writes"
                FILES+=("$prefix/$path") SUMS+=("$sum") ;;
            dir)
                # Folders inside the prefix, the prefix itself (.), or folders above it (.., ../..).
                [[ "$sum" == - && "$path" != /* && ( "/$path/" != */../* || "$path" =~ ^\.\.(/\.\.)*$ ) && -n "$path" ]] \
                    || fail "$1:$n: not a line install.sh writes"
                DIRS+=("$(realpath -m -- "$prefix/$path")") ;;
            *) fail "$1:$n: not a line install.sh writes" ;;
        esac
    done <"$1"
}

# remove_installed: removes the files of the manifest that are unchanged, the manifest, then the
# folders the install created, deepest first, when they are empty.
remove_installed() {
    local i file kept=0
    for i in "${!FILES[@]}"; do
        file=${FILES[$i]}
        [ -e "$file" ] || [ -L "$file" ] || continue
        if [ -f "$file" ] && [ "$(sha256sum <"$file" | cut -d' ' -f1)" = "${SUMS[$i]}" ]; then
            rm -f -- "$file"
        else
            echo "kept $file: changed since it was installed" >&2
            kept=$((kept + 1))
        fi
    done
    rm -f -- "$prefix/$MANIFEST"
    for ((i = ${#DIRS[@]} - 1; i >= 0; i--)); do
        [ -d "${DIRS[$i]}" ] && rmdir -- "${DIRS[$i]}" 2>/dev/null || true
    done
    return 0
}

if $uninstall; then
    [ -f "$prefix/$MANIFEST" ] || fail "no credctl installed in $prefix (no $prefix/$MANIFEST)"
    read_manifest "$prefix/$MANIFEST"
    remove_installed
    echo "==> removed credctl from $prefix (${#FILES[@]} files)" >&2
    exit 0
fi

. scripts/lib/deps.sh
. scripts/lib/release.sh
install_build_deps
STAGE=.build/install-stage
stage_release "$STAGE"
# The agent's systemd user unit names the installed binary, so it is made for this prefix.
mkdir -p "$STAGE/share/systemd/user"
sed "s|@BINDIR@|$prefix/bin|g" scripts/packaging/credctl-agent.service.in >"$STAGE/share/systemd/user/credctl-agent.service"
cp scripts/packaging/credctl-agent.socket "$STAGE/share/systemd/user/credctl-agent.socket"

# A previous install is removed first, so that files the new version no longer has go too.
if [ -f "$prefix/$MANIFEST" ]; then
    read_manifest "$prefix/$MANIFEST"
    remove_installed
fi

CREATED=()
make_dir() {
    [ -d "$1" ] && return 0
    make_dir "$(dirname -- "$1")"
    install -d -m 0755 -- "$1" || fail "cannot create $1" 1
    CREATED+=("$1")
}

mapfile -t staged < <(cd "$STAGE" && find . -type f | sed 's|^\./||' | sort)
for path in "${staged[@]}" "$MANIFEST"; do make_dir "$(dirname -- "$prefix/$path")"; done

trap 'echo "install.sh: error: the install into $prefix stopped half-way; bash scripts/install.sh --prefix $prefix --uninstall removes what was copied" >&2' ERR
tmp=$(mktemp "$prefix/$MANIFEST.XXXXXX")
{
    echo "# credctl $CREDCTL_COMMIT, installed by scripts/install.sh; bash scripts/install.sh --prefix $prefix --uninstall removes it"
    for dir in "${CREATED[@]}"; do echo "dir - $(realpath -m --relative-to="$prefix" -- "$dir")"; done
    for path in "${staged[@]}"; do echo "file $(sha256sum <"$STAGE/$path" | cut -d' ' -f1) $path"; done
} >"$tmp"
chmod 0644 "$tmp"
mv -f -- "$tmp" "$prefix/$MANIFEST"
for path in "${staged[@]}"; do
    mode=0644
    [ "$path" = bin/credctl ] && mode=0755
    install -m "$mode" -- "$STAGE/$path" "$prefix/$path"
done
trap - ERR

pages=$(ls "$STAGE/share/man/man1" | wc -l)
echo "==> installed $("$prefix/bin/credctl" --version) into $prefix:" >&2
echo "    bin/credctl, $pages man pages (share/man/man1), completions for bash, zsh and fish," >&2
echo "    the agent's systemd user units (share/systemd/user/credctl-agent.service and .socket:" >&2
echo "    systemctl --user daemon-reload && systemctl --user enable --now credctl-agent.socket)" >&2
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "    $prefix/bin is not on your PATH: add it, e.g. export PATH=\"$prefix/bin:\$PATH\"" >&2 ;;
esac
echo "    bash scripts/install.sh --prefix $prefix --uninstall removes it" >&2
