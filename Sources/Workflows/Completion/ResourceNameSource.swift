import AWSClients
import AWSCore

/// Reading names for a completion: pages of at most `pageSize` until the service has no more
/// or `CompletionNames.limit` are read. Names only (`DescribeParameters`, `ListSecrets`).
enum ResourceNameSource {
    /// Parameter names starting with `query`.
    static func parameters(_ ssm: SSMClient, beginningWith query: String) throws(AWSError) -> CompletionCache.Entry {
        let read = try read { token throws(AWSError) in try ssm.parameterNames(beginningWith: query, maxResults: 50, nextToken: token) }
        return CompletionCache.Entry(names: read.names, complete: read.complete)
    }

    /// Secret names, then their ARNs (`name` and `arn:…` kept in one list, told apart by the prefix).
    static func secrets(_ secrets: SecretsManagerClient, beginningWith query: String) throws(AWSError) -> CompletionCache.Entry {
        let pairs = try read { token throws(AWSError) in try secrets.secretNames(beginningWith: query, maxResults: 100, nextToken: token) }
        return CompletionCache.Entry(names: pairs.names.map(\.name) + pairs.names.map(\.arn).filter { !$0.isEmpty }, complete: pairs.complete)
    }

    static func read<Item: Sendable>(_ page: (String?) throws(AWSError) -> Page<Item>) throws(AWSError) -> (names: [Item], complete: Bool) {
        var items: [Item] = []
        var token: String?
        repeat {
            let next = try page(token)
            items += next.items
            token = next.nextToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil && items.count < CompletionNames.limit
        return (Array(items.prefix(CompletionNames.limit)), token == nil && items.count <= CompletionNames.limit)
    }
}
