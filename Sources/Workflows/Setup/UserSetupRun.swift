import AWSClients
import AWSConfig
import AWSCore

/// The steps of one `setup user` run, remembering what it created so that a run that cannot
/// finish removes exactly that (never what was there before) and says what is left.
struct UserSetupRun {
    let setup: UserSetup
    let iam: IAMClient
    let atMostOnce: AtMostOnce
    let document: JSONValue
    let file: String
    let existingKeyId: String?

    /// What this run made, in order.
    enum Made {
        case user, inlinePolicy, managedPolicy(arn: String), attachment(arn: String), key(id: String)
    }
    var made: [Made] = []
    var steps: [String] = []

    var options: UserSetup.Options { setup.options }
    var user: String { options.user }
    var documentText: String { document.serialized() }

    mutating func step(_ line: String) {
        steps.append(line)
        if !options.dryRun { setup.report(line) }
    }

    mutating func perform() throws -> UserSetup.Report {
        let existing = try iam.findUser(user)
        if existing == nil {
            if options.dryRun { step("create IAM user \(user)") } else {
                _ = try atMostOnce.perform("iam:CreateUser", write: { () throws(AWSError) in try iam.createUser(user) },
                                           check: { _ throws(AWSError) in try iam.findUser(user).map { .landed($0) } ?? .notLanded })
                made.append(.user)
                step("created IAM user \(user)")
            }
        } else {
            step("IAM user \(user) exists: reused")
        }
        let keys = existing == nil ? [] : try iam.listAccessKeys(user)
        if let keyId = existingKeyId, !keys.contains(where: { $0.id == keyId }) {
            throw AWSError.configuration(ConfigurationError("profile [\(options.profileName)] in \(file) holds \(keyId), which is not a key of \(user); choose another --profile-name"))
        }
        if options.managed {
            try attachManaged()
        } else if existing != nil, try iam.getUserPolicy(userName: user, policyName: setup.policyName).flatMap({ try? JSONValue.parse($0) }) == document {
            step("inline policy \(setup.policyName) is already in place")
        } else if options.dryRun {
            step("put inline policy \(setup.policyName) on \(user)")
        } else {
            try iam.putUserPolicy(userName: user, policyName: setup.policyName, document: documentText)
            if existing == nil { made.append(.inlinePolicy) }
            step("put inline policy \(setup.policyName) on \(user)")
        }
        var keyId = existingKeyId
        if let keyId {
            step("profile [\(options.profileName)] already holds \(keyId) of \(user): kept")
        } else if keys.count >= 2 {
            throw AWSError.configuration(ConfigurationError("\(user) already has two access keys, neither in \(file); see credctl keys list --user \(user)"))
        } else if options.dryRun {
            step("create an access key and write it to \(file) as profile [\(options.profileName)]")
        } else {
            keyId = try createAndStoreKey(keysBefore: keys.map(\.id))
        }
        let region = try writeRegion()
        if !options.templates.rotatesOwnKey {
            step("note: \(options.templates.text) does not let \(user) rotate its own key (credctl rotate --profile \(options.profileName) needs iam:ListAccessKeys, CreateAccessKey, UpdateAccessKey and DeleteAccessKey on itself); to allow it: credctl setup user \(user) --template \(options.templates.text),rotate-own-key …")
        }
        return UserSetup.Report(steps: steps, policyName: setup.policyName, policy: document, keyId: keyId, region: region)
    }

    /// The region in use, written into the profile's section of the config file (as `aws
    /// configure` would) so that the profile works on its own; a region the profile has is kept.
    mutating func writeRegion() throws -> String? {
        let session = setup.session
        let profile = options.profileName
        let config = session.files.configPath
        guard let region = (try? session.region)?.name else {
            step("no region in use: profile [\(profile)] has none in \(config) (run again with --region, or aws configure set region REGION --profile \(profile))")
            return nil
        }
        if options.dryRun {
            step("write region \(region) to profile \(profile) in \(config), unless it has one")
            return region
        }
        let writer = ProfileRegionWrite(configPath: config, stateDirectory: StatePaths.directory(session.environment))
        let outcome: ProfileRegionWrite.Outcome
        do { outcome = try writer.write(profile: profile, region: region) } catch {
            // The key is stored and works: the region is not worth undoing it for.
            step("could not write region \(region) to profile \(profile): \(error) (aws configure set region \(region) --profile \(profile))")
            return nil
        }
        switch outcome {
        case .written(let file):
            step("wrote region \(region) to profile \(profile) in \(file)")
            return region
        case .kept(let current):
            step("profile \(profile) has region \(current) in \(config): kept")
            return current
        }
    }

    mutating func createAndStoreKey(keysBefore: [String]) throws -> String {
        let key = try atMostOnce.perform("iam:CreateAccessKey", write: { () throws(AWSError) in try iam.createAccessKey(user) },
                                         check: { _ throws(AWSError) -> AtMostOnce.Check<NewAccessKey> in
            // A lost answer's key is useless (its secret never arrived): delete it, then try again.
            for k in try iam.listAccessKeys(user) where !keysBefore.contains(k.id) { try deleteKey(k.id) }
            return .notLanded
        })
        made.append(.key(id: key.metadata.id))
        let profile = options.profileName
        try CredentialsFileUpdate.checkNewProfile(profile, keyId: key.metadata.id, secret: key.secretAccessKey)
        try CredentialsFileUpdate(path: file, state: RotationState.standard(setup.session.environment, now: setup.session.now)).apply { current in
            guard current.file.section(profile) == nil else {
                throw AWSError.configuration(ConfigurationError("profile [\(profile)] appeared in \(file) meanwhile"))
            }
            return current.appendingProfile(profile, keyId: key.metadata.id, secret: key.secretAccessKey)
        }
        step("created \(key.metadata.id) and wrote it to \(file) as profile [\(profile)]")
        return key.metadata.id
    }

