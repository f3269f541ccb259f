import AWSCore

/// One page of a paginated listing.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextToken: String?

    public init(items: [Item], nextToken: String?) {
        self.items = items
        self.nextToken = nextToken
    }
}

/// Follows a listing to its last page, whatever the service calls its token (`NextToken`,
/// `Marker`, `LastEvaluatedTableName`): pages may be short or empty and still carry a token.
/// A token the service hands back twice would loop forever; it is refused, as botocore does.
public enum Paginator {
    /// Every item: `page(nil)`, then `page(token)` for each token until there is none, or until
    /// `limit` items are in hand. `onPage` is told the running count after each page.
    public static func all<Item: Sendable>(operation: String, limit: Int? = nil, onPage: (Int) -> Void = { _ in },
                                 _ page: (String?) throws(AWSError) -> Page<Item>) throws(AWSError) -> [Item] {
        var items: [Item] = []
        var seen: Set<String> = []
        var token: String?
        repeat {
            let next = try page(token)
            items += next.items
            onPage(items.count)
            if let limit, items.count >= limit { return Array(items.prefix(limit)) }
            token = next.nextToken.flatMap { $0.isEmpty ? nil : $0 }
            if let token {
                guard seen.insert(token).inserted else {
                    throw .invalidResponse(operation: operation, detail: "the service returned the same pagination token twice")
                }
            }
        } while token != nil
        return items
    }
}
