import Foundation
import Testing

/// No module above AWSConfig reads the environment: every setting is resolved in
/// `AWSConfig/Settings` (or, for what the operating system defines, in Platform) and taken as a
/// typed value. Passing an environment on to a child is fine; looking a variable up is not.
struct EnvironmentBoundaryTests {
    /// The modules above AWSConfig (and AWSClients beside it), whose sources are scanned.
    static let modules = ["AWSClients", "AWSCredentials", "Vault", "Workflows", "Agent", "CredentialServer", "JMESPath", "SecretCrypto"]

    /// A look-up of a variable, in any of its spellings: an `Environment`'s helpers, a subscript of
    /// an environment or its variables that is not assigned to, the C and Foundation ways, the
    /// withheld names' list, and `~` expanded against `HOME`.
    static let reads: [(what: String, pattern: String)] = [
        ("nonEmpty", #"\.nonEmpty\("#),
        ("bool", #"\b(?:environment|env|variables)\.bool\("#),
        ("subscript", #"\b(?:environment|env|variables|vars)\[[^\]]+\](?!\s*=[^=]|\.\w+\s*=[^=])"#),
        ("current", #"\bEnvironment\.current\b"#),
        ("getenv", #"\b(?:getenv|secure_getenv|environ)\b"#),
        ("ProcessInfo", #"\bProcessInfo\b"#),
        ("ChildEnvironment", #"\bChildEnvironment\."#),
        ("expandTilde", #"\bexpandTilde\("#),
    ]

    /// Files that read an environment that is not credctl's settings, and why.
    static let allowed: [String: String] = [
        // The child's environment as the child's AWS SDKs will read it (Java options, the EC2
        // tools' and boto's files), to refuse a child that would not use credctl's credentials.
        "Workflows/ChildCredentialCheck.swift": "reads the child's environment as its SDKs will",
    ]

    static func findings(in text: String, file: String) throws -> [String] {
        var found: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let code = String(line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            for read in reads where try NSRegularExpression(pattern: read.pattern).firstMatch(in: code, range: NSRange(code.startIndex..., in: code)) != nil {
                found.append("\(file):\(number + 1): \(read.what): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        return found
    }

    @Test func noModuleAboveAWSConfigReadsTheEnvironment() throws {
        let sources = ExitStatusTests.root.appendingPathComponent("Sources")
        var scanned = 0
        var found: [String] = []
        for module in Self.modules {
            let files = FileManager.default.enumerator(at: sources.appendingPathComponent(module), includingPropertiesForKeys: nil)!
            for case let file as URL in files where file.pathExtension == "swift" {
                scanned += 1
                let name = "\(module)/\(file.lastPathComponent)"
                guard Self.allowed[name] == nil else { continue }
                found += try Self.findings(in: try String(contentsOf: file, encoding: .utf8), file: name)
            }
        }
        #expect(scanned > 100, "the scan found the sources")
        #expect(found.isEmpty, "environment read outside AWSConfig/Platform:\n\(found.joined(separator: "\n"))")
    }

    /// The scan sees each spelling of a read, and not a variable set for a child.
    @Test func theScanSeesEveryKindOfRead() throws {
        let reads = """
            let a = environment.nonEmpty("CREDCTL_X")
            let b = env["HOME"]
            if session.environment.variables["X"] == "1" {}
            let c = env.bool("AWS_X")
            let d = Environment.current()
            let e = getenv("X")
            let f = ChildEnvironment.vaultFile
            let g = LocalFile.expandTilde("~/x", env)
            let h = ProcessInfo.processInfo.environment
            """
        #expect(try Self.findings(in: reads, file: "f").count == 9)
        let writes = """
            variables[AgentSocketPath.variable] = "off"
            environment[SettingNames.processDepth] = String(depth + 1)
            let child = try Subprocess.run(words, environment: environment.variables)
            variables[i].value = p.value
            // a comment naming env["HOME"]
            """
        #expect(try Self.findings(in: writes, file: "f").isEmpty)
    }
}
