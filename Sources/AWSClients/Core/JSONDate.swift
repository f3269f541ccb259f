import AWSCore

/// JSON-protocol timestamps: seconds since 1970 as a number, possibly with a fraction.
public enum JSONDate {
    public static func seconds(_ v: JSONValue?) -> Int? {
        if let d = v?.doubleValue { return Timestamp.seconds(fromNumber: d) }
        if let s = v?.stringValue { return Timestamp.parse(s) }
        return nil
    }
}
