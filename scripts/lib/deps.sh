# Installs what credctl needs to build and test on a fresh Debian machine, skipping what is there.
# Sourced by the other scripts.
. "$(dirname "${BASH_SOURCE[0]}")/keyring.sh"
install_deps() {
    if ! pkg-config --exists libcurl libcrypto 2>/dev/null; then
        echo "==> installing libcurl4-openssl-dev and libssl-dev" >&2
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libcurl4-openssl-dev libssl-dev pkg-config >/dev/null
    fi
    if ! python3 -c 'import moto, boto3, pytest, dotenv, flask, yaml' 2>/dev/null || ! command -v moto_server >/dev/null || ! command -v aws >/dev/null; then
        echo "==> installing moto[server], boto3, awscli, pytest, python-dotenv, pyyaml" >&2
        python3 -m pip install -q 'moto[server]' boto3 awscli pytest python-dotenv pyyaml
    fi
    install_keyring_deps
}
