import AWSCore
import SigV4

/// The IAM operations credctl calls, answered as IAM answers them (errors and status codes
/// from botocore's model and IAM's documentation: NoSuchEntity 404, EntityAlreadyExists,
/// DeleteConflict and LimitExceeded 409).
extension FakeIAM {
    public func handleIAM(_ call: RecordedRequest, caller: String) -> HTTPResponse {
        let f = call.form
        let action = f["Action"] ?? ""
        return state.withLock { s -> HTTPResponse in
            let userName = f["UserName"] ?? caller
            func noUser(_ name: String) -> HTTPResponse {
                QueryAnswer.error("NoSuchEntity", "The user with name \(name) cannot be found.", status: 404)
            }
            switch action {
            case "GetUser":
                guard let user = s.users[userName] else { return noUser(userName) }
                return QueryAnswer.ok(action, "<User>\(userXML(user))</User>")
            case "CreateUser":
                guard let name = f["UserName"] else { return missing("UserName") }
                guard s.users[name] == nil else {
                    return QueryAnswer.error("EntityAlreadyExists", "User with name \(name) already exists.", status: 409)
                }
                let user = User(name: name, id: s.nextId("AIDA", length: 21), created: s.tick())
                s.users[name] = user
                return QueryAnswer.ok(action, "<User>\(userXML(user))</User>")
            case "DeleteUser":
                guard let user = s.users[userName] else { return noUser(userName) }
                guard user.keys.isEmpty, user.inlinePolicies.isEmpty, user.attached.isEmpty else {
                    return QueryAnswer.error("DeleteConflict", "Cannot delete entity, must delete access keys and policies first.", status: 409)
                }
                s.users[userName] = nil
                return QueryAnswer.empty(action)
            case "ListUsers":
                let users = s.users.values.sorted { $0.name < $1.name }.map { "<member>\(userXML($0))</member>" }
                return page(action, "Users", users, f, s.pageSize)
            case "ListAccessKeys":
                guard let user = s.users[userName] else { return noUser(userName) }
                let keys = user.keys.map { k in
                    "<member>" + QueryAnswer.element("UserName", user.name) + QueryAnswer.element("AccessKeyId", k.id)
                        + QueryAnswer.element("Status", k.status) + QueryAnswer.element("CreateDate", Timestamp.format(k.created)) + "</member>"
                }
                return page(action, "AccessKeyMetadata", keys, f, s.pageSize)
            case "CreateAccessKey":
                guard s.users[userName] != nil else { return noUser(userName) }
                guard (s.users[userName]?.keys.count ?? 0) < 2 else {
                    return QueryAnswer.error("LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2", status: 409)
                }
                let key = Self.makeKey(&s, user: userName)
                return QueryAnswer.ok(action, "<AccessKey>" + QueryAnswer.element("UserName", userName) + QueryAnswer.element("AccessKeyId", key.id)
                                        + QueryAnswer.element("Status", key.status) + QueryAnswer.element("SecretAccessKey", key.secret)
                                        + QueryAnswer.element("CreateDate", Timestamp.format(key.created)) + "</AccessKey>")
            case "UpdateAccessKey", "DeleteAccessKey":
                guard let id = f["AccessKeyId"] else { return missing("AccessKeyId") }
                guard let i = s.users[userName]?.keys.firstIndex(where: { $0.id == id }) else {
                    return QueryAnswer.error("NoSuchEntity", "The Access Key with id \(id) cannot be found.", status: 404)
                }
                if action == "DeleteAccessKey" {
                    s.users[userName]?.keys.remove(at: i)
                } else {
                    guard let status = f["Status"], ["Active", "Inactive"].contains(status) else {
                        return QueryAnswer.error("ValidationError", "Status must be Active or Inactive", status: 400)
                    }
                    s.users[userName]?.keys[i].status = status
                }
                return QueryAnswer.empty(action)
            case "GetAccessKeyLastUsed":
                guard let id = f["AccessKeyId"], let owner = s.owner(ofKey: id), let key = s.users[owner]?.keys.first(where: { $0.id == id }) else {
                    return QueryAnswer.error("AccessDenied", "The access key does not belong to this account.", status: 403)
                }
                let used = key.lastUsed.map { QueryAnswer.element("LastUsedDate", Timestamp.format($0.date))
                    + QueryAnswer.element("ServiceName", $0.service) + QueryAnswer.element("Region", $0.region) }
                    ?? QueryAnswer.element("ServiceName", "N/A") + QueryAnswer.element("Region", "N/A")
                return QueryAnswer.ok(action, QueryAnswer.element("UserName", owner) + "<AccessKeyLastUsed>\(used)</AccessKeyLastUsed>")
            case "PutUserPolicy", "GetUserPolicy", "DeleteUserPolicy":
                guard let name = f["UserName"], let policyName = f["PolicyName"] else { return missing("UserName or PolicyName") }
                guard s.users[name] != nil else { return noUser(name) }
                if action == "PutUserPolicy" {
                    guard let document = f["PolicyDocument"] else { return missing("PolicyDocument") }
                    s.users[name]?.inlinePolicies[policyName] = document
                    return QueryAnswer.empty(action)
                }
                guard let document = s.users[name]?.inlinePolicies[policyName] else {
                    return QueryAnswer.error("NoSuchEntity", "The user policy with name \(policyName) cannot be found.", status: 404)
                }
                if action == "DeleteUserPolicy" {
                    s.users[name]?.inlinePolicies[policyName] = nil
                    return QueryAnswer.empty(action)
                }
                // IAM returns policy documents URL-encoded.
                return QueryAnswer.ok(action, QueryAnswer.element("UserName", name) + QueryAnswer.element("PolicyName", policyName)
                                        + QueryAnswer.element("PolicyDocument", URIEncoding.encode(document)))
            case "CreatePolicy":
                guard let name = f["PolicyName"], let document = f["PolicyDocument"] else { return missing("PolicyName or PolicyDocument") }
                let arn = "arn:aws:iam::\(account):policy/\(name)"
                guard s.policies[arn] == nil else {
                    return QueryAnswer.error("EntityAlreadyExists", "A policy called \(name) already exists. Duplicate names are not allowed.", status: 409)
                }
                let policy = ManagedPolicy(name: name, arn: arn, description: f["Description"],
                                           versions: [PolicyVersion(id: "v1", document: document, created: s.tick())], defaultVersionId: "v1", nextVersion: 2)
                s.policies[arn] = policy
                return QueryAnswer.ok(action, "<Policy>\(policyXML(policy, attachments: 0))</Policy>")
            case "GetPolicy", "DeletePolicy", "GetPolicyVersion", "ListPolicyVersions", "CreatePolicyVersion", "DeletePolicyVersion":
                return policyOperation(action, f, &s)
            case "AttachUserPolicy", "DetachUserPolicy":
                guard let name = f["UserName"], let arn = f["PolicyArn"] else { return missing("UserName or PolicyArn") }
                guard s.users[name] != nil else { return noUser(name) }
                guard s.policies[arn] != nil else { return QueryAnswer.error("NoSuchEntity", "Policy \(arn) does not exist or is not attachable.", status: 404) }
                if action == "AttachUserPolicy" {
                    if s.users[name]?.attached.contains(arn) == false { s.users[name]?.attached.append(arn) }
                } else {
                    guard s.users[name]?.attached.contains(arn) == true else {
                        return QueryAnswer.error("NoSuchEntity", "Policy \(arn) was not found.", status: 404)
                    }
                    s.users[name]?.attached.removeAll { $0 == arn }
                }
                return QueryAnswer.empty(action)
            default:
                return QueryAnswer.error("InvalidAction", "Could not find operation \(action) for version 2010-05-08", status: 400)
            }
        }
    }

