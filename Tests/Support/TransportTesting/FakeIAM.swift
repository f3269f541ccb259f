import AWSCore
import SigV4
import Synchronization

/// IAM and STS of one fake account: users, their access keys (two at most, as IAM allows),
/// inline and managed policies. Every IAM, STS and SSM request must be signed by an active
/// key it holds; STS can be told to refuse keys as "not yet propagated". Thread-safe.
public final class FakeIAM: Sendable {
    public let account: String

    public struct Key: Sendable, Equatable {
        public var id: String
        public var secret: String
        public var status: String
        public var created: Int
        public var lastUsed: (date: Int, service: String, region: String)?

        public var credentials: SigningCredentials { SigningCredentials(accessKeyId: id, secretAccessKey: secret) }

        public static func == (a: Key, b: Key) -> Bool { a.id == b.id && a.secret == b.secret && a.status == b.status && a.created == b.created }
    }

    public struct User: Sendable {
        public var name: String
        public var id: String
        public var created: Int
        public var keys: [Key] = []
        /// Inline policies by name, as put (not URL-encoded).
        public var inlinePolicies: [String: String] = [:]
        /// ARNs of the attached managed policies.
        public var attached: [String] = []
    }

    public struct PolicyVersion: Sendable {
        public var id: String
        public var document: String
        public var created: Int
    }

    public struct ManagedPolicy: Sendable {
        public var name: String
        public var arn: String
        public var description: String?
        public var versions: [PolicyVersion]
        public var defaultVersionId: String
        public var nextVersion: Int
    }

    struct State {
        var users: [String: User] = [:]
        var policies: [String: ManagedPolicy] = [:]
        var counter = 0
        var clock = 1_767_225_600  // 2026-01-01T00:00:00Z, one minute more per change
        /// Key id → how many more STS calls refuse it as unknown.
        var stsRefusals: [String: Int] = [:]
        var newKeysRefusedBySTS = 0
        var pageSize: Int?

        mutating func tick() -> Int { clock += 60; return clock }

        mutating func nextId(_ prefix: String, length: Int = 20) -> String {
            counter += 1
            let digits = String(counter)
            return prefix + String(repeating: "0", count: length - prefix.count - digits.count - 4) + "FAKE" + digits
        }

        func owner(ofKey id: String) -> String? { users.values.first { $0.keys.contains { $0.id == id } }?.name }
    }

    let state = Mutex(State())

    public init(account: String) { self.account = account }

    // MARK: Setting up

    @discardableResult
    public func addUser(_ name: String) -> User {
        state.withLock { s in
            if let existing = s.users[name] { return existing }
            let user = User(name: name, id: s.nextId("AIDA", length: 21), created: s.tick())
            s.users[name] = user
            return user
        }
    }

    /// A new key of `user` (created if needed), with a secret of 40 characters.
    @discardableResult
    public func addKey(user: String, status: String = "Active") -> SigningCredentials {
        addUser(user)
        return state.withLock { s in Self.makeKey(&s, user: user, status: status).credentials }
    }

    static func makeKey(_ s: inout State, user: String, status: String = "Active") -> Key {
        let id = s.nextId("AKIA")
        let secret = "fakeSecret/" + String(repeating: "x", count: 25) + String(id.suffix(4))
        let key = Key(id: id, secret: secret, status: status, created: s.tick())
        s.users[user]?.keys.append(key)
        if s.newKeysRefusedBySTS > 0 { s.stsRefusals[id] = s.newKeysRefusedBySTS }
        return key
    }

    public func setStatus(ofKey id: String, _ status: String) {
        state.withLock { s in
            guard let user = s.owner(ofKey: id), let i = s.users[user]?.keys.firstIndex(where: { $0.id == id }) else { return }
            s.users[user]?.keys[i].status = status
        }
    }

    /// Every key created from now on is refused by STS (`InvalidClientTokenId`) for its first `calls` calls.
    /// The account's clock (seconds since 1970): a minute passes with each change.
    public var now: Int { state.withLock { $0.clock } }

