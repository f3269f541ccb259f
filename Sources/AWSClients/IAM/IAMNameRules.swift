/// IAM's rule for the names of users and roles: 1 to 64 of letters, digits and `+=,.@_-`.
public enum IAMNameRules {
    public static func isNameByte(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || "+=,.@_-".utf8.contains(b)
    }

    public static func isName(_ name: some StringProtocol) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy(isNameByte)
    }
}
