import AWSConfig
import AWSCore
import AWSCredentials

/// The conventions of `creds exec` and `assume … -- CMD`, as aws-vault (`AWS_VAULT`) and
/// granted set them: a marker naming the profile, no nesting unless asked, the user's shell
/// when no command is given, both region variables, and nothing left over that would make the
/// child pick other credentials.
public enum ExecEnvironment {
    /// Set in the child to the profile (or role ARN) whose credentials it holds, so that shell
    /// prompts and scripts can tell; its presence in credctl's own environment means nesting.
    public static let marker = SettingNames.execMarker

    /// Refuses to run inside another `creds exec` (exit 2): the inner one would start from the
    /// outer one's credentials, rarely what was meant.
    public static func checkNesting(_ environment: Environment, allowNested: Bool) throws(AWSError) {
        guard !allowNested, let outer = ExecSettings.resolve(environment).outerProfile else { return }
        throw .configuration(ConfigurationError(
            "already inside credctl exec for profile \(PrintableText.escaped(outer)); unset \(marker) or pass --allow-nested"))
    }

    /// The command to run: the one given, else the user's `$SHELL`, else `/bin/sh`.
    public static func command(_ given: [String], environment: Environment) -> [String] {
        if !given.isEmpty { return given }
        return [ExecSettings.resolve(environment).shell ?? "/bin/sh"]
    }

    /// `base` without any variable that would choose other credentials, a profile or a region
    /// (`CredentialExport.conflictingVariables`), plus the marker and both region variables
    /// (boto3 reads only `AWS_DEFAULT_REGION`).
    static func cleaned(_ base: [String: String], marker name: String, region: String?) -> [String: String] {
        var env = base
        for variable in CredentialExport.conflictingVariables { env[variable] = nil }
        env[marker] = name
        if let region { env["AWS_REGION"] = region; env["AWS_DEFAULT_REGION"] = region }
        return env
    }

    /// Refuses (exit 2, before any credentials are fetched) to start a child whose AWS SDKs would
    /// find other credentials before the ones credctl gives it (`ChildCredentialCheck`).
    /// `servedProfile`: the profile whose credentials the child gets, nil for a role ARN.
    public static func checkChild(_ mode: ChildCredentialCheck.Mode, over base: [String: String], files: SharedConfigFiles,
                                  servedProfile: String?) throws(AWSError) {
        try ChildCredentialCheck.check(mode, childEnvironment: cleaned(base, marker: "", region: nil), files: files, servedProfile: servedProfile)
    }

    /// A child holding the credentials themselves: the key variables, the session token and
    /// `AWS_CREDENTIAL_EXPIRATION` (ISO 8601) when they have them.
    public static func withKeys(_ credentials: Credentials, over base: [String: String], marker name: String, region: String?) -> [String: String] {
        var env = cleaned(base, marker: name, region: region)
        for (variable, value) in CredentialExport(credentials: credentials, region: region).variables { env[variable] = value }
        return env
    }

    /// A child of the credentials server: its URL and token, and no key variable at all.
    public static func withServer(_ serverVariables: [String: String], over base: [String: String], marker name: String, region: String?) -> [String: String] {
        var env = cleaned(base, marker: name, region: region)
        for (variable, value) in serverVariables { env[variable] = value }
        return env
    }
}
