import AWSCore
import SigV4

/// AWS Identity and Access Management (query protocol, version 2010-05-08; a global service
/// signed for us-east-1 in the aws partition). `userName` nil means the caller's own user.
/// The calls that are not idempotent (`IAMOperation.safety`) are sent at most once by this
/// client; callers reconcile a lost answer through `AtMostOnce`.
public struct IAMClient: Sendable {
    let query: QueryProtocol

    public init(client: AWSClient, endpoint: ResolvedEndpoint) {
        query = QueryProtocol(client: client, endpoint: endpoint, service: .iam, version: "2010-05-08")
    }

    /// The same endpoint and core, signing with other credentials.
    public func signing(with credentials: SigningCredentials) -> IAMClient {
        IAMClient(client: query.client.signing(with: credentials), endpoint: query.endpoint)
    }

    /// The keys this client signs with.
    public func currentCredentials() throws(AWSError) -> SigningCredentials? { try query.client.currentCredentials() }

    public var retryPolicy: RetryPolicy { query.client.retryPolicy }
    /// The run's client core (its clock, for waits on IAM).
    public var core: ClientCore { query.client.core }

    // MARK: Users

    public func getUser(_ userName: String? = nil) throws(AWSError) -> IAMUser {
        let result = try query.call(IAMOperation.getUser, Self.user(userName))
        return try Self.decode(result.child("User"), Self.user(from:), "iam:GetUser", "User")
    }

    /// The user, or nil when there is none of that name.
    public func findUser(_ userName: String) throws(AWSError) -> IAMUser? {
        do { return try getUser(userName) } catch where error.isService(.noSuchEntity) { return nil }
    }

    public func createUser(_ userName: String, tags: [Tag] = []) throws(AWSError) -> IAMUser {
        var parameters = [("UserName", userName)]
        for (i, tag) in tags.enumerated() {
            parameters += [("Tags.member.\(i + 1).Key", tag.key), ("Tags.member.\(i + 1).Value", tag.value)]
        }
        let result = try query.call(IAMOperation.createUser, parameters)
        return try Self.decode(result.child("User"), Self.user(from:), "iam:CreateUser", "User")
    }

    public func deleteUser(_ userName: String) throws(AWSError) {
        _ = try query.call(IAMOperation.deleteUser, [("UserName", userName)])
    }

    /// Every user of the account, every page read; `onPage` is told the running count.
    public func listUsers(onPage: (Int) -> Void = { _ in }) throws(AWSError) -> [IAMUser] {
        try paginate(.listUsers, [], onPage: onPage) { result throws(AWSError) in
            try Self.members(result, "Users", "iam:ListUsers").map { e throws(AWSError) in
                try Self.requireDate(e["CreateDate"], "CreateDate", "iam:ListUsers")
                return try Self.decode(e, Self.user(from:), "iam:ListUsers", "member")
            }
        }
    }

    // MARK: Access keys

    /// The user's keys (at most two), every page read.
    public func listAccessKeys(_ userName: String? = nil) throws(AWSError) -> [AccessKeyMetadata] {
        try paginate(.listAccessKeys, Self.user(userName)) { result throws(AWSError) in
            try Self.members(result, "AccessKeyMetadata", "iam:ListAccessKeys").map { e throws(AWSError) in
                try Self.requireDate(e["CreateDate"], "CreateDate", "iam:ListAccessKeys")
                return try Self.decode(e, Self.key(from:), "iam:ListAccessKeys", "AccessKeyMetadata member")
            }
        }
    }

    /// Not idempotent: IAM has no request token for it. Callers reconcile a lost answer by
    /// listing the user's keys (`AtMostOnce`).
    public func createAccessKey(_ userName: String? = nil) throws(AWSError) -> NewAccessKey {
        let result = try query.call(IAMOperation.createAccessKey, Self.user(userName))
        guard let element = result.child("AccessKey"), let metadata = Self.key(from: element),
              let secret = element["SecretAccessKey"], !secret.isEmpty else {
            throw .invalidResponse(operation: "iam:CreateAccessKey", detail: "AccessKey or its secret missing")
        }
        return NewAccessKey(metadata: metadata, secretAccessKey: secret)
    }

    public func updateAccessKey(_ keyId: String, status: AccessKeyMetadata.Status, userName: String? = nil) throws(AWSError) {
        _ = try query.call(IAMOperation.updateAccessKey, [("AccessKeyId", keyId), ("Status", status.rawValue)] + Self.user(userName))
    }

