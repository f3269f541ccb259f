/// systemd's socket activation (`sd_listen_fds(3)`): the listening socket a service manager made
/// and passed to this process as descriptor 3, named by `LISTEN_PID` (this process) and
/// `LISTEN_FDS` (1).
public enum SocketActivation {
    /// The passed socket's descriptor, nil when none was passed to this process.
    public static func passedSocket(_ environment: Environment) -> Int32? {
        guard environment["LISTEN_PID"] == String(DaemonProcess.id), environment["LISTEN_FDS"] == "1" else { return nil }
        return 3
    }
}
