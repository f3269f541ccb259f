// swift-tools-version: 6.0
import PackageDescription

// The commit `credctl --version` reports, given by the build scripts in CREDCTL_COMMIT
// (scripts/install.sh, package.sh and test.sh set it from git); "unknown" otherwise. Only the
// BuildInfo C target is compiled with it, so a new commit recompiles one C file and relinks.
// (Not Context.gitInformation: SwiftPM caches the evaluated manifest and misses a new commit;
// the environment is part of that cache's key.)
let buildCommit: String = {
    let given = (Context.environment["CREDCTL_COMMIT"] ?? "").filter { $0.isASCII && ($0.isLetter || $0.isNumber || "-+.".contains($0)) }
    return given.isEmpty ? "unknown" : given
}()

let package = Package(
    name: "credctl",
    products: [
        .executable(name: "credctl", targets: ["credctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C libraries, each behind one thin Swift file. libcurl is loaded on first use (dlopen),
        // not linked, so that runs that make no request do not pay for loading its ~30
        // dependencies; its headers come from libcurl4-openssl-dev.
        .target(name: "CurlLoader", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "BuildInfo", cSettings: [.define("CREDCTL_COMMIT", to: "\"\(buildCommit)\"")]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),

        // What the operating system provides: files, locks, processes, streams, clocks, the
        // environment, threads. Nothing of AWS in it; AWSCore re-exports it.
        .target(name: "Platform"),

        // The four parts of the core library.
        .target(name: "SigV4", dependencies: ["CCrypto"]),
        .target(name: "AWSCore", dependencies: ["Platform", "CurlLoader", "SigV4"]),
        .target(name: "AWSConfig", dependencies: ["AWSCore"]),
        .target(name: "AWSClients", dependencies: ["AWSCore", "SigV4"]),
        // Providers that fetch credentials (assume role, web identity) call STS through AWSClients.
        .target(name: "AWSCredentials", dependencies: ["AWSClients", "AWSConfig", "AWSCore", "SigV4", "Vault", "SecretCrypto"]),
        .target(name: "Workflows", dependencies: ["BuildInfo", "AWSClients", "AWSConfig", "AWSCredentials", "AWSCore", "SigV4", "Vault",
                                                 "SecretCrypto", "CredentialServer", "Agent"]),

        // Keys out of plaintext (docs/vault.md): AES-256-GCM, scrypt and random bytes on libcrypto;
        // the vault (file and Secret Service backends); the loopback container-credentials server.
        .target(name: "SecretCrypto", dependencies: ["CCrypto"]),
        .target(name: "Vault", dependencies: ["SecretCrypto", "AWSConfig", "AWSCore", "SigV4"]),
        .target(name: "CredentialServer", dependencies: ["SecretCrypto", "AWSCore", "SigV4"]),
        // `credctl agent`'s socket, its framing and its client connection (docs/agent.md).
        .target(name: "Agent", dependencies: ["AWSConfig", "AWSCore"]),

        // `--query`: JMESPath over the JSON credctl prints (lexer, parser, interpreter, functions).
        .target(name: "JMESPath", dependencies: ["AWSCore"]),

        .executableTarget(
            name: "credctl",
            dependencies: [
                "Workflows", "AWSClients", "AWSConfig", "AWSCredentials", "AWSCore", "SigV4", "Vault", "CredentialServer",
                "JMESPath",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Signing-throughput benchmark used by scripts/bench.sh.
        .executableTarget(name: "credctl-bench", dependencies: ["SigV4"]),

        // In-memory fakes for unit tests: a scripted transport and stateful IAM/STS and SSM fakes
        // with fault injection (docs/testing.md). A library only the test targets depend on.
        .target(name: "TransportTesting", dependencies: ["AWSCore", "SigV4"], path: "Tests/Support/TransportTesting"),

        .testTarget(name: "SigV4Tests", dependencies: ["SigV4"]),
        // Property-based fuzzing of every parser of untrusted bytes (docs/fuzzing.md).
        .testTarget(name: "FuzzTests", dependencies: ["AWSClients", "AWSConfig", "AWSCore", "AWSCredentials", "SigV4", "Workflows", "Vault", "CredentialServer", "TransportTesting",
                                                  "SecretCrypto"]),
        .testTarget(name: "AWSCoreTests", dependencies: ["AWSCore", "Platform", "TransportTesting"]),
        .testTarget(name: "AWSConfigTests", dependencies: ["AWSConfig"]),
        // The JMESPath compliance suite (`Tests/Fixtures/jmespath-compliance`) and the query output.
        .testTarget(name: "JMESPathTests", dependencies: ["JMESPath", "AWSCore"]),
        .testTarget(name: "AWSCredentialsTests", dependencies: ["AWSCredentials", "AWSConfig", "AWSClients", "Vault", "LoopbackSupport",
                                                            "SecretCrypto", "TransportTesting"]),
        .testTarget(name: "AWSClientsTests", dependencies: ["AWSClients", "AWSCore", "SigV4", "TransportTesting"]),
        .testTarget(name: "WorkflowsTests", dependencies: ["Workflows", "AWSClients", "AWSConfig", "AWSCore", "AWSCredentials", "SigV4", "Vault",
                                                      "TransportTesting", "Agent", "JMESPath"]),
        .testTarget(name: "VaultTests", dependencies: ["Vault", "SecretCrypto", "AWSConfig", "AWSCore", "SigV4"]),
        // Starts moto (with working GetSessionToken credentials) and Python SDK clients for the tests above.
        .target(name: "LoopbackSupport", dependencies: ["AWSCore"], path: "Tests/LoopbackSupport"),
        .testTarget(name: "CredentialServerTests", dependencies: ["CredentialServer", "AWSCredentials", "AWSClients", "AWSCore", "SigV4", "LoopbackSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