    public func deleteAccessKey(_ keyId: String, userName: String? = nil) throws(AWSError) {
        _ = try query.call(IAMOperation.deleteAccessKey, [("AccessKeyId", keyId)] + Self.user(userName))
    }

    public func getAccessKeyLastUsed(_ keyId: String) throws(AWSError) -> (userName: String?, lastUse: AccessKeyLastUse) {
        let result = try query.call(IAMOperation.getAccessKeyLastUsed, [("AccessKeyId", keyId)])
        let used = result.child("AccessKeyLastUsed")
        // IAM answers "N/A" for the service and region of a key never used.
        func known(_ s: String?) -> String? { s.flatMap { $0.isEmpty || $0 == "N/A" ? nil : $0 } }
        // An absent date is a key never used; one that is there but cannot be read is no answer.
        try Self.requireDate(used?["LastUsedDate"], "LastUsedDate", "iam:GetAccessKeyLastUsed")
        return (result["UserName"], AccessKeyLastUse(date: used?["LastUsedDate"].flatMap(Timestamp.parse),
                                                     service: known(used?["ServiceName"]), region: known(used?["Region"])))
    }

    // MARK: Inline policies

    /// Adds or replaces the user's inline policy `policyName`.
    public func putUserPolicy(userName: String, policyName: String, document: String) throws(AWSError) {
        _ = try query.call(IAMOperation.putUserPolicy, [("UserName", userName), ("PolicyName", policyName), ("PolicyDocument", document)])
    }

    /// The inline policy's document, or nil when the user has no policy of that name.
    public func getUserPolicy(userName: String, policyName: String) throws(AWSError) -> String? {
        let result: XMLElement
        do { result = try query.call(IAMOperation.getUserPolicy, [("UserName", userName), ("PolicyName", policyName)]) } catch where error.isService(.noSuchEntity) {
            return nil
        }
        guard let document = result["PolicyDocument"] else {
            throw .invalidResponse(operation: "iam:GetUserPolicy", detail: "PolicyDocument missing")
        }
        return Self.urlDecoded(document)
    }

    public func deleteUserPolicy(userName: String, policyName: String) throws(AWSError) {
        _ = try query.call(IAMOperation.deleteUserPolicy, [("UserName", userName), ("PolicyName", policyName)])
    }

    // MARK: Managed policies

    public func createPolicy(name: String, document: String, description: String? = nil) throws(AWSError) -> ManagedPolicy {
        var parameters = [("PolicyName", name), ("PolicyDocument", document)]
        if let description { parameters.append(("Description", description)) }
        let result = try query.call(IAMOperation.createPolicy, parameters)
        return try Self.decode(result.child("Policy"), Self.policy(from:), "iam:CreatePolicy", "Policy")
    }

    /// The policy, or nil when there is none with that ARN.
    public func getPolicy(arn: String) throws(AWSError) -> ManagedPolicy? {
        let result: XMLElement
        do { result = try query.call(IAMOperation.getPolicy, [("PolicyArn", arn)]) } catch where error.isService(.noSuchEntity) {
            return nil
        }
        return try Self.decode(result.child("Policy"), Self.policy(from:), "iam:GetPolicy", "Policy")
    }

    public func deletePolicy(arn: String) throws(AWSError) {
        _ = try query.call(IAMOperation.deletePolicy, [("PolicyArn", arn)])
    }

    public func getPolicyDocument(arn: String, versionId: String) throws(AWSError) -> String {
        let result = try query.call(IAMOperation.getPolicyVersion, [("PolicyArn", arn), ("VersionId", versionId)])
        guard let document = result.child("PolicyVersion")?["Document"] else {
            throw .invalidResponse(operation: "iam:GetPolicyVersion", detail: "Document missing")
        }
        return Self.urlDecoded(document)
    }

    /// The versions, oldest first.
    public func listPolicyVersions(arn: String) throws(AWSError) -> [PolicyVersion] {
        let versions = try paginate(.listPolicyVersions, [("PolicyArn", arn)]) { result throws(AWSError) in
            try (result.child("Versions")?.children ?? []).map { v throws(AWSError) -> PolicyVersion in
                guard let id = v["VersionId"] else { throw .invalidResponse(operation: "iam:ListPolicyVersions", detail: "VersionId missing") }
                return PolicyVersion(id: id, isDefault: v["IsDefaultVersion"] == "true", created: v["CreateDate"].flatMap(Timestamp.parse))
            }
        }
        return versions.sorted { ($0.created ?? 0) < ($1.created ?? 0) }
    }

