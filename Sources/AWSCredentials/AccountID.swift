/// Account ids as botocore finds them for credentials.
public enum AccountID {
    /// The account field of an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`), as
    /// botocore's `ArnParser` reads it for an assumed role (`_add_account_id_to_response`); nil
    /// when the text is not an ARN or the field is empty.
    public static func ofARN(_ arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[4].isEmpty else { return nil }
        return String(parts[4])
    }
}