    func deleteKey(_ id: String) throws(AWSError) {
        do {
            try atMostOnce.perform("iam:DeleteAccessKey", write: { () throws(AWSError) in try iam.deleteAccessKey(id, userName: user) },
                                   check: { _ throws(AWSError) in try iam.listAccessKeys(user).contains { $0.id == id } ? .notLanded : .landed(()) })
        } catch where error.isService(.noSuchEntity) {}
    }

    /// Creates the managed policy, or gives it a new default version when its document differs
    /// (deleting the oldest version at IAM's limit of five), then attaches it.
    mutating func attachManaged() throws {
        let identity = try setup.session.sts().getCallerIdentity()
        let arn = "arn:\(IdentityARN.partition(identity.arn)):iam::\(identity.account):policy/\(setup.policyName)"
        let text = documentText
        if let existing = try iam.getPolicy(arn: arn) {
            let current = try iam.getPolicyDocument(arn: arn, versionId: existing.defaultVersionId)
            if (try? JSONValue.parse(current)) == document {
                step("managed policy \(setup.policyName) is already in place")
            } else if options.dryRun {
                step("give managed policy \(arn) a new default version")
            } else {
                try newDefaultVersion(arn)
                step("gave managed policy \(setup.policyName) a new default version")
            }
        } else if options.dryRun {
            step("create managed policy \(arn)")
        } else {
            let iam = self.iam
            _ = try atMostOnce.perform("iam:CreatePolicy", write: { () throws(AWSError) in
                try iam.createPolicy(name: setup.policyName, document: text, description: "credctl template \(options.templates.text) for \(user)")
            }, check: { _ throws(AWSError) in try iam.getPolicy(arn: arn).map { .landed($0) } ?? .notLanded })
            made.append(.managedPolicy(arn: arn))
            step("created managed policy \(arn)")
        }
        if options.dryRun { step("attach \(setup.policyName) to \(user)") } else {
            try iam.attachUserPolicy(userName: user, policyArn: arn)
            made.append(.attachment(arn: arn))
            step("attached \(setup.policyName) to \(user)")
        }
    }

    /// A new default version with this run's document, each call made at most once.
    func newDefaultVersion(_ arn: String) throws(AWSError) {
        let versions = try iam.listPolicyVersions(arn: arn)
        if versions.count >= 5, let oldest = versions.first(where: { !$0.isDefault }) {
            try atMostOnce.perform("iam:DeletePolicyVersion", write: { () throws(AWSError) in
                try iam.deletePolicyVersion(arn: arn, versionId: oldest.id)
            }, check: { _ throws(AWSError) in try iam.listPolicyVersions(arn: arn).contains { $0.id == oldest.id } ? .notLanded : .landed(()) })
        }
        let text = documentText
        let document = self.document
        try atMostOnce.perform("iam:CreatePolicyVersion", write: { () throws(AWSError) in
            try iam.createPolicyVersion(arn: arn, document: text)
        }, check: { _ throws(AWSError) -> AtMostOnce.Check<Void> in
            guard let policy = try iam.getPolicy(arn: arn) else { return .notLanded }
            let current = try iam.getPolicyDocument(arn: arn, versionId: policy.defaultVersionId)
            return (try? JSONValue.parse(current)) == document ? .landed(()) : .notLanded
        })
    }

    /// The error to report for a stop: after undoing what this run made, newest first, it
    /// carries the line that says what is left.
    func stop(_ error: Error) -> Error {
        guard let failure = (error as? any AWSErrorConvertible)?.awsError else {
            return error
        }
        if made.isEmpty { return OperationStopped(failure, left: "nothing was created or changed") }
        var left: [String] = []
        var undone: [String] = []
        for item in made.reversed() {
            do {
                switch item {
                case .key(let id): try deleteKey(id); undone.append("key \(id)")
                case .attachment(let arn): try iam.detachUserPolicy(userName: user, policyArn: arn); undone.append("the attachment")
                case .managedPolicy(let arn): try iam.deletePolicy(arn: arn); undone.append("policy \(setup.policyName)")
                case .inlinePolicy: try iam.deleteUserPolicy(userName: user, policyName: setup.policyName); undone.append("the inline policy")
                case .user: try iam.deleteUser(user); undone.append("user \(user)")
                }
            } catch {
                left.append(Self.describe(item, user: user, policy: setup.policyName))
            }
        }
        let removed = undone.isEmpty ? "" : "removed what this run created (\(undone.joined(separator: ", ")))"
        if left.isEmpty { return OperationStopped(failure, left: removed + "; nothing is left over") }
        return OperationStopped(failure, left: (removed.isEmpty ? "" : removed + "; ") + "left over, remove by hand or run setup again: " + left.joined(separator: ", "))
    }

    static func describe(_ item: Made, user: String, policy: String) -> String {
        switch item {
        case .user: return "IAM user \(user)"
        case .inlinePolicy: return "inline policy \(policy) of \(user)"
        case .managedPolicy(let arn): return "managed policy \(arn)"
        case .attachment(let arn): return "\(arn) attached to \(user)"
        case .key(let id): return "access key \(id) of \(user) (its secret is not stored anywhere)"
        }
    }
}
