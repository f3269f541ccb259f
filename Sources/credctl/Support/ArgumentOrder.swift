/// Global options are taken before or after the command's name, as the AWS CLI takes them:
/// `credctl --profile p whoami` is `credctl whoami --profile p`. Global options that come
/// before the first word that is not an option move to just before `--` (or the end), where
/// every subcommand reads them; everything after `--` is left alone.
enum ArgumentOrder {
    static let withValue: Set<String> = ["--profile", "--region", "--endpoint-url", "--output", "--cli-connect-timeout",
                                         "--cli-read-timeout", "--cli-total-timeout", "--mfa-code"]
    static let flags: Set<String> = ["--debug", "--no-color", "--quiet", "--no-cache"]

    static func normalized(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            let name = a.split(separator: "=", maxSplits: 1).first.map(String.init) ?? a
            if flags.contains(a) {
                leading.append(a)
                i += 1
            } else if withValue.contains(name), a.contains("=") {
                leading.append(a)
                i += 1
            } else if withValue.contains(a), i + 1 < arguments.count {
                leading += [a, arguments[i + 1]]
                i += 2
            } else {
                break
            }
        }
        guard !leading.isEmpty, i < arguments.count else { return arguments }
        var rest = Array(arguments[i...])
        let terminator = rest.firstIndex(of: "--") ?? rest.count
        rest.insert(contentsOf: leading, at: terminator)
        return rest
    }
}
