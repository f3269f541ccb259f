import AWSClients
import AWSCore

/// The two templates for rotating another user's key into a store: the key calls on that one
/// user, and the reads and writes `credctl rotate` makes on one secret or one path (a rollback
/// moves `AWSCURRENT` back, or writes the old values again).
extension PolicyTemplate {
    static func rotationStatements(_ template: PolicyTemplate, _ p: PolicyParameters, arn: String, account: String,
                                   region: String) throws(ConfigurationError) -> [JSONValue] {
        guard let user = p.resources.first, p.resources.count == 1 else {
            throw ConfigurationError("\(template.rawValue) needs --resource USER, the IAM user whose key is rotated")
        }
        guard IAMNameRules.isName(user) else {
            throw ConfigurationError("--resource for \(template.rawValue) is an IAM user name (1-64 letters, digits and +=,.@_-), not '\(PrintableText.escaped(user))'")
        }
        let keys = statement("ManageTheUsersAccessKeys", ["iam:ListAccessKeys", "iam:CreateAccessKey", "iam:UpdateAccessKey", "iam:DeleteAccessKey"],
                             ["\(arn):iam::\(account):user/\(user)"])
        if template == .rotateUserKeyToSecret {
            guard let name = p.path, !name.isEmpty, name.utf8.allSatisfy(isSecretNameByte) else {
                throw ConfigurationError("rotate-user-key-to-secret needs --path SECRET_NAME: the secret's name (letters, digits and /_+=.@-)")
            }
            // A secret's ARN ends with '-' and six random characters.
            return [keys, statement("WriteTheSecret", ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue",
                                                       "secretsmanager:UpdateSecretVersionStage", "secretsmanager:DescribeSecret"],
                                    ["\(arn):secretsmanager:\(region):\(account):secret:\(name)-??????"])]
        }
        let path = try ssmPath(p.path)
        return [
            keys,
            statement("ReadAndWriteTheKeyParameters", ["ssm:GetParameter", "ssm:GetParameters", "ssm:PutParameter", "ssm:DeleteParameters"],
                      ["\(arn):ssm:\(region):\(account):parameter\(path)/AWS_ACCESS_KEY_ID",
                       "\(arn):ssm:\(region):\(account):parameter\(path)/AWS_SECRET_ACCESS_KEY"]),
            statement("FindTheirKMSKey", ["ssm:DescribeParameters"], ["*"]),
            statement("SecureStringsThroughSSM", ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], ["\(arn):kms:\(region):\(account):key/*"],
                      condition: viaService("ssm", region: region)),
        ]
    }
}
