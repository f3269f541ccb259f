import BuildInfo

/// credctl's version, and the commit the binary was built from (given by Package.swift).
public enum CredctlVersion {
    /// The release number, as sent in the User-Agent (`credctl/0.1.0`).
    public static let current = "0.1.0"

    /// The short commit hash of the build, "-dirty" when built with uncommitted changes,
    /// "unknown" when not built from a git checkout.
    public static var commit: String { String(cString: credctl_build_commit()) }

    /// What `credctl --version` prints: `credctl 0.1.0 (commit abc1234)`.
    public static var description: String { "credctl \(current) (commit \(commit))" }
}
