import AWSCore

extension SSMClient {
    /// One page of parameter names starting with `prefix` (`DescribeParameters` with a `Name`
    /// `BeginsWith` filter: names only, never a value), at most `maxResults` (1 to 50). An empty
    /// prefix lists every name (the service takes no empty filter value).
    public func parameterNames(beginningWith prefix: String, maxResults: Int, nextToken: String? = nil) throws(AWSError) -> Page<String> {
        var input: [(String, JSONValue)] = [("MaxResults", .number(max(1, min(maxResults, 50))))]
        if !prefix.isEmpty {
            input.append(("ParameterFilters", .array([.object([("Key", .string("Name")), ("Option", .string("BeginsWith")),
                                                               ("Values", .array([.string(prefix)]))])])))
        }
        if let nextToken { input.append(("NextToken", .string(nextToken))) }
        let result = try json.call(SSMOperation.describeParameters, .object(input))
        let names = try (result["Parameters"]?.arrayValue ?? []).map { entry throws(AWSError) -> String in
            guard let name = entry["Name"]?.stringValue else {
                throw .invalidResponse(operation: "ssm:DescribeParameters", detail: "a parameter without Name")
            }
            return name
        }
        return Page(items: names, nextToken: result["NextToken"]?.stringValue)
    }
}
