# Installs what credctl needs to build and test on a fresh Debian machine, skipping what is there.
# Sourced by the other scripts.
. "$(dirname "${BASH_SOURCE[0]}")/keyring.sh"

# apt_install PACKAGE…: installs Debian packages (through sudo when not root).
apt_install() {
    echo "==> installing $*" >&2
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# Installs the Debian packages that provide missing commands, each given as COMMAND:PACKAGE
# (install_commands man:man-db strip:binutils).
install_commands() {
    local missing=() pair
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
    done
    [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

# What a release build needs (scripts/install.sh, scripts/package.sh): the C libraries' headers,
# pkg-config, and strip.
install_build_deps() {
    if ! pkg-config --exists libcurl libcrypto 2>/dev/null; then
        echo "==> installing libcurl4-openssl-dev and libssl-dev" >&2
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libcurl4-openssl-dev libssl-dev pkg-config >/dev/null
    fi
    install_commands strip:binutils
}

# What scripts/demo.sh needs and nothing more: the build, and moto with boto3 (which makes the
# emulator's first admin key). Says what it will install before it installs anything.
install_demo_deps() {
    local apt=() pip=()
    pkg-config --exists libcurl libcrypto 2>/dev/null || apt+=(libcurl4-openssl-dev libssl-dev pkg-config)
    python3 -c 'import moto, boto3, flask' 2>/dev/null && command -v moto_server >/dev/null || pip+=('moto[server]' boto3)
    if [ ${#apt[@]} -gt 0 ] || [ ${#pip[@]} -gt 0 ]; then
        echo "==> the demo needs, and will now install:${apt[*]:+ Debian packages ${apt[*]}}${pip[*]:+${apt[*]:+;} Python packages ${pip[*]}}" >&2
    fi
    [ ${#apt[@]} -eq 0 ] || apt_install "${apt[@]}"
    [ ${#pip[@]} -eq 0 ] || python3 -m pip install -q "${pip[@]}"
}

# Everything the tests need: the build, moto and the Python tools, and for
# tests/integration/test_install.py man (renders the installed pages), bash-completion (loads
# the installed completion as a shell does) and the Debian packaging tools.
install_deps() {
    install_build_deps
    # fish and dash read back what `creds export` and `params export` print for them.
    install_commands man:man-db dpkg-deb:dpkg dpkg-shlibdeps:dpkg-dev fish:fish dash:dash
    [ -f /usr/share/bash-completion/bash_completion ] || apt_install bash-completion
    if ! python3 -c 'import moto, boto3, pytest, xdist, dotenv, flask, yaml' 2>/dev/null || ! command -v moto_server >/dev/null || ! command -v aws >/dev/null; then
        echo "==> installing moto[server], boto3, awscli, pytest, pytest-xdist, python-dotenv, pyyaml" >&2
        python3 -m pip install -q 'moto[server]' boto3 awscli pytest pytest-xdist python-dotenv pyyaml
    fi
    # botocore's LoginProvider (login_session profiles, tests/integration/test_login_session.py)
    # needs awscrt; the fake sign-in server verifies DPoP proofs with cryptography.
    if ! python3 -c 'import awscrt, cryptography' 2>/dev/null; then
        echo "==> installing botocore[crt] (awscrt) and cryptography" >&2
        python3 -m pip install -q 'botocore[crt]' cryptography
    fi
    install_keyring_deps
}
