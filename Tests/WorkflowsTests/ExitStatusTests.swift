import Foundation
import Testing
@testable import AWSClients
@testable import AWSConfig
@testable import AWSCore
@testable import AWSCredentials
import Agent
@testable import CredentialServer
import JMESPath
@testable import Platform
@testable import SecretCrypto
@testable import Vault
@testable import Workflows

/// Every error type credctl throws knows its exit code, as docs/exit-codes.md says; none is left
/// to a default (the CLI's mapping is only for the argument parser's own errors).
struct ExitStatusTests {
    static func service(_ code: String, _ status: Int) -> AWSServiceError { AWSServiceError(code: code, message: "m", httpStatus: status) }
    static func transport(_ kind: TransportError.Kind) -> TransportError { TransportError(kind: kind, host: "h", detail: "d") }
    static let denied = AWSError.service(service("AccessDenied", 403))

    /// An instance of every case that decides a code, and the code docs/exit-codes.md gives it.
    static let cases: [(error: any Error, status: Int32)] = [
        // 2: bad usage or input
        (AWSError.configuration(ConfigurationError("bad")), 2),
        (ConfigurationError("bad"), 2),
        (ConfigFileError(path: "/c", line: 3, reason: "r"), 2),
        (RequestURL.ParseError.missingScheme("x"), 2),
        (transport(.invalidRequest), 2),
        (LocalFile.ReadError(path: "/f", reason: "r"), 2),
        (SecretFile.WriteError(path: "/f", reason: "r"), 2),
        (Subprocess.LaunchError(program: "p", reason: "r"), 2),
        (FileLock.Failure.held(by: 7), 2),
        (FileLock.Failure.unusable(path: "/l", reason: "r"), 2),
        (ImportFile.ParseError(description: "line 3: no ="), 2),
        (CommandInputError("no"), 2),
        (VaultError.corruptVault(path: "/v", reason: "r"), 2),
        (VaultError.alreadyExists(profile: "p", vault: "v"), 2),
        (VaultError.invalidInput("r"), 2),
        (VaultError.io("r"), 2),
        (SecretCrypto.Failure.libcrypto("r"), 2),
        (CredentialServerError.socket("r"), 2),
        (CredentialServerError.thread("r"), 2),
        (LoopbackRedirectListener.OpenError(description: "socket: r"), 2),
        (JMESPathError(.syntax, "incomplete expression", column: 6), 2),
        (AgentConnectionError("closed"), 2),
        // 3: no credentials, or credentials AWS rejects
        (AWSError.noCredentials("none"), 3),
        (AWSError.invalidCredentials("bad"), 3),
        (AWSError.service(service("InvalidClientTokenId", 403)), 3),
        (service("ExpiredToken", 400), 3),
        (service("SignatureDoesNotMatch", 403), 3),
        (VaultError.wrongPassphrase(vault: "v"), 3),
        (VaultError.corruptEntry(profile: "p", vault: "v"), 3),
        (VaultError.passphraseUnavailable("r"), 3),
        (VaultError.notFound(profile: "p", vault: "v"), 3),
        (VaultError.keyringLocked("r"), 3),
        (VaultError.keyringUnavailable("r"), 3),
        (SecretCrypto.Failure.authenticationFailed, 3),
        (SSOTokenCache.LoadFailure.missing(path: "/t"), 3),
        (SSOTokenCache.LoadFailure.unreadable(path: "/t", reason: "r"), 3),
        (CredentialServerError.firstCredentials("none"), 3),
        (LoginSessionToken.Malformed(reason: "not a JSON object"), 3),
        // 4: the service refused, or answered what cannot be read
        (denied, 4),
        (service("ParameterNotFound", 400), 4),
        (AWSError.service(service("Throttling", 400)), 4),
        (AWSError.service(service("InternalFailure", 500)), 4),
        (AWSError.invalidResponse(operation: "iam:X", detail: "malformed"), 4),
        (AWSError.notFound("gone"), 4),
        (transport(.responseTooLarge), 4),
        (JSONParseError(offset: 1, reason: "r"), 4),
        (XMLParseError(offset: 1, reason: "r"), 4),
        (CredentialReport.Unreadable(description: "a row of another width"), 4),
        (ReportedFailure(report: Report([]), error: denied), 4),
        (RequestFailed(output: [], error: denied), 4),
        // 5: network failure or timeout
        (transport(.timeout), 5),
        (transport(.connectionFailed), 5),
        (transport(.dnsFailure), 5),
        (transport(.tlsFailure), 5),
        (transport(.connectionReset), 5),
        (AWSError.transport(transport(.timeout)), 5),
        // 1: a rotation refused or rolled back (nothing lost); a stop is its error's code
        (RotationError.refused("two keys"), 1),
        (RotationError.rolledBack("never accepted", left: "the old key is back"), 1),
        (RotationError.stopped(.transport(transport(.timeout)), left: "the new key is in the file"), 5),
        (OperationStopped(denied, left: "the user was made"), 4),
        // 127: a command that could not be started
        (ExecFailure(launch: Subprocess.LaunchError(program: "p", reason: "not found")), 127),
    ]

