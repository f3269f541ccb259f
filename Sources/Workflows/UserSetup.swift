import AWSClients
import AWSConfig
import AWSCore

/// `credctl setup user`: an IAM user with one least-privilege policy and a key in a profile.
/// Every step first looks at what exists, so running it again changes nothing that is right.
public struct UserSetup: Sendable {
    public struct Options: Sendable {
        public var user: String
        public var template: PolicyTemplate
        public var parameters: PolicyParameters
        public var profileName: String
        public var managed: Bool
        public var dryRun: Bool

        public init(user: String, template: PolicyTemplate, parameters: PolicyParameters, profileName: String, managed: Bool, dryRun: Bool) {
            self.user = user
            self.template = template
            self.parameters = parameters
            self.profileName = profileName
            self.managed = managed
            self.dryRun = dryRun
        }
    }

    /// What was (or, for a dry run, would be) done, one line per step.
    public struct Report: Sendable {
        public var steps: [String]
        public var policyName: String
        public var policy: JSONValue
        public var keyId: String?
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
        options.managed ? "credctl-\(options.template.rawValue)-\(options.user)" : "credctl-\(options.template.rawValue)"
    }

    public func run() throws -> Report {
        guard !options.template.isTrustPolicy else {
            throw AWSError.configuration(ConfigurationError("\(options.template.rawValue) is a trust policy: it belongs on a role, not a user (see credctl policy show \(options.template.rawValue))"))
        }
        if let problem = Self.userNameProblem(options.user) { throw AWSError.configuration(ConfigurationError(problem)) }
        let document: JSONValue
        do { document = try options.template.document(options.parameters) } catch { throw AWSError.configuration(error) }
        let documentText = document.serialized()
        var steps: [String] = []
        func step(_ line: String) {
            steps.append(line)
            if !options.dryRun { report(line) }
        }

        let caller = try session.resolveCredentials().credentials
        let client = session.client(credentials: caller)
        let iam = IAMClient(client: client, endpoint: try session.endpoint(.iam))
        // The profile is checked first: nothing is created when the key could not be stored.
        let file = session.files.credentialsPath
        let editor = try CredentialsFileUpdate.read(file)
        let existingProfile = editor.file.section(options.profileName)
        if existingProfile != nil, existingProfile?["aws_access_key_id"] == nil {
            throw AWSError.configuration(ConfigurationError("profile [\(options.profileName)] exists in \(file) without a key; choose another --profile-name"))
        }
        if existingProfile == nil, !options.dryRun { try CredentialsFileUpdate(path: file, state: RotationState.standard(session.environment)).checkWritable() }

        let user = try existingUser(iam)
        if user == nil {
            if options.dryRun { step("create IAM user \(options.user)") } else {
                do {
                    _ = try iam.createUser(options.user)
                    step("created IAM user \(options.user)")
                } catch {
                    // A retried create whose first answer was lost: the user is there.
                    guard case .service(let e) = error, e.code == "EntityAlreadyExists" else { throw error }
                    step("IAM user \(options.user) exists (made by an earlier attempt whose answer was lost): reused")
                }
            }
        } else {
            step("IAM user \(options.user) exists: reused")
        }
        let keys = user == nil ? [] : try iam.listAccessKeys(options.user)
        if let profile = existingProfile, let keyId = profile["aws_access_key_id"], !keys.contains(where: { $0.id == keyId }) {
            throw AWSError.configuration(ConfigurationError("profile [\(options.profileName)] in \(file) holds \(keyId), which is not a key of \(options.user); choose another --profile-name"))
        }

        if options.managed {
            try attachManaged(iam, client: client, documentText, step: step)
        } else if user != nil, try iam.getUserPolicy(userName: options.user, policyName: policyName).flatMap({ try? JSONValue.parse($0) }) == document {
            step("inline policy \(policyName) is already in place")
        } else if options.dryRun {
            step("put inline policy \(policyName) on \(options.user)")
        } else {
            try iam.putUserPolicy(userName: options.user, policyName: policyName, document: documentText)
            step("put inline policy \(policyName) on \(options.user)")
        }

        var keyId = existingProfile?["aws_access_key_id"]
        if let keyId {
            step("profile [\(options.profileName)] already holds \(keyId) of \(options.user): kept")
        } else if keys.count >= 2 {
            throw AWSError.configuration(ConfigurationError("\(options.user) already has two access keys, neither in \(file); see credctl keys list --user \(options.user)"))
        } else if options.dryRun {
            step("create an access key and write it to \(file) as profile [\(options.profileName)]")
        } else {
            let key = try iam.createAccessKey(options.user)
            do {
                try CredentialsFileUpdate(path: file, state: RotationState.standard(session.environment)).apply { current in
                    guard current.file.section(options.profileName) == nil else {
                        throw AWSError.configuration(ConfigurationError("profile [\(options.profileName)] appeared in \(file) meanwhile"))
                    }
                    return current.appendingProfile(options.profileName, keyId: key.metadata.id, secret: key.secretAccessKey)
                }
            } catch {
                try? iam.deleteAccessKey(key.metadata.id, userName: options.user)
                throw AWSError.configuration(ConfigurationError("\(error); the new key \(key.metadata.id) was deleted again"))
            }
            keyId = key.metadata.id
            step("created \(key.metadata.id) and wrote it to \(file) as profile [\(options.profileName)]")
        }
        return Report(steps: steps, policyName: policyName, policy: document, keyId: keyId)
    }

