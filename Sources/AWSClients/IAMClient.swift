import AWSCore
import SigV4

/// An IAM user as `GetUser`, `CreateUser` and `ListUsers` describe it.
public struct IAMUser: Sendable, Equatable {
    public var name: String
    public var arn: String
    public var userId: String
    /// Seconds since 1970.
    public var created: Int?
}

/// One access key as `ListAccessKeys` describes it (no secret).
public struct AccessKeyMetadata: Sendable, Equatable {
    public enum Status: String, Sendable { case active = "Active", inactive = "Inactive" }

    public var id: String
    public var userName: String
    public var status: Status
    /// Seconds since 1970.
    public var created: Int?
}

/// A new access key: the only time IAM returns its secret.
public struct NewAccessKey: Sendable {
    public var metadata: AccessKeyMetadata
    public var secretAccessKey: String

    public var credentials: SigningCredentials {
        SigningCredentials(accessKeyId: metadata.id, secretAccessKey: secretAccessKey, sessionToken: nil)
    }
}

/// When and where a key was last used (`GetAccessKeyLastUsed`); all nil when never used.
public struct AccessKeyLastUse: Sendable, Equatable {
    public var date: Int?
    public var service: String?
    public var region: String?
}

/// A customer managed policy (`CreatePolicy`, `GetPolicy`).
public struct ManagedPolicy: Sendable, Equatable {
    public var arn: String
    public var defaultVersionId: String
}

/// AWS Identity and Access Management (query protocol, version 2010-05-08; a global service
/// signed for us-east-1 in the aws partition). `userName` nil means the caller's own user.
public struct IAMClient: Sendable {
    let query: QueryProtocol

    public init(client: AWSClient, endpoint: ResolvedEndpoint) {
        query = QueryProtocol(client: client, endpoint: endpoint, service: .iam, version: "2010-05-08")
    }

    /// The same endpoint and settings, signing with other credentials and retrying as `retryPolicy` says.
    public func with(credentials: SigningCredentials, retryPolicy: RetryPolicy? = nil) -> IAMClient {
        IAMClient(client: query.client.with(credentials: credentials, retryPolicy: retryPolicy), endpoint: query.endpoint)
    }

    public var credentials: SigningCredentials? { query.client.credentials }

    // MARK: Users

    public func getUser(_ userName: String? = nil) throws(AWSError) -> IAMUser {
        let result = try query.call("GetUser", Self.user(userName))
        guard let user = result.child("User").flatMap(Self.user(from:)) else {
            throw .invalidResponse(operation: "iam:GetUser", detail: "User missing")
        }
        return user
    }

    public func createUser(_ userName: String, tags: [Tag] = []) throws(AWSError) -> IAMUser {
        var parameters = [("UserName", userName)]
        for (i, tag) in tags.enumerated() {
            parameters += [("Tags.member.\(i + 1).Key", tag.key), ("Tags.member.\(i + 1).Value", tag.value)]
        }
        let result = try query.call("CreateUser", parameters)
        guard let user = result.child("User").flatMap(Self.user(from:)) else {
            throw .invalidResponse(operation: "iam:CreateUser", detail: "User missing")
        }
        return user
    }

    /// Every user of the account, following `Marker` to the last page.
    public func listUsers() throws(AWSError) -> [IAMUser] {
        var users: [IAMUser] = []
        try paginate("ListUsers", []) { result in
            users += result.child("Users")?.children.compactMap(Self.user(from:)) ?? []
        }
        return users
    }

    // MARK: Access keys

    /// The user's keys (at most two), every page read.
    public func listAccessKeys(_ userName: String? = nil) throws(AWSError) -> [AccessKeyMetadata] {
        var keys: [AccessKeyMetadata] = []
        try paginate("ListAccessKeys", Self.user(userName)) { result in
            keys += result.child("AccessKeyMetadata")?.children.compactMap { Self.key(from: $0) } ?? []
        }
        return keys
    }

    /// Not idempotent: IAM has no request token for it. Callers that retry must first look for
    /// a key the lost answer created.
    public func createAccessKey(_ userName: String? = nil) throws(AWSError) -> NewAccessKey {
        let result = try query.call("CreateAccessKey", Self.user(userName))
        guard let element = result.child("AccessKey"), let metadata = Self.key(from: element),
              let secret = element["SecretAccessKey"], !secret.isEmpty else {
            throw .invalidResponse(operation: "iam:CreateAccessKey", detail: "AccessKey or its secret missing")
        }
        return NewAccessKey(metadata: metadata, secretAccessKey: secret)
    }

    public func updateAccessKey(_ keyId: String, status: AccessKeyMetadata.Status, userName: String? = nil) throws(AWSError) {
        _ = try query.call("UpdateAccessKey", [("AccessKeyId", keyId), ("Status", status.rawValue)] + Self.user(userName))
    }

    public func deleteAccessKey(_ keyId: String, userName: String? = nil) throws(AWSError) {
        _ = try query.call("DeleteAccessKey", [("AccessKeyId", keyId)] + Self.user(userName))
    }

    public func getAccessKeyLastUsed(_ keyId: String) throws(AWSError) -> (userName: String?, lastUse: AccessKeyLastUse) {
        let result = try query.call("GetAccessKeyLastUsed", [("AccessKeyId", keyId)])
        let used = result.child("AccessKeyLastUsed")
        // IAM answers "N/A" for the service and region of a key never used.
        func known(_ s: String?) -> String? { s.flatMap { $0.isEmpty || $0 == "N/A" ? nil : $0 } }
        return (result["UserName"], AccessKeyLastUse(date: used?["LastUsedDate"].flatMap(Timestamp.parse),
                                                     service: known(used?["ServiceName"]), region: known(used?["Region"])))
    }