    @Test func everyErrorMapsAsDocumented() {
        for (error, status) in Self.cases {
            guard let reportable = error as? any ReportableError else {
                Issue.record("\(type(of: error)) does not say its exit code")
                continue
            }
            #expect(reportable.exitStatus.rawValue == status, "\(type(of: error)): \(error)")
            #expect(!reportable.description.contains("\n"), "\(type(of: error)) has a one-line message")
        }
    }

    @Test func stopsCarryWhatIsLeftAsTheirHint() {
        #expect((RotationError.rolledBack("m", left: "the old key is back") as any ReportableError).hint == "the old key is back")
        #expect((OperationStopped(Self.denied, left: "the user was made") as any ReportableError).hint == "the user was made")
        #expect((RotationError.refused("m") as any ReportableError).hint == nil)
        #expect((Self.denied as any ReportableError).hint == nil)
    }

    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every error type declared in Sources (`enum|struct|class NAME: … Error`), so that a new one
    /// must be added above, with its code, before the tests pass.
    @Test func everyErrorTypeInTheSourcesIsListed() throws {
        let listed = Set(Self.cases.map { String(describing: type(of: $0.error)) })
        let declaration = try NSRegularExpression(pattern: #"(?:enum|struct|class)\s+(\w+)\s*:[^{]*\b(?:Error|ReportableError)\b"#)
        var declared: Set<String> = []
        let sources = Self.root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let file as URL in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in declaration.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                declared.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        #expect(declared.count >= 20, "the scan found the error types")
        #expect(declared.subtracting(listed).isEmpty, "error types with no listed exit code: \(declared.subtracting(listed).sorted())")
    }

    /// An error below the workflows becomes the core's (`AWSErrorConvertible.awsError`) with its
    /// message and its exit code kept, whatever its type.
    @Test func everyConversionToAWSErrorKeepsMessageAndCode() {
        var converted = 0
        for (error, status) in Self.cases {
            guard let convertible = error as? any AWSErrorConvertible else { continue }
            converted += 1
            #expect(convertible.awsError.exitStatus.rawValue == status, "\(type(of: error)): \(error)")
            #expect(convertible.awsError.description == convertible.description, "\(type(of: error))")
        }
        #expect(converted >= 25)
    }

    /// No error is turned into an `AWSError` by hand (`.configuration(error)`,
    /// `ConfigurationError(error.description)`…): each type says its `awsError` once, beside it,
    /// and code typed `throws(AWSError)` writes `catch { throw error.awsError }`.
    @Test func noErrorIsConvertedByHand() throws {
        let byHand = try NSRegularExpression(pattern:
            #"\.configuration\(error\)|ConfigurationError\(error\.description\)|ConfigurationError\("\\\(error\)"\)|\.(?:noCredentials|invalidCredentials)\(error\.description\)"#)
        var found: [String] = []
        let files = FileManager.default.enumerator(at: Self.root.appendingPathComponent("Sources"), includingPropertiesForKeys: nil)!
        // The one place that builds an AWSError from another error: the mechanism itself.
        for case let file as URL in files where file.pathExtension == "swift" && file.lastPathComponent != "AWSErrorConvertible.swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = String(line)
                if byHand.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)) != nil {
                    found.append("\(file.lastPathComponent):\(number + 1): \(code.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(found.isEmpty, "hand conversions to AWSError:\n\(found.joined(separator: "\n"))")
        let sample = "do { x = try f() } catch { throw .configuration(error) }"
        #expect(byHand.firstMatch(in: sample, range: NSRange(sample.startIndex..., in: sample)) != nil, "the pattern sees a conversion")
    }

    /// docs/exit-codes.md has a row for each code credctl itself returns.
    @Test func theDocumentNamesEveryCode() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/exit-codes.md"), encoding: .utf8)
        for status in ExitStatus.allCases where status != .commandNotRun {
            #expect(text.contains("\n| \(status.rawValue) |"), "\(status)")
        }
        #expect(text.contains("127 when it cannot be started"))
    }
}
