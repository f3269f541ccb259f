import AWSCore

/// The IAM operations credctl calls. Creating is never idempotent (IAM has no request token);
/// deleting is not either, since a repeat answers NoSuchEntity for what the first call deleted.
public enum IAMOperation: String, ServiceOperation, CaseIterable {
    case getUser = "GetUser"
    case createUser = "CreateUser"
    case deleteUser = "DeleteUser"
    case listUsers = "ListUsers"
    case listAccessKeys = "ListAccessKeys"
    case createAccessKey = "CreateAccessKey"
    case updateAccessKey = "UpdateAccessKey"
    case deleteAccessKey = "DeleteAccessKey"
    case getAccessKeyLastUsed = "GetAccessKeyLastUsed"
    case putUserPolicy = "PutUserPolicy"
    case getUserPolicy = "GetUserPolicy"
    case deleteUserPolicy = "DeleteUserPolicy"
    case createPolicy = "CreatePolicy"
    case getPolicy = "GetPolicy"
    case deletePolicy = "DeletePolicy"
    case getPolicyVersion = "GetPolicyVersion"
    case listPolicyVersions = "ListPolicyVersions"
    case createPolicyVersion = "CreatePolicyVersion"
    case deletePolicyVersion = "DeletePolicyVersion"
    case attachUserPolicy = "AttachUserPolicy"
    case detachUserPolicy = "DetachUserPolicy"
    case generateCredentialReport = "GenerateCredentialReport"
    case getCredentialReport = "GetCredentialReport"

    public var safety: RepeatSafety {
        switch self {
        case .createUser, .deleteUser, .createAccessKey, .deleteAccessKey, .deleteUserPolicy, .createPolicy, .deletePolicy,
             .createPolicyVersion, .deletePolicyVersion, .detachUserPolicy:
            return .notIdempotent
        case .getUser, .listUsers, .listAccessKeys, .updateAccessKey, .getAccessKeyLastUsed, .putUserPolicy, .getUserPolicy,
             .getPolicy, .getPolicyVersion, .listPolicyVersions, .attachUserPolicy, .generateCredentialReport, .getCredentialReport:
            return .idempotent
        }
    }
}
