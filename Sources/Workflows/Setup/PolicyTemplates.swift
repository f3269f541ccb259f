import AWSCore

/// One template, or several combined as `--template dynamodb-read,rotate-own-key`: one policy
/// holding every template's statements, in the order given (a repeated statement id gets the
/// template's name appended, since IAM wants them unique).
public struct PolicyTemplates: Sendable, Equatable {
    public var all: [PolicyTemplate]

    public init(_ all: [PolicyTemplate]) { self.all = all }

    /// `a,b,c`; nil when a name is not a template, or one is given twice.
    public init?(_ text: String) {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
        let templates = names.compactMap(PolicyTemplate.init(rawValue:))
        guard !templates.isEmpty, templates.count == names.count, Set(templates).count == templates.count else { return nil }
        all = templates
    }

    /// As given: `dynamodb-read,rotate-own-key`.
    public var text: String { all.map(\.rawValue).joined(separator: ",") }
    /// In a policy name: `dynamodb-read+rotate-own-key` (IAM names take `+`, not `,`).
    public var name: String { all.map(\.rawValue).joined(separator: "+") }
    public var trustPolicy: PolicyTemplate? { all.first(where: \.isTrustPolicy) }

    /// Whether the user can run `credctl rotate` on its own key with this policy.
    public var rotatesOwnKey: Bool { all.contains(.rotateOwnKey) }

    public func document(_ p: PolicyParameters) throws(ConfigurationError) -> JSONValue {
        if all.count == 1 { return try all[0].document(p) }
        var statements: [JSONValue] = []
        var ids = Set<String>()
        for template in all {
            for statement in try template.document(p)["Statement"]?.arrayValue ?? [] {
                guard case .object(var members) = statement else { continue }
                if let k = members.firstIndex(where: { $0.0 == "Sid" }), case .string(let sid) = members[k].1, !ids.insert(sid).inserted {
                    let unique = sid + template.rawValue.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
                    ids.insert(unique)
                    members[k].1 = .string(unique)
                }
                statements.append(.object(members))
            }
        }
        return PolicyTemplate.policy(statements)
    }
}