    /// Moves the account's clock on by `seconds`.
    public func advanceClock(_ seconds: Int) { state.withLock { $0.clock += seconds } }

    public func refuseNewKeysInSTS(calls: Int) { state.withLock { $0.newKeysRefusedBySTS = calls } }

    /// STS refuses `keyId` for its next `calls` calls, as if IAM had not propagated it yet.
    public func refuseInSTS(keyId: String, calls: Int) { state.withLock { $0.stsRefusals[keyId] = calls } }

    /// List operations answer at most this many items per page (`IsTruncated`, `Marker`).
    public func setPageSize(_ size: Int?) { state.withLock { $0.pageSize = size } }

    public func putManagedPolicy(name: String, documents: [String]) -> String {
        state.withLock { s in
            let arn = "arn:aws:iam::\(account):policy/\(name)"
            var versions: [PolicyVersion] = []
            for document in documents { versions.append(PolicyVersion(id: "v\(versions.count + 1)", document: document, created: s.tick())) }
            s.policies[arn] = ManagedPolicy(name: name, arn: arn, versions: versions, defaultVersionId: versions.last?.id ?? "v1",
                                            nextVersion: versions.count + 1)
            return arn
        }
    }

    // MARK: Looking

    public func user(_ name: String) -> User? { state.withLock { $0.users[name] } }
    public var userNames: [String] { state.withLock { $0.users.keys.sorted() } }
    public func keys(of user: String) -> [Key] { state.withLock { $0.users[user]?.keys ?? [] } }
    public func keyIds(of user: String) -> [String] { keys(of: user).map(\.id) }
    public func key(_ id: String) -> Key? {
        state.withLock { s in s.owner(ofKey: id).flatMap { s.users[$0]?.keys.first { $0.id == id } } }
    }
    public func policy(_ arn: String) -> ManagedPolicy? { state.withLock { $0.policies[arn] } }
    public var policyArns: [String] { state.withLock { $0.policies.keys.sorted() } }

    // MARK: Authentication

    /// The user whose active key signed `call` with the right secret, or why not.
    public func authenticate(_ call: RecordedRequest) -> Result<String, AuthRefusal> {
        let invalid = AuthRefusal(code: "InvalidClientTokenId", message: "The security token included in the request is invalid.", status: 403)
        guard let scope = call.credential else { return .failure(invalid) }
        return state.withLock { s in
            guard let user = s.owner(ofKey: scope.accessKeyId), let key = s.users[user]?.keys.first(where: { $0.id == scope.accessKeyId }),
                  key.status == "Active" else {
                return .failure(invalid)
            }
            if scope.service == "sts", let left = s.stsRefusals[key.id], left > 0 {
                s.stsRefusals[key.id] = left - 1
                return .failure(invalid)
            }
            guard call.signatureMatches(secret: key.secret) else {
                return .failure(AuthRefusal(code: "SignatureDoesNotMatch",
                                            message: "The request signature we calculated does not match the signature you provided.", status: 403))
            }
            if let i = s.users[user]?.keys.firstIndex(where: { $0.id == key.id }) {
                s.users[user]?.keys[i].lastUsed = (s.clock, scope.service, scope.region)
            }
            return .success(user)
        }
    }

    // MARK: STS

    public func handleSTS(_ call: RecordedRequest, caller: String) -> HTTPResponse {
        let ns = "https://sts.amazonaws.com/doc/2011-06-15/"
        switch call.form["Action"] {
        case "GetCallerIdentity":
            let id = state.withLock { $0.users[caller]?.id ?? "" }
            return QueryAnswer.ok("GetCallerIdentity", QueryAnswer.element("Arn", "arn:aws:iam::\(account):user/\(caller)")
                                    + QueryAnswer.element("UserId", id) + QueryAnswer.element("Account", account), namespace: ns)
        default:
            return QueryAnswer.error("InvalidAction", "Could not find operation \(call.form["Action"] ?? "")", status: 400)
        }
    }
}
