// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "credctl",
    products: [
        .executable(name: "credctl", targets: ["credctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C libraries, each behind one thin Swift file.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),

        // The four parts of the core library.
        .target(name: "SigV4", dependencies: ["CCrypto"]),
        .target(name: "AWSCore", dependencies: ["CCurl", "SigV4"]),
        .target(name: "AWSConfig", dependencies: ["AWSCore"]),
        .target(name: "AWSClients", dependencies: ["AWSCore", "SigV4"]),
        // Providers that fetch credentials (assume role, web identity) call STS through AWSClients.
        .target(name: "AWSCredentials", dependencies: ["AWSClients", "AWSConfig", "AWSCore", "SigV4"]),
        .target(name: "Workflows", dependencies: ["AWSClients", "AWSConfig", "AWSCredentials", "AWSCore", "SigV4"]),

        .executableTarget(
            name: "credctl",
            dependencies: [
                "Workflows", "AWSClients", "AWSConfig", "AWSCredentials", "AWSCore", "SigV4",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Signing-throughput benchmark used by scripts/bench.sh.
        .executableTarget(name: "credctl-bench", dependencies: ["SigV4"]),

        .testTarget(name: "SigV4Tests", dependencies: ["SigV4"]),
        .testTarget(name: "AWSCoreTests", dependencies: ["AWSCore"]),
        .testTarget(name: "AWSConfigTests", dependencies: ["AWSConfig"]),
        .testTarget(name: "AWSCredentialsTests", dependencies: ["AWSCredentials", "AWSConfig"]),
        .testTarget(name: "WorkflowsTests", dependencies: ["Workflows", "AWSClients", "AWSCore"]),
    ],
    swiftLanguageModes: [.v6]
)
