import AWSClients
import AWSCore

/// `params import` and `params copy`: what would be written where, worked out against what
/// is already there before anything is written, then applied with bounded concurrency.
public struct ParameterTransfer: Sendable {
    public enum Action: String, Sendable {
        /// The parameter does not exist yet.
        case create
        /// It exists with another value or type, and `--overwrite` was given.
        case update
        /// It exists with the same value and type: nothing to write.
        case unchanged
        /// It exists with another value or type and `--overwrite` was not given.
        case conflict
    }

    public struct Item: Sendable {
        /// What is written: name, value, type and the attributes kept (tier, KMS key,
        /// description, data type, tags).
        public var request: PutParameterRequest
        public var action: Action
        /// What the source had that the copy does not keep (said in the report).
        public var notKept: [String] = []

        public var name: String { request.name }
        public var value: String { request.value }
        public var type: ParameterType { request.type }
    }

    public let items: [Item]

    public var conflicts: [Item] { items.filter { $0.action == .conflict } }
    public var writes: [Item] { items.filter { $0.action == .create || $0.action == .update } }

    /// Plans writing `entries` (full names) given the parameters `existing` at the destination.
    /// Every name and value is checked first (exit 2, nothing written).
    public init(entries: [(name: String, value: String, type: ParameterType)], existing: [Parameter], overwrite: Bool,
                tier: ParameterTier? = nil) throws(AWSError) {
        try self.init(requests: entries.map { (PutParameterRequest(name: $0.name, value: $0.value, type: $0.type, tier: tier), []) },
                      existing: existing, overwrite: overwrite)
    }

    /// Plans writing each request (its attributes included, as `put` checks them: an Advanced
    /// value over 4 KB passes with its tier) with what it could not keep.
    public init(requests: [(request: PutParameterRequest, notKept: [String])], existing: [Parameter], overwrite: Bool) throws(AWSError) {
        var seen = Set<String>()
        for (r, _) in requests {
            try ParameterStore.check(r)
            guard seen.insert(r.name).inserted else {
                throw .configuration(ConfigurationError("\(r.name) is given twice"))
            }
        }
        let current = Dictionary(existing.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        items = requests.map { r, notKept in
            let action: Action
            if let old = current[r.name] {
                if old.value == r.value, old.type == r.type { action = .unchanged }
                else { action = overwrite ? .update : .conflict }
            } else {
                action = .create
            }
            var request = r
            request.overwrite = action == .update
            return Item(request: request, action: action, notKept: notKept)
        }
    }

    /// The outcome of one write.
    public struct Outcome: Sendable {
        public var item: Item
        public var error: AWSError?
    }

    /// Writes the creates and updates, `ParameterStore.writeWidth` at a time. Refuses (before
    /// writing anything) when the plan has conflicts. Every write is attempted; the outcomes say
    /// which failed. `keyId` (`--key-id`) replaces each SecureString's KMS key.
    public func apply(_ store: ParameterStore, keyId: String?) throws(AWSError) -> [Outcome] {
        if !conflicts.isEmpty {
            let names = conflicts.prefix(5).map(\.name).joined(separator: ", ") + (conflicts.count > 5 ? ", …" : "")
            throw .configuration(ConfigurationError(
                "\(conflicts.count) parameter(s) already exist with other values (\(names)); nothing was written. Add --overwrite to replace them"))
        }
        let done = ProgressCount("wrote", "parameters", total: writes.count, report: store.progress)
        return ConcurrentWork.map(writes, width: ParameterStore.writeWidth) { item in
            var request = item.request
            if item.type == .secureString, let keyId { request.keyId = keyId }
            var error: AWSError?
            do throws(AWSError) { _ = try store.put(request) } catch let e { error = e }
            done.add()
            return Outcome(item: item, error: error)
        }
    }
}
