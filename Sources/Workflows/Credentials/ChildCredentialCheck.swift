import AWSConfig
import AWSCore

/// A child that credctl gives credentials uses exactly those, whichever AWS SDK it runs, or it is
/// not started. The SDKs look for credentials in an order of their own, and a source earlier in it
/// than what credctl hands over wins silently:
///
/// - botocore (boto3, the AWS CLI; `credentials.create_credential_resolver`): the environment's
///   keys, a role (`role_arn`), web identity, SSO (`sso_session`/`sso_start_url`), keys in the
///   credentials file, `login_session`, `credential_process`, keys in the config file, then
///   `AWS_CREDENTIAL_FILE` (the EC2 tools' file) and the boto 2 files (`BOTO_CONFIG`, else
///   `/etc/boto.cfg` and `~/.boto`, section `[Credentials]`), and only then the container endpoint;
/// - the Go SDK v2 (`config.LoadDefaultConfig`, documented order): the environment's keys, the
///   shared credentials and config files (keys, role, web identity, SSO, process), then the
///   container endpoint;
/// - the Java SDK v2: Java system properties (`-Daws.accessKeyId`, which `JAVA_TOOL_OPTIONS`,
///   `JDK_JAVA_OPTIONS` and `_JAVA_OPTIONS` can set) before even the environment.
///
/// The child has no `AWS_PROFILE` (`ExecEnvironment.cleaned`), so the profile its SDKs read is
/// `default`. With keys in the environment (the first source of every SDK but Java's) only the Java
/// properties can win; with `--server` (the container endpoint, late in every chain) anything in
/// `[default]` and the boto files can.
public enum ChildCredentialCheck {
    public enum Mode: Sendable { case keysInEnvironment, server }

    /// The profile keys through which `[default]` gives credentials of its own before the
    /// container endpoint, in botocore's order.
    static let defaultProfileKeys = ["role_arn", "web_identity_token_file", "sso_session", "sso_start_url", "aws_access_key_id",
                                     "login_session", "credential_process"]
    static let javaOptionVariables = ["JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"]
    /// Java system properties that win over the environment's keys, and those that win over the
    /// container endpoint too (a profile, a role).
    static let javaKeyProperties = ["aws.accessKeyId", "aws.secretAccessKey"]
    static let javaProfileProperties = ["aws.profile", "aws.webIdentityTokenFile", "aws.roleArn"]

    /// What would give the child other credentials than credctl's, said so that the user can
    /// find it; nil when nothing would. `childEnvironment` is the child's environment as it
    /// will be; `servedProfile` the profile whose credentials credctl gives (nil for a role ARN):
    /// when it is `default`, what `[default]` holds is what credctl gives; `readFile` reads a
    /// small local file (nil when there is none).
    public static func earlierSource(_ mode: Mode, childEnvironment env: [String: String], files: SharedConfigFiles, servedProfile: String?,
                                     readFile: (String) -> String?) -> String? {
        let properties = javaKeyProperties + (mode == .server ? javaProfileProperties : [])
        for name in javaOptionVariables {
            guard let options = env[name] else { continue }
            let words = options.split(whereSeparator: { $0 == " " || $0 == "\t" })
            for property in properties where words.contains(where: { $0.hasPrefix("-D\(property)=") }) {
                return "\(name) sets \(property), which the AWS SDK for Java reads before "
                    + (mode == .server ? "the credentials server" : "the environment's keys")
            }
        }
        guard mode == .server else { return nil }
        if servedProfile != "default", let profile = files.profile("default") {
            for key in defaultProfileKeys {
                guard profile[key] != nil, let value = profile.values[key] else { continue }
                return "profile default sets \(key) (\(value.location)), which AWS SDKs use before the credentials server"
            }
        }
        if let path = env["AWS_CREDENTIAL_FILE"], let text = readFile(path),
           text.split(separator: "\n").contains(where: { $0.trimmingSpaces().hasPrefix("AWSAccessKeyId") }) {
            return "AWS_CREDENTIAL_FILE names \(path), whose AWSAccessKeyId botocore uses before the credentials server"
        }
        let botoFiles = env["BOTO_CONFIG"].map { [$0] } ?? ["/etc/boto.cfg", (env["HOME"].map { $0 + "/.boto" } ?? "")].filter { !$0.isEmpty }
        for path in botoFiles {
            guard let text = readFile(path), let file = try? INIFile(parsing: text, path: path),
                  let section = file.section("Credentials"), let entry = section.entry("aws_access_key_id") else { continue }
            return "\(path):\(entry.line) sets aws_access_key_id in [Credentials], which botocore uses before the credentials server"
        }
        return nil
    }

    /// Refuses to start the child (exit 2) when something would win over credctl's credentials.
    public static func check(_ mode: Mode, childEnvironment: [String: String], files: SharedConfigFiles, servedProfile: String?) throws(AWSError) {
        guard let source = earlierSource(mode, childEnvironment: childEnvironment, files: files, servedProfile: servedProfile,
                                         readFile: readSmallFile) else { return }
        let remedy = mode == .server
            ? "move those credentials out of it (or into a named profile), or run without --server, with the keys in the environment"
            : "remove it from the environment"
        throw .configuration(ConfigurationError(
            "not starting the command: \(PrintableText.escaped(source)); the command would run with those credentials, not credctl's: \(remedy)"))
    }

    /// A local file of at most 1 MB that is a regular file, as text; nil otherwise.
    static func readSmallFile(_ path: String) -> String? {
        guard let bytes = try? LocalFile.read(path), bytes.count <= 1 << 20 else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
