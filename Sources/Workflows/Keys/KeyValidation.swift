import AWSClients
import AWSCore
import AWSCredentials

/// `keys validate`: a CI gate on one access key.
public struct KeyValidation: Sendable {
    public struct Options: Sendable {
        public var requireLongTerm: Bool
        /// Seconds; nil skips the age check.
        public var maxAge: Int?
        /// Check this key (looked up with the resolved credentials) instead of the resolved one.
        public var keyId: String?

        public init(requireLongTerm: Bool, maxAge: Int?, keyId: String?) {
            self.requireLongTerm = requireLongTerm
            self.maxAge = maxAge
            self.keyId = keyId
        }
    }

    public struct Verdict: Sendable, Equatable {
        public enum Status: String, Sendable { case pass, fail, credentials }
        public var status: Status
        public var keyId: String?
        public var reason: String
        /// The checks that ran, in order, each with its outcome.
        public var checks: [(name: String, passed: Bool, detail: String)]

        public static func == (a: Verdict, b: Verdict) -> Bool {
            a.status == b.status && a.keyId == b.keyId && a.reason == b.reason
        }
    }

    public let session: AWSSession
    public let options: Options
    /// The clock ages are measured with, read when the key's age is computed (after IAM answered).
    public let clock: @Sendable () -> Int

    /// `now` replaces the session's clock (tests).
    public init(session: AWSSession, options: Options, now: (@Sendable () -> Int)? = nil) {
        self.session = session
        self.options = options
        self.clock = now ?? session.now
    }

    public func run() throws(AWSError) -> Verdict {
        var checks: [(name: String, passed: Bool, detail: String)] = []
        func fail(_ id: String?, _ check: String, _ reason: String, status: Verdict.Status = .fail) -> Verdict {
            checks.append((check, false, reason))
            return Verdict(status: status, keyId: id, reason: reason, checks: checks)
        }
        let credentials: Credentials?
        let id: String
        if let given = options.keyId {
            credentials = nil
            id = given
        } else {
            do { credentials = try session.resolveCredentials().credentials } catch {
                return fail(nil, "credentials", "no usable credentials: \(error)", status: .credentials)
            }
            id = credentials!.accessKeyId
        }
        if let problem = KeyIdInspection.shapeProblem(id), !id.isEmpty {
            return fail(id, "well-formed", "malformed access key id: \(problem)")
        }
        let type = KeyType(accessKeyId: id)
        guard type != .unknown else {
            return fail(id, "well-formed", "\(id.prefix(4)) is not an access key prefix (AKIA long-term, ASIA temporary)")
        }
        if let credentials {
            let secret = credentials.signing.secretAccessKey
            if secret.count != 40 || !secret.utf8.allSatisfy({ Self.secretCharacters.contains($0) }) {
                return fail(id, "well-formed", "the secret access key is not 40 characters of A–Z, a–z, 0–9, / and + (it is never shown)")
            }
            if type == .temporary, credentials.signing.sessionToken == nil {
                return fail(id, "well-formed", "\(id) is a temporary (ASIA) key without its session token; temporary keys work only with the token they were issued with (AWS_SESSION_TOKEN or aws_session_token)", status: .credentials)
            }
        }
        checks.append(("well-formed", true, "\(id.prefix(4)) key id"))
        if options.requireLongTerm, type == .temporary {
            let source = credentials.map { " from \($0.provenance.summary)" } ?? ""
            return fail(id, "long-term", "\(id) is a temporary (ASIA) key\(source); this gate requires a long-term AKIA key of an IAM user. Temporary keys come from roles (assume role, SSO, web identity, container or instance credentials) and expire on their own")
        }
        if options.requireLongTerm { checks.append(("long-term", true, "AKIA")) }

        var user: String?
        let iamClient: IAMClient
        if credentials != nil {
            let identity: CallerIdentity
            do { identity = try session.sts().getCallerIdentity() } catch {
                if case .service(let e) = error, e.isCredentialError {
                    return fail(id, "sts", "STS refused \(id): \(e.code) (\(CredentialErrorExplanation.explain(e.code)))", status: .credentials)
                }
                throw error
            }
            checks.append(("sts", true, identity.arn))
            user = IdentityARN.userName(identity.arn)
            iamClient = try session.iam()
        } else {
            iamClient = try session.iam()
            do { user = try iamClient.getAccessKeyLastUsed(id).userName } catch {
                if case .service(let e) = error, !e.isCredentialError {
                    return fail(id, "active", "cannot look up \(id): \(e.code): \(e.message)")
                }
                throw error
            }
        }
        guard options.maxAge != nil || options.keyId != nil else {
            return Verdict(status: .pass, keyId: id, reason: "\(id) works against STS", checks: checks)
        }
        guard type == .longTerm else {
            return Verdict(status: .pass, keyId: id, reason: "\(id) works against STS (a temporary key has no age to check)", checks: checks)
        }
        let keys: [AccessKeyMetadata]
        do { keys = try iamClient.listAccessKeys(user) } catch {
            if case .service(let e) = error, !e.isCredentialError {
                return fail(id, "age", "cannot read the key's status and age: \(e.code) for iam:ListAccessKeys (grant it, or drop --max-age)")
            }
            throw error
        }
        guard let key = keys.first(where: { $0.id == id }) else {
            return fail(id, "active", "\(id) is not one of \(user ?? "the caller")'s access keys")
        }
        guard key.status == .active else { return fail(id, "active", "\(id) is inactive") }
        checks.append(("active", true, "Active"))
        let now = clock()
        let age = key.created.map { max(0, now - $0) }
        if let maxAge = options.maxAge {
            guard let age else { return fail(id, "age", "IAM gave no creation date for \(id)") }
            if age > maxAge {
                return fail(id, "age", "\(id) is \(age / 86_400) days old; the limit is \(maxAge / 86_400) days: rotate it (credctl rotate)")
            }
            checks.append(("age", true, "\(age / 86_400) days (limit \(maxAge / 86_400))"))
        }
        let ageText = age.map { ", \($0 / 86_400) days old" } ?? ""
        return Verdict(status: .pass, keyId: id, reason: "\(id) of \(user ?? "root") is active\(ageText)\(options.maxAge.map { " (limit \($0 / 86_400))" } ?? "")", checks: checks)
    }

    static let secretCharacters: Set<UInt8> = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+".utf8))
}
