#if canImport(Glibc)
import Glibc
#endif

/// Seeded pseudo-random inputs for the property-based fuzz tests: the same seed gives the same
/// inputs, so a failure names the seed and iteration that reproduce it.
/// `CREDCTL_FUZZ_ITERATIONS` (default 2,000 per property) and `CREDCTL_FUZZ_SEED` scale and vary
/// a run: the CI run is the default; docs/fuzzing.md describes a longer one.
struct FuzzInput {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    static var iterations: Int {
        getenv("CREDCTL_FUZZ_ITERATIONS").flatMap { Int(String(cString: $0)) } ?? 2_000
    }

    static var seed: UInt64 {
        getenv("CREDCTL_FUZZ_SEED").flatMap { UInt64(String(cString: $0)) } ?? 0x5EED_C0DE
    }

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    mutating func bool() -> Bool { next() & 1 == 1 }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// A string of `length` characters drawn from `alphabet`.
    mutating func string(_ alphabet: [Character], length: ClosedRange<Int>) -> String {
        String((0..<int(length)).map { _ in pick(alphabet) })
    }

    /// `seed` changed by 1–8 random edits: flip, insert, delete, duplicate a run, or insert a
    /// token that matters to the format under test.
    mutating func mutate(_ seed: [UInt8], tokens: [String]) -> [UInt8] {
        var b = seed
        for _ in 0..<int(1...8) {
            let at = b.isEmpty ? 0 : int(0...b.count)
            switch int(0...5) {
            case 0 where !b.isEmpty: b[min(at, b.count - 1)] ^= UInt8(truncatingIfNeeded: 1 << int(0...7))
            case 1: b.insert(UInt8(truncatingIfNeeded: next()), at: at)
            case 2 where !b.isEmpty:
                let start = min(at, b.count - 1)
                b.removeSubrange(start..<min(b.count, start + int(1...16)))
            case 3 where !b.isEmpty:
                let start = min(at, b.count - 1)
                b.insert(contentsOf: b[start..<min(b.count, start + int(1...32))], at: start)
            default: b.insert(contentsOf: Array(pick(tokens).utf8), at: at)
            }
        }
        return b
    }
}
