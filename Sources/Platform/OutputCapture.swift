/// What credctl keeps of one output stream of a child: at most `limit` bytes, so that a command
/// printing 64 MB costs credctl no more than the limit. `.first` keeps the beginning (an answer
/// to read: `credential_process`, a passphrase) and notes that more came; `.last` keeps the end
/// (the last lines of a command's progress), dropping the first, partial line when bytes were
/// dropped before it — so a secret cut in two by the limit is never shown in part.
public struct OutputCapture: Sendable {
    public enum Keep: Sendable, Equatable { case first, last }

    public let limit: Int
    public let keep: Keep
    private var buffer: [UInt8] = []
    /// Bytes received in all.
    public private(set) var received = 0

    public init(limit: Int, keep: Keep) {
        self.limit = max(0, limit)
        self.keep = keep
    }

    /// More came than the limit.
    public var exceeded: Bool { received > limit }

    public mutating func append(_ bytes: ArraySlice<UInt8>) {
        received += bytes.count
        switch keep {
        case .first:
            let room = limit - buffer.count
            if room > 0 { buffer.append(contentsOf: bytes.prefix(room)) }
        case .last:
            buffer.append(contentsOf: bytes.suffix(limit))
            // Compact only when twice the limit is held, so appends stay amortised O(1).
            if buffer.count > 2 * limit { buffer.removeFirst(buffer.count - limit) }
        }
    }

    /// The bytes kept.
    public var bytes: [UInt8] {
        switch keep {
        case .first:
            return buffer
        case .last:
            let tail = Array(buffer.suffix(limit))
            guard received > tail.count else { return tail }
            // Bytes were dropped before the tail: its first line is partial.
            guard let newline = tail.firstIndex(of: 0x0A) else { return [] }
            return Array(tail[(newline + 1)...])
        }
    }
}
