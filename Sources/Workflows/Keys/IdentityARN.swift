/// Reading IAM ARNs.
public enum IdentityARN {
    /// `NAME` of `arn:PARTITION:iam::ACCOUNT:user/PATH/NAME`; nil for roles and other principals.
    public static func userName(_ arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[2] == "iam", parts[5].hasPrefix("user/") else { return nil }
        return parts[5].split(separator: "/").last.map(String.init)
    }

    /// `aws`, `aws-cn` or `aws-us-gov`: the second field of any ARN; `aws` when unreadable.
    public static func partition(_ arn: String) -> String {
        arn.split(separator: ":").dropFirst().first.map(String.init) ?? "aws"
    }
}