    // MARK: Policies

    /// Adds or replaces the user's inline policy `policyName`.
    public func putUserPolicy(userName: String, policyName: String, document: String) throws(AWSError) {
        _ = try query.call("PutUserPolicy", [("UserName", userName), ("PolicyName", policyName), ("PolicyDocument", document)])
    }

    /// The inline policy's document, or nil when the user has no policy of that name.
    public func getUserPolicy(userName: String, policyName: String) throws(AWSError) -> String? {
        do {
            let result = try query.call("GetUserPolicy", [("UserName", userName), ("PolicyName", policyName)])
            return result["PolicyDocument"].map(Self.urlDecoded)
        } catch {
            if case .service(let e) = error, e.code == "NoSuchEntity" { return nil }
            throw error
        }
    }

    public func createPolicy(name: String, document: String, description: String? = nil) throws(AWSError) -> ManagedPolicy {
        var parameters = [("PolicyName", name), ("PolicyDocument", document)]
        if let description { parameters.append(("Description", description)) }
        let result = try query.call("CreatePolicy", parameters)
        guard let policy = result.child("Policy").flatMap(Self.policy(from:)) else {
            throw .invalidResponse(operation: "iam:CreatePolicy", detail: "Policy missing")
        }
        return policy
    }

    /// The policy, or nil when there is none with that ARN.
    public func getPolicy(arn: String) throws(AWSError) -> ManagedPolicy? {
        let result: XMLElement
        do { result = try query.call("GetPolicy", [("PolicyArn", arn)]) } catch {
            if case .service(let e) = error, e.code == "NoSuchEntity" { return nil }
            throw error
        }
        guard let policy = result.child("Policy").flatMap(Self.policy(from:)) else {
            throw .invalidResponse(operation: "iam:GetPolicy", detail: "Policy missing")
        }
        return policy
    }

    public func getPolicyDocument(arn: String, versionId: String) throws(AWSError) -> String {
        let result = try query.call("GetPolicyVersion", [("PolicyArn", arn), ("VersionId", versionId)])
        guard let document = result.child("PolicyVersion")?["Document"] else {
            throw .invalidResponse(operation: "iam:GetPolicyVersion", detail: "Document missing")
        }
        return Self.urlDecoded(document)
    }

    /// The versions' ids, oldest first, and which is the default.
    public func listPolicyVersions(arn: String) throws(AWSError) -> [(id: String, isDefault: Bool)] {
        var versions: [(id: String, isDefault: Bool, created: Int)] = []
        try paginate("ListPolicyVersions", [("PolicyArn", arn)]) { result in
            for v in result.child("Versions")?.children ?? [] {
                guard let id = v["VersionId"] else { continue }
                versions.append((id, v["IsDefaultVersion"] == "true", v["CreateDate"].flatMap(Timestamp.parse) ?? 0))
            }
        }
        return versions.sorted { $0.created < $1.created }.map { ($0.id, $0.isDefault) }
    }

    public func createPolicyVersion(arn: String, document: String) throws(AWSError) {
        _ = try query.call("CreatePolicyVersion", [("PolicyArn", arn), ("PolicyDocument", document), ("SetAsDefault", "true")])
    }

    public func deletePolicyVersion(arn: String, versionId: String) throws(AWSError) {
        _ = try query.call("DeletePolicyVersion", [("PolicyArn", arn), ("VersionId", versionId)])
    }

    public func attachUserPolicy(userName: String, policyArn: String) throws(AWSError) {
        _ = try query.call("AttachUserPolicy", [("UserName", userName), ("PolicyArn", policyArn)])
    }

    // MARK: Decoding

    /// Calls `action` page by page (`Marker`/`IsTruncated`), handing each result to `page`.
    private func paginate(_ action: String, _ parameters: [(String, String)],
                          _ page: (XMLElement) -> Void) throws(AWSError) {
        var marker: String?
        repeat {
            let result = try query.call(action, parameters + (marker.map { [("Marker", $0)] } ?? []))
            page(result)
            marker = result["IsTruncated"] == "true" ? result["Marker"] : nil
        } while marker != nil
    }

    /// IAM returns policy documents URL-encoded.
    static func urlDecoded(_ s: String) -> String { String(decoding: URIEncoding.decode(Array(s.utf8)), as: UTF8.self) }

    private static func user(_ name: String?) -> [(String, String)] { name.map { [("UserName", $0)] } ?? [] }

    static func user(from e: XMLElement) -> IAMUser? {
        guard let name = e["UserName"], let arn = e["Arn"] else { return nil }
        return IAMUser(name: name, arn: arn, userId: e["UserId"] ?? "", created: e["CreateDate"].flatMap(Timestamp.parse))
    }

    static func key(from e: XMLElement) -> AccessKeyMetadata? {
        guard let id = e["AccessKeyId"], let status = e["Status"].flatMap(AccessKeyMetadata.Status.init(rawValue:)) else { return nil }
        return AccessKeyMetadata(id: id, userName: e["UserName"] ?? "", status: status, created: e["CreateDate"].flatMap(Timestamp.parse))
    }

    static func policy(from e: XMLElement) -> ManagedPolicy? {
        guard let arn = e["Arn"] else { return nil }
        return ManagedPolicy(arn: arn, defaultVersionId: e["DefaultVersionId"] ?? "v1")
    }
}