    private func policyOperation(_ action: String, _ f: [String: String], _ s: inout State) -> HTTPResponse {
        guard let arn = f["PolicyArn"] else { return missing("PolicyArn") }
        guard var policy = s.policies[arn] else { return QueryAnswer.error("NoSuchEntity", "Policy \(arn) was not found.", status: 404) }
        let attachments = s.users.values.filter { $0.attached.contains(arn) }.count
        func versionXML(_ v: PolicyVersion, document: Bool) -> String {
            (document ? QueryAnswer.element("Document", URIEncoding.encode(v.document)) : "") + QueryAnswer.element("VersionId", v.id)
                + QueryAnswer.element("IsDefaultVersion", v.id == policy.defaultVersionId ? "true" : "false")
                + QueryAnswer.element("CreateDate", Timestamp.format(v.created))
        }
        switch action {
        case "GetPolicy":
            return QueryAnswer.ok(action, "<Policy>\(policyXML(policy, attachments: attachments))</Policy>")
        case "DeletePolicy":
            guard attachments == 0 else { return QueryAnswer.error("DeleteConflict", "Cannot delete a policy attached to entities.", status: 409) }
            s.policies[arn] = nil
            return QueryAnswer.empty(action)
        case "ListPolicyVersions":
            let members = policy.versions.map { "<member>\(versionXML($0, document: false))</member>" }
            return page(action, "Versions", members, f, s.pageSize)
        case "GetPolicyVersion":
            guard let v = policy.versions.first(where: { $0.id == f["VersionId"] }) else {
                return QueryAnswer.error("NoSuchEntity", "Policy \(arn) version \(f["VersionId"] ?? "") does not exist.", status: 404)
            }
            return QueryAnswer.ok(action, "<PolicyVersion>\(versionXML(v, document: true))</PolicyVersion>")
        case "CreatePolicyVersion":
            guard let document = f["PolicyDocument"] else { return missing("PolicyDocument") }
            guard policy.versions.count < 5 else {
                return QueryAnswer.error("LimitExceeded", "A managed policy can have up to 5 versions.", status: 409)
            }
            let v = PolicyVersion(id: "v\(policy.nextVersion)", document: document, created: s.tick())
            policy.nextVersion += 1
            policy.versions.append(v)
            if f["SetAsDefault"] == "true" { policy.defaultVersionId = v.id }
            s.policies[arn] = policy
            return QueryAnswer.ok(action, "<PolicyVersion>\(versionXML(v, document: false))</PolicyVersion>")
        default:  // DeletePolicyVersion
            guard let i = policy.versions.firstIndex(where: { $0.id == f["VersionId"] }) else {
                return QueryAnswer.error("NoSuchEntity", "Policy \(arn) version \(f["VersionId"] ?? "") does not exist.", status: 404)
            }
            guard policy.versions[i].id != policy.defaultVersionId else {
                return QueryAnswer.error("DeleteConflict", "Cannot delete the default version of a policy.", status: 409)
            }
            policy.versions.remove(at: i)
            s.policies[arn] = policy
            return QueryAnswer.empty(action)
        }
    }

