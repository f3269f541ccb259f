import AWSCore
import AWSCredentials

/// The ways `creds export` and `assume` hand credentials to other programs.
public enum CredentialExportFormat: String, CaseIterable, Sendable {
    /// The `credential_process` JSON contract, so another tool's profile can call credctl.
    case process
    /// `export NAME='value'` lines for POSIX shells (`eval "$(credctl creds export)"`).
    case env
    /// `NAME="value"` lines for `.env` files that python-dotenv reads back exactly (`DotenvValue`).
    case dotenv
    /// One JSON object with the credentials, expiry and region.
    case json
    /// `set -gx NAME 'value';` for fish.
    case fish
    /// `$Env:NAME = 'value'` for PowerShell.
    case powershell
    /// `NAME='value'` lines without `export` (the AWS CLI v2's `env-no-export`).
    case envNoExport = "env-no-export"
    /// `set "NAME=value"` for Windows `cmd.exe` (the AWS CLI v2's `windows-cmd`).
    case windowsCmd = "windows-cmd"
}

/// Credentials and region as environment variables and documents.
public struct CredentialExport: Sendable {
    public var credentials: Credentials
    public var region: String?

    public init(credentials: Credentials, region: String?) {
        self.credentials = credentials
        self.region = region
    }

    /// Variables that, left over in an environment, would change which credentials or
    /// profile a child program uses; `creds exec` removes them before setting its own.
    public static let conflictingVariables = [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
        "AWS_CREDENTIAL_EXPIRATION", "AWS_ACCOUNT_ID", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
        "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        "AWS_REGION", "AWS_DEFAULT_REGION",
    ]

    /// The variables to set, in order. Both region variables, since boto3 reads only `AWS_DEFAULT_REGION`.
    public var variables: [(name: String, value: String)] {
        let s = credentials.signing
        var v: [(name: String, value: String)] = [("AWS_ACCESS_KEY_ID", s.accessKeyId), ("AWS_SECRET_ACCESS_KEY", s.secretAccessKey)]
        if let token = s.sessionToken { v.append(("AWS_SESSION_TOKEN", token)) }
        if let expiration = credentials.expiration { v.append(("AWS_CREDENTIAL_EXPIRATION", Timestamp.format(expiration))) }
        if let region { v.append(("AWS_REGION", region)); v.append(("AWS_DEFAULT_REGION", region)) }
        return v
    }

    /// Credential variables a shell may hold from before that these credentials do not set:
    /// the shell formats unset them so that no stale token is paired with new keys, and no stale
    /// `AWS_ACCOUNT_ID` (botocore reads it with the keys, for account-based endpoints). Like the
    /// AWS CLI v2's `configure export-credentials`, credctl never sets `AWS_ACCOUNT_ID` itself.
    var variablesToUnset: [String] {
        let set = Set(variables.map(\.name))
        return ["AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CREDENTIAL_EXPIRATION", "AWS_ACCOUNT_ID"].filter { !set.contains($0) }
    }

    /// `base` without the conflicting variables, plus these credentials and the region.
    public func environment(over base: [String: String]) -> [String: String] {
        var env = base
        for name in Self.conflictingVariables { env[name] = nil }
        for (name, value) in variables { env[name] = value }
        return env
    }

    /// The credentials in `format`; throws only for a dotenv value python-dotenv cannot read back.
    public func render(_ format: CredentialExportFormat) throws(AWSError) -> String {
        let s = credentials.signing
        switch format {
        case .process:
            var members: [(String, JSONValue)] = [("Version", .number(1)), ("AccessKeyId", .string(s.accessKeyId)),
                                                  ("SecretAccessKey", .string(s.secretAccessKey))]
            if let token = s.sessionToken { members.append(("SessionToken", .string(token))) }
            if let expiration = credentials.expiration { members.append(("Expiration", .string(Timestamp.format(expiration)))) }
            // botocore's ProcessProvider reads `AccountId` (and the AWS SDKs' process contract has it).
            if let account = credentials.accountId { members.append(("AccountId", .string(account))) }
            return JSONValue.object(members).serialized() + "\n"
        case .json:
            return JSONValue.object([
                ("AccessKeyId", .string(s.accessKeyId)),
                ("SecretAccessKey", .string(s.secretAccessKey)),
                ("SessionToken", .optional(s.sessionToken)),
                ("Expiration", .optional(credentials.expiration.map { Timestamp.format($0) })),
                ("AccountId", .optional(credentials.accountId)),
                ("Region", .optional(region)),
            ]).serialized(pretty: true) + "\n"
        case .env:
            return lines(variables.map { "export \($0.name)=\(Self.shellQuoted($0.value))" } + variablesToUnset.map { "unset \($0)" })
        case .dotenv:
            for v in variables {
                if let problem = DotenvValue.problem(v.value) {
                    throw .configuration(ConfigurationError(
                        "the value of \(v.name) \(problem); nothing was exported. Use --format env or json"))
                }
            }
            return lines(variables.map { "\($0.name)=\(DotenvValue.written($0.value))" })
        case .fish:
            return lines(variables.map { "set -gx \($0.name) \(Self.backslashQuoted($0.value));" } + variablesToUnset.map { "set -e \($0);" })
        case .powershell:
            return lines(variables.map { "$Env:\($0.name) = \(Self.powershellQuoted($0.value))" }
                         + variablesToUnset.map { "Remove-Item Env:\($0) -ErrorAction SilentlyContinue" })
        case .envNoExport:
            return lines(variables.map { "\($0.name)=\(Self.shellQuoted($0.value))" })
        case .windowsCmd:
            // cmd.exe takes `set "NAME=value"` literally up to the last quote; credentials hold no quotes or line ends.
            return lines(variables.map { "set \"\($0.name)=\($0.value)\"" } + variablesToUnset.map { "set \($0)=" })
        }
    }

    func lines(_ l: [String]) -> String { l.joined(separator: "\n") + "\n" }

    /// POSIX single quotes: everything literal, `'` written as `'\''`.
    public static func shellQuoted(_ value: String) -> String {
        "'" + value.replacing("'", with: "'\\''") + "'"
    }

    /// Single quotes in which only `\` and `'` are escaped with a backslash: how fish reads them.
    public static func backslashQuoted(_ value: String) -> String {
        "'" + value.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
    }

    /// PowerShell single quotes: every quote PowerShell takes for a single quote (`'` and the
    /// typographic U+2018…U+201B) doubled, as its own EscapeSingleQuotedStringContent does.
    static func powershellQuoted(_ value: String) -> String {
        var out = "'"
        for c in value.unicodeScalars {
            out.unicodeScalars.append(c)
            if c == "'" || (0x2018...0x201B).contains(c.value) { out.unicodeScalars.append(c) }
        }
        return out + "'"
    }
}
