import AWSClients
import AWSConfig
import AWSCore

/// `credctl setup user`: an IAM user with one least-privilege policy and a key in a profile.
/// Every step first looks at what exists, so running it again changes nothing that is right.
/// Creating calls are made at most once (`AtMostOnce`); when the run cannot finish, what it
/// created is removed again and the error says what is left.
public struct UserSetup: Sendable {
    public struct Options: Sendable {
        public var user: String
        public var templates: PolicyTemplates
        public var parameters: PolicyParameters
        public var profileName: String
        public var managed: Bool
        public var dryRun: Bool

        public init(user: String, templates: PolicyTemplates, parameters: PolicyParameters, profileName: String, managed: Bool, dryRun: Bool) {
            self.user = user
            self.templates = templates
            self.parameters = parameters
            self.profileName = profileName
            self.managed = managed
            self.dryRun = dryRun
        }

        public init(user: String, template: PolicyTemplate, parameters: PolicyParameters, profileName: String, managed: Bool, dryRun: Bool) {
            self.init(user: user, templates: PolicyTemplates([template]), parameters: parameters, profileName: profileName,
                      managed: managed, dryRun: dryRun)
        }
    }

    /// What was (or, for a dry run, would be) done, one line per step.
    public struct Report: Sendable {
        public var steps: [String]
        public var policyName: String
        public var policy: JSONValue
        public var keyId: String?
        /// The region written into (or already in) the profile's config section; nil when no region was in use.
        public var region: String?
    }

    public let session: AWSSession
    public let options: Options
    public let report: @Sendable (String) -> Void

    public init(session: AWSSession, options: Options, report: @escaping @Sendable (String) -> Void) {
        self.session = session
        self.options = options
        self.report = report
    }

    public var policyName: String {
        options.managed ? "credctl-\(options.templates.name)-\(options.user)" : "credctl-\(options.templates.name)"
    }

    /// Everything that can be checked before a call: the template, the names, the profile.
    func checkInput() throws(AWSError) -> JSONValue {
        if let trust = options.templates.trustPolicy {
            throw .configuration(ConfigurationError("\(trust.rawValue) is a trust policy: it belongs on a role, not a user (see credctl policy show \(trust.rawValue))"))
        }
        if let problem = Self.userNameProblem(options.user) { throw .configuration(ConfigurationError(problem)) }
        if let problem = SharedFileRules.profileNameProblem(options.profileName) {
            throw .configuration(ConfigurationError("--profile-name: \(problem)"))
        }
        do { return try options.templates.document(options.parameters) } catch { throw error.awsError }
    }

    public func run() throws -> Report {
        let document = try checkInput()
        let file = session.files.credentialsPath
        // The profile is checked first: nothing is created when the key could not be stored.
        let editor = try CredentialsFileUpdate.read(file)
        let existingProfile = editor.file.section(options.profileName)
        if existingProfile != nil, existingProfile?["aws_access_key_id"] == nil {
            throw AWSError.configuration(ConfigurationError("profile [\(options.profileName)] exists in \(file) without a key; choose another --profile-name"))
        }
        // The plan and the run ask the same question; only the run may create the folder to answer it.
        if existingProfile == nil {
            let update = CredentialsFileUpdate(path: file, state: RotationState.standard(session.environment, now: session.now))
            if options.dryRun { try update.checkWritableWithoutChanges() } else { try update.checkWritable() }
        }
        var run = UserSetupRun(setup: self, iam: try session.iam(), atMostOnce: try session.atMostOnce(), document: document,
                               file: file, existingKeyId: existingProfile?["aws_access_key_id"])
        do {
            return try run.perform()
        } catch {
            throw run.stop(error)
        }
    }

    /// IAM user names: 1–64 of letters, digits and `+=,.@_-`.
    public static func userNameProblem(_ name: String) -> String? {
        guard IAMNameRules.isName(name) else {
            return "'\(PrintableText.escaped(String(name.prefix(64))))' is not a valid IAM user name (1 to 64 letters, digits and +=,.@_-)"
        }
        return nil
    }
}

/// A stop after the first change: the error, and what is left.
public struct OperationStopped: ReportableError {
    public var error: AWSError
    /// One line saying what state the stop left.
    public var left: String

    public init(_ error: AWSError, left: String) {
        self.error = error
        self.left = left
    }

    public var description: String { error.description }
    public var exitStatus: ExitStatus { error.exitStatus }
    public var hint: String? { left }
}
