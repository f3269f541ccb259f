# A private GNOME Keyring for tests: its own D-Bus bus (no service activation, so nothing else
# can answer) and its own keyring folder, never the user's.
#
#   . scripts/lib/keyring.sh; install_keyring_deps        installs gnome-keyring, libsecret-tools, dbus
#   bash scripts/lib/keyring.sh start DIR PASSWORD         starts a bus and an unlocked keyring under DIR;
#                                                          prints the variables a client needs (KEY=VALUE lines)
#   bash scripts/lib/keyring.sh lock DIR                   locks the login collection
#   bash scripts/lib/keyring.sh stop DIR                   stops both (by the process ids recorded in DIR)

install_keyring_deps() {
    if ! command -v secret-tool >/dev/null || ! command -v gnome-keyring-daemon >/dev/null \
        || ! command -v dbus-daemon >/dev/null || ! command -v dbus-send >/dev/null; then
        echo "==> installing gnome-keyring, libsecret-tools and dbus (for the secret-service vault tests)" >&2
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq gnome-keyring libsecret-tools dbus dbus-bin >/dev/null
    fi
}

keyring_start() {
    local dir=$1 password=$2
    mkdir -p "$dir/home" "$dir/data"
    mkdir -p -m 700 "$dir/run"
    cat >"$dir/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$dir/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
    local out
    out=$(dbus-daemon --config-file="$dir/bus.conf" --fork --print-address=1 --print-pid=1) || return 1
    local address pid
    address=$(echo "$out" | sed -n 1p)
    pid=$(echo "$out" | sed -n 2p)
    echo "$pid" >"$dir/pids"
    export DBUS_SESSION_BUS_ADDRESS=$address HOME=$dir/home XDG_RUNTIME_DIR=$dir/run XDG_DATA_HOME=$dir/data
    printf '%s' "$password" | gnome-keyring-daemon --foreground --unlock --components=secrets >"$dir/keyring.log" 2>&1 &
    echo $! >>"$dir/pids"
    local i
    for i in $(seq 1 100); do
        if dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner \
            string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
            echo "DBUS_SESSION_BUS_ADDRESS=$address"
            echo "HOME=$dir/home"
            echo "XDG_RUNTIME_DIR=$dir/run"
            echo "XDG_DATA_HOME=$dir/data"
            return 0
        fi
        sleep 0.1
    done
    echo "gnome-keyring-daemon did not register on the bus; see $dir/keyring.log" >&2
    keyring_stop "$dir"
    return 1
}

keyring_lock() {
    local dir=$1
    DBUS_SESSION_BUS_ADDRESS="unix:path=$dir/bus" dbus-send --session --print-reply --dest=org.freedesktop.secrets \
        /org/freedesktop/secrets org.freedesktop.Secret.Service.Lock \
        array:objpath:/org/freedesktop/secrets/collection/login >/dev/null
}

keyring_stop() {
    local dir=$1 pid
    [ -f "$dir/pids" ] || return 0
    for pid in $(cat "$dir/pids"); do kill -KILL "$pid" 2>/dev/null || true; done
    rm -f "$dir/pids"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -eu
    case "${1:-}" in
        start) keyring_start "$2" "$3" ;;
        lock) keyring_lock "$2" ;;
        stop) keyring_stop "$2" ;;
        *) echo "usage: $0 start DIR PASSWORD | lock DIR | stop DIR" >&2; exit 2 ;;
    esac
fi