    func userXML(_ user: User) -> String {
        QueryAnswer.element("Path", "/") + QueryAnswer.element("UserName", user.name) + QueryAnswer.element("UserId", user.id)
            + QueryAnswer.element("Arn", "arn:aws:iam::\(account):user/\(user.name)") + QueryAnswer.element("CreateDate", Timestamp.format(user.created))
    }

    func policyXML(_ p: ManagedPolicy, attachments: Int) -> String {
        QueryAnswer.element("PolicyName", p.name) + QueryAnswer.element("PolicyId", "ANPAFAKE" + String(p.name.utf8.count))
            + QueryAnswer.element("Arn", p.arn) + QueryAnswer.element("Path", "/") + QueryAnswer.element("DefaultVersionId", p.defaultVersionId)
            + QueryAnswer.element("AttachmentCount", String(attachments)) + QueryAnswer.element("IsAttachable", "true")
    }

    /// One page of a Marker-paginated list: at most `MaxItems` (or the fake's page size) from `Marker`.
    func page(_ action: String, _ listName: String, _ members: [String], _ f: [String: String], _ pageSize: Int?) -> HTTPResponse {
        let start = f["Marker"].flatMap { Int($0.dropFirst("marker-".count)) } ?? 0
        let size = min(f["MaxItems"].flatMap(Int.init) ?? 100, pageSize ?? 100)
        let end = min(members.count, start + size)
        let slice = start < end ? members[start..<end].joined() : ""
        let more = end < members.count
        return QueryAnswer.ok(action, "<\(listName)>\(slice)</\(listName)>" + QueryAnswer.element("IsTruncated", more ? "true" : "false")
                                + (more ? QueryAnswer.element("Marker", "marker-\(end)") : ""))
    }

    func missing(_ what: String) -> HTTPResponse {
        QueryAnswer.error("ValidationError", "1 validation error detected: \(what) must not be null", status: 400)
    }
}