    /// A new version, made the default.
    public func createPolicyVersion(arn: String, document: String) throws(AWSError) {
        _ = try query.call(IAMOperation.createPolicyVersion, [("PolicyArn", arn), ("PolicyDocument", document), ("SetAsDefault", "true")])
    }

    public func deletePolicyVersion(arn: String, versionId: String) throws(AWSError) {
        _ = try query.call(IAMOperation.deletePolicyVersion, [("PolicyArn", arn), ("VersionId", versionId)])
    }

    public func attachUserPolicy(userName: String, policyArn: String) throws(AWSError) {
        _ = try query.call(IAMOperation.attachUserPolicy, [("UserName", userName), ("PolicyArn", policyArn)])
    }

    public func detachUserPolicy(userName: String, policyArn: String) throws(AWSError) {
        _ = try query.call(IAMOperation.detachUserPolicy, [("UserName", userName), ("PolicyArn", policyArn)])
    }

    // MARK: Decoding

    /// Calls `operation` page by page (`Marker`/`IsTruncated`), decoding each page with `items`.
    private func paginate<Item: Sendable>(_ operation: IAMOperation, _ parameters: [(String, String)], onPage: (Int) -> Void = { _ in },
                                _ items: (XMLElement) throws(AWSError) -> [Item]) throws(AWSError) -> [Item] {
        try Paginator.all(operation: "iam:\(operation.name)", onPage: onPage) { marker throws(AWSError) in
            let result = try query.call(operation, parameters + (marker.map { [("Marker", $0)] } ?? []))
            return Page(items: try items(result), nextToken: result["IsTruncated"] == "true" ? result["Marker"] : nil)
        }
    }

    /// A date the answer holds must be readable: one that is there but is not a date is an
    /// unreadable answer (never a key without an age, which an audit would pass).
    static func requireDate(_ text: String?, _ name: String, _ operation: String) throws(AWSError) {
        guard let text, Timestamp.parse(text) == nil else { return }
        throw .invalidResponse(operation: operation, detail: "\(name) '\(PrintableText.escaped(String(text.prefix(32))))' is not a date")
    }

    /// `decode(element)`, or an unreadable-answer error naming what was missing.
    static func decode<T>(_ element: XMLElement?, _ decode: (XMLElement) -> T?, _ operation: String, _ what: String) throws(AWSError) -> T {
        guard let element, let value = decode(element) else {
            throw .invalidResponse(operation: operation, detail: "\(what) missing or incomplete")
        }
        return value
    }

    /// The members of the list `name`, which the model requires: a missing list is an unreadable
    /// answer, never an empty one (a user with no keys answers `<AccessKeyMetadata/>`).
    static func members(_ result: XMLElement, _ name: String, _ operation: String) throws(AWSError) -> [XMLElement] {
        guard let list = result.child(name) else { throw .invalidResponse(operation: operation, detail: "\(name) missing") }
        return list.children
    }

    /// IAM returns policy documents URL-encoded.
    static func urlDecoded(_ s: String) -> String { String(decoding: URIEncoding.decode(Array(s.utf8)), as: UTF8.self) }

    private static func user(_ name: String?) -> [(String, String)] { name.map { [("UserName", $0)] } ?? [] }

    static func user(from e: XMLElement) -> IAMUser? {
        guard let name = e["UserName"], let arn = e["Arn"], let id = e["UserId"] else { return nil }
        return IAMUser(name: name, arn: arn, userId: id, created: e["CreateDate"].flatMap(Timestamp.parse))
    }

    static func key(from e: XMLElement) -> AccessKeyMetadata? {
        guard let id = e["AccessKeyId"], let status = e["Status"].flatMap(AccessKeyMetadata.Status.init(rawValue:)) else { return nil }
        return AccessKeyMetadata(id: id, userName: e["UserName"] ?? "", status: status, created: e["CreateDate"].flatMap(Timestamp.parse))
    }

    static func policy(from e: XMLElement) -> ManagedPolicy? {
        guard let arn = e["Arn"], let version = e["DefaultVersionId"] else { return nil }
        return ManagedPolicy(arn: arn, defaultVersionId: version)
    }
}
