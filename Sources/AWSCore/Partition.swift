/// An AWS partition as botocore's `data/partitions.json` describes it; the table is generated
/// from botocore (`PartitionTable.swift`, `scripts/testdata/partitions.py`).
public struct Partition: Sendable, Equatable {
    /// `aws`, `aws-cn`, `aws-us-gov`, `aws-eusc`, `aws-iso`, …: the second field of an ARN.
    public var id: String
    /// The region pattern `^PREFIX-WORD-DIGITS$`, one prefix per alternative of botocore's regex.
    var regionPrefixes: [String]
    /// The regions botocore lists for the partition (a listed name matches even off the pattern).
    var regions: [String]
    public var dnsSuffix: String
    public var dualStackDnsSuffix: String
    public var implicitGlobalRegion: String
    public var supportsFIPS: Bool
    public var supportsDualStack: Bool
    /// Where IAM goes in this partition and the region it is signed for (botocore's IAM rules).
    public var iamHost: String
    public var iamSigningRegion: String

    /// The partition of `region` as botocore's `aws.partition` picks it: the first whose region
    /// list holds it or whose pattern matches, else the first (`aws`); `aws` without a region.
    public static func of(region: String?) -> Partition {
        guard let region else { return all[0] }
        return all.first { $0.contains(region) } ?? all[0]
    }

    /// The DNS suffix of every partition (`amazonaws.com`, `amazonaws.com.cn`, `amazonaws.eu`, …).
    public static var dnsSuffixes: [String] { all.map(\.dnsSuffix) }

    /// Listed, or `PREFIX-WORD-DIGITS` (WORD: letters, digits, `_`; DIGITS: at least one).
    func contains(_ region: String) -> Bool {
        if regions.contains(region) { return true }
        return regionPrefixes.contains { prefix in
            guard region.hasPrefix(prefix + "-") else { return false }
            let rest = region.dropFirst(prefix.count + 1).split(separator: "-", omittingEmptySubsequences: false)
            return rest.count == 2 && !rest[0].isEmpty && rest[0].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
                && !rest[1].isEmpty && rest[1].allSatisfy { $0.isASCII && $0.isNumber }
        }
    }

    /// The host of a global service (IAM) without its first label: `amazonaws.com`,
    /// `cn-north-1.amazonaws.com.cn`, `us-gov.amazonaws.com`, `us-iso-east-1.c2s.ic.gov`, ….
    var globalHostSuffix: String {
        String(iamHost.drop { $0 != "." }.dropFirst())
    }
}
