# Builds credctl as it ships and lays it out in a staging folder, as a prefix would hold it:
#   bin/credctl                                   release build, Swift runtime linked statically, stripped
#   share/man/man1/credctl.1, credctl.SUB.1 …     one page per command, from the command definitions
#   share/bash-completion/completions/credctl
#   share/zsh/site-functions/_credctl
#   share/fish/vendor_completions.d/credctl.fish
#   share/doc/credctl/README.md, rotation.md, …  the README and docs/*.md (the help texts point here)
# Used by scripts/install.sh and scripts/package.sh. Sourced; run from the repository root.

# The commit being built: the short hash of HEAD, "-dirty" when tracked files have uncommitted
# changes, "unknown" outside a git checkout.
build_commit() {
    local commit
    commit=$(git rev-parse --short HEAD 2>/dev/null) || { echo unknown; return; }
    git diff --quiet HEAD -- 2>/dev/null || commit="$commit-dirty"
    echo "$commit"
}

# The date the man pages carry: the commit's date, so that rebuilding a commit gives the same pages.
build_date() {
    git log -1 --format=%cs 2>/dev/null || date -u +%Y-%m-%d
}

# The release binary. CREDCTL_COMMIT reaches the BuildInfo C target through Package.swift.
# --disable-local-rpath: no $ORIGIN run path, so that no library put next to the installed
# binary (a libcurl.so.4 in ~/.local/bin) is ever loaded instead of the system's.
build_release() {
    echo "==> swift build -c release --static-swift-stdlib (commit $CREDCTL_COMMIT)" >&2
    local log
    log=$(mktemp)
    if ! swift build -c release --static-swift-stdlib --disable-local-rpath --product credctl -q >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "${0##*/}: error: the release build failed" >&2
        return 1
    fi
    rm -f "$log"
}

# Man pages with swift-argument-parser's generate-manual plugin, which builds the package's
# products and renders each command's --help as mdoc. It builds in debug: its own release build
# would be linked without --static-swift-stdlib over .build/release/credctl, and the pages depend
# only on the command definitions, which are the same in both builds.
generate_man_pages() {
    local dest=$1 out=.build/plugins/GenerateManual/outputs/credctl
    echo "==> swift package plugin generate-manual" >&2
    rm -rf "$out"
    local log
    log=$(mktemp)
    if ! swift package plugin generate-manual --configuration debug --multi-page --date "$(build_date)" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "${0##*/}: error: the man pages could not be generated" >&2
        return 1
    fi
    rm -f "$log"
    mkdir -p "$dest"
    local page
    for page in "$out"/*.1; do
        man_page_layout <"$page" >"$dest/$(basename "$page")"
    done
}

# The generator copies help texts line by line, and mdoc fills every line into one paragraph. In
# the DESCRIPTION: a run of example, table or heading lines (what HelpText keeps as lines: indented,
# a command as typed, NAME=$(…), CAPITALS:) becomes a literal display; a blank line, which mdoc
# warns about, is a paragraph break (.Pp) everywhere.
man_page_layout() {
    awk '
        function verbatim(line) {
            return line ~ /^[ \t]/ || line ~ /^(credctl|printf|eval|aws) / || line ~ /^\$ / ||
                   line ~ /^[A-Z_]+=\$\(/ || (line ~ /^[A-Z :]+$/ && line ~ /[A-Z]/)
        }
        function close_display() { if (display) { print ".Ed"; display = 0 } }
        /^\.Sh / { close_display(); description = ($2 == "DESCRIPTION"); print; next }
        description && verbatim($0) { if (!display) { print ".Bd -literal -offset indent"; display = 1 } print; next }
        { close_display(); if ($0 == "") print ".Pp"; else print }
        END { close_display() }
    '
}

# stage_release DIR: everything a prefix receives, under DIR (emptied first).
stage_release() {
    local stage=$1
    export CREDCTL_COMMIT=${CREDCTL_COMMIT:-$(build_commit)}
    build_release
    rm -rf "$stage"
    mkdir -p "$stage/bin"
    cp .build/release/credctl "$stage/bin/credctl"
    strip "$stage/bin/credctl"
    # The shipped binary must run on its own: no Swift toolchain, a bare environment.
    env -i PATH=/usr/bin:/bin "$stage/bin/credctl" --version >/dev/null \
        || { echo "${0##*/}: error: the stripped release binary does not run" >&2; return 1; }
    generate_man_pages "$stage/share/man/man1"
    mkdir -p "$stage/share/bash-completion/completions" "$stage/share/zsh/site-functions" \
             "$stage/share/fish/vendor_completions.d"
    "$stage/bin/credctl" --generate-completion-script bash >"$stage/share/bash-completion/completions/credctl"
    "$stage/bin/credctl" --generate-completion-script zsh >"$stage/share/zsh/site-functions/_credctl"
    "$stage/bin/credctl" --generate-completion-script fish >"$stage/share/fish/vendor_completions.d/credctl.fish"
    install_docs "$stage/share/doc/credctl"
}

# install_docs DIR: the README and every page of docs/, which --help and the man pages name.
install_docs() {
    install -d -m 0755 "$1"
    install -m 0644 README.md docs/*.md "$1/"
}
