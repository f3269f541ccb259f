import AWSCore

extension SecretsManagerClient {
    /// One page of secrets' names and ARNs (`ListSecrets`, a `name` filter when `prefix` is not
    /// empty: no value is read), at most `maxResults` (1 to 100). An entry without `ARN` has an
    /// empty one; one without `Name` is an unreadable answer.
    public func secretNames(beginningWith prefix: String, maxResults: Int, nextToken: String? = nil) throws(AWSError) -> Page<(name: String, arn: String)> {
        var input: [(String, JSONValue)] = [("MaxResults", .number(max(1, min(maxResults, 100))))]
        if !prefix.isEmpty {
            input.append(("Filters", .array([.object([("Key", .string("name")), ("Values", .array([.string(prefix)]))])])))
        }
        if let nextToken { input.append(("NextToken", .string(nextToken))) }
        let result = try json.call(SecretsManagerOperation.listSecrets, .object(input))
        let items = try (result["SecretList"]?.arrayValue ?? []).map { entry throws(AWSError) -> (name: String, arn: String) in
            guard let name = entry["Name"]?.stringValue else {
                throw .invalidResponse(operation: "secretsmanager:ListSecrets", detail: "a secret without Name")
            }
            return (name, entry["ARN"]?.stringValue ?? "")
        }
        return Page(items: items, nextToken: result["NextToken"]?.stringValue)
    }
}
