#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AWSCore

/// What botocore does to `AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE` and the default
/// `~/.aws/…` paths before opening them: Python's `os.path.expandvars`, then
/// `os.path.expanduser` (posixpath, Python 3.11), against the given environment.
public enum PathExpansion {
    public static func expand(_ path: String, _ env: Environment) -> String {
        expandUser(expandVariables(path, env), env)
    }

    /// `$NAME` (ASCII letters, digits, `_`) and `${ANYTHING}`; a variable that is not set is
    /// left as written, a set one (even empty) is replaced; replacements are not expanded again.
    public static func expandVariables(_ path: String, _ env: Environment) -> String {
        let s = Array(path.unicodeScalars)
        guard s.contains("$") else { return path }
        var out = ""
        var i = 0
        while i < s.count {
            guard s[i] == "$", let (name, end) = variable(s, after: i) else {
                out.unicodeScalars.append(s[i])
                i += 1
                continue
            }
            if let value = env[name] {
                out += value
            } else {
                out.unicodeScalars.append(contentsOf: s[i..<end])
            }
            i = end
        }
        return out
    }

    /// The name and the end of a `$NAME` or `${…}` starting at `dollar`.
    private static func variable(_ s: [Unicode.Scalar], after dollar: Int) -> (String, Int)? {
        let start = dollar + 1
        guard start < s.count else { return nil }
        if s[start] == "{" {
            guard let close = s[(start + 1)...].firstIndex(of: "}") else { return nil }
            return (PythonText.string(s[(start + 1)..<close]), close + 1)
        }
        var end = start
        while end < s.count, isWordCharacter(s[end]) { end += 1 }
        return end > start ? (PythonText.string(s[start..<end]), end) : nil
    }

    private static func isWordCharacter(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_"
    }

    /// `~` or `~/…` from `HOME` (when set, even empty; else the password database), `~user/…`
    /// from the password database; unknown users are left as written; the home directory's
    /// trailing slashes are dropped.
    public static func expandUser(_ path: String, _ env: Environment) -> String {
        let s = Array(path.unicodeScalars)
        guard s.first == "~" else { return path }
        let slash = s[1...].firstIndex(of: "/") ?? s.count
        let home: String?
        if slash == 1 {
            home = env["HOME"] ?? passwordEntryHome(uid: getuid())
        } else {
            home = passwordEntryHome(user: PythonText.string(s[1..<slash]))
        }
        guard let home else { return path }
        var trimmed = Array(home.unicodeScalars)
        while trimmed.last == "/" { trimmed.removeLast() }
        let result = PythonText.string(trimmed[...]) + PythonText.string(s[slash...])
        return result.isEmpty ? "/" : result
    }

    private static func passwordEntryHome(uid: uid_t) -> String? {
        guard let pw = getpwuid(uid), let dir = pw.pointee.pw_dir else { return nil }
        return String(cString: dir)
    }

    private static func passwordEntryHome(user: String) -> String? {
        guard let pw = getpwnam(user), let dir = pw.pointee.pw_dir else { return nil }
        return String(cString: dir)
    }
}
