import Synchronization

/// The secrets a run knows (keys it made, read or signs with), and the rule for text credctl
/// forwards from a child: each secret, as written or JSON-escaped, is shown as `***`, as CI
/// runners mask theirs. Shared by everything of one run that forwards a child's output.
public final class SecretMask: Sendable {
    private let secrets = Mutex<Set<String>>([])

    public static let replacement = "***"

    public init(_ initial: [String] = []) {
        for s in initial { add(s) }
    }

    /// Remembers `secret` (ignored when shorter than 8 characters: too common to be a secret's
    /// only trace, and masking it would garble ordinary text).
    public func add(_ secret: String) {
        guard secret.count >= 8 else { return }
        secrets.withLock { _ = $0.insert(secret) }
    }

    /// `text` with every known secret (and its JSON-escaped form, `/` as `\/`) replaced.
    public func apply(_ text: String) -> String {
        let known = secrets.withLock { $0 }.sorted { $0.count > $1.count }
        var out = text
        for secret in known {
            for form in Set([secret, secret.replacing("/", with: "\\/")]) where out.contains(form) {
                out = out.replacing(form, with: Self.replacement)
            }
        }
        return out
    }
}
