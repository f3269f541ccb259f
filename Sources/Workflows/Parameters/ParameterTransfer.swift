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
        public var name: String
        public var value: String
        public var type: ParameterType
        public var action: Action
    }

    public let items: [Item]

    public var conflicts: [Item] { items.filter { $0.action == .conflict } }
    public var writes: [Item] { items.filter { $0.action == .create || $0.action == .update } }

    /// Plans writing `entries` (full names) given the parameters `existing` at the destination.
    /// Every name and value is checked first (exit 2, nothing written).
    public init(entries: [(name: String, value: String, type: ParameterType)], existing: [Parameter], overwrite: Bool,
                tier: ParameterTier? = nil) throws(AWSError) {
        var seen = Set<String>()
        for e in entries {
            try ParameterStore.check(PutParameterRequest(name: e.name, value: e.value, type: e.type, tier: tier))
            guard seen.insert(e.name).inserted else {
                throw .configuration(ConfigurationError("\(e.name) is given twice"))
            }
        }
        let current = Dictionary(existing.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        items = entries.map { e in
            let action: Action
            if let old = current[e.name] {
                if old.value == e.value, old.type == e.type { action = .unchanged }
                else { action = overwrite ? .update : .conflict }
            } else {
                action = .create
            }
            return Item(name: e.name, value: e.value, type: e.type, action: action)
        }
    }

    /// The outcome of one write.
    public struct Outcome: Sendable {
        public var item: Item
        public var error: AWSError?
    }

    /// Writes the creates and updates, `ParameterStore.writeWidth` at a time. Refuses (before
    /// writing anything) when the plan has conflicts. Every write is attempted; the outcomes say
    /// which failed.
    public func apply(_ store: ParameterStore, keyId: String?, tier: ParameterTier?) throws(AWSError) -> [Outcome] {
        if !conflicts.isEmpty {
            let names = conflicts.prefix(5).map(\.name).joined(separator: ", ") + (conflicts.count > 5 ? ", …" : "")
            throw .configuration(ConfigurationError(
                "\(conflicts.count) parameter(s) already exist with other values (\(names)); nothing was written. Add --overwrite to replace them"))
        }
        let done = ProgressCount("wrote", "parameters", total: writes.count, report: store.progress)
        return ConcurrentWork.map(writes, width: ParameterStore.writeWidth) { item in
            let request = PutParameterRequest(name: item.name, value: item.value, type: item.type, overwrite: item.action == .update,
                                              keyId: item.type == .secureString ? keyId : nil, tier: tier)
            var error: AWSError?
            do throws(AWSError) { _ = try store.put(request) } catch let e { error = e }
            done.add()
            return Outcome(item: item, error: error)
        }
    }
}