    func existingUser(_ iam: IAMClient) throws(AWSError) -> IAMUser? {
        do { return try iam.getUser(options.user) } catch {
            if case .service(let e) = error, e.code == "NoSuchEntity" { return nil }
            throw error
        }
    }

    /// Creates the managed policy, or gives it a new default version when its document differs
    /// (deleting the oldest version at IAM's limit of five), then attaches it.
    func attachManaged(_ iam: IAMClient, client: AWSClient, _ document: String, step: (String) -> Void) throws {
        let identity = try STSClient(client: client, endpoint: try session.endpoint(.sts)).getCallerIdentity()
        let partition = IdentityARN.partition(identity.arn)
        let arn = "arn:\(partition):iam::\(identity.account):policy/\(policyName)"
        if let existing = try iam.getPolicy(arn: arn) {
            let current = try iam.getPolicyDocument(arn: arn, versionId: existing.defaultVersionId)
            if (try? JSONValue.parse(current)) == (try? JSONValue.parse(document)) {
                step("managed policy \(policyName) is already in place")
            } else if options.dryRun {
                step("give managed policy \(arn) a new default version")
            } else {
                let versions = try iam.listPolicyVersions(arn: arn)
                if versions.count >= 5, let oldest = versions.first(where: { !$0.isDefault }) {
                    try iam.deletePolicyVersion(arn: arn, versionId: oldest.id)
                }
                try iam.createPolicyVersion(arn: arn, document: document)
                step("gave managed policy \(policyName) a new default version")
            }
        } else if options.dryRun {
            step("create managed policy \(arn)")
        } else {
            do {
                _ = try iam.createPolicy(name: policyName, document: document, description: "credctl template \(options.template.rawValue) for \(options.user)")
                step("created managed policy \(arn)")
            } catch {
                // A retried create whose first answer was lost: the policy is there; check it as any existing one.
                guard case .service(let e) = error, e.code == "EntityAlreadyExists" else { throw error }
                return try attachManaged(iam, client: client, document, step: step)
            }
        }
        if options.dryRun { step("attach \(policyName) to \(options.user)") } else {
            try iam.attachUserPolicy(userName: options.user, policyArn: arn)
            step("attached \(policyName) to \(options.user)")
        }
    }

    /// IAM user names: 1–64 of letters, digits and `+=,.@_-`.
    public static func userNameProblem(_ name: String) -> String? {
        let allowed = Set("+=,.@_-".utf8)
        guard (1...64).contains(name.utf8.count),
              name.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || allowed.contains($0) }) else {
            return "'\(name)' is not a valid IAM user name (1 to 64 letters, digits and +=,.@_-)"
        }
        return nil
    }
}
