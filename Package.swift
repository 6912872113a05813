// swift-tools-version:6.0
// The MTA-STS hosting platform: one executable (`mtasts`) and the modules it is built from.
// No package dependencies: only the toolchain and two system C libraries (libpq, OpenSSL 3).
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "mtasts",
    products: [
        .executable(name: "mtasts", targets: ["mtasts"])
    ],
    dependencies: [],
    targets: [
        // MARK: C libraries (each wrapped by exactly one Swift module)
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),

        // MARK: Bottom layer
        .target(name: "Logging", swiftSettings: strictSettings),
        .target(name: "Configuration", dependencies: ["Logging"], swiftSettings: strictSettings),
        .target(name: "MTASTS", swiftSettings: strictSettings),
        .target(name: "HTTPCore", swiftSettings: strictSettings),
        .target(name: "Crypto", dependencies: ["COpenSSL"], swiftSettings: strictSettings),
        .target(name: "DNS", swiftSettings: strictSettings),

        // MARK: Storage
        .target(name: "Database", dependencies: ["CLibPQ"], swiftSettings: strictSettings),
        .target(name: "Store", dependencies: ["Database", "MTASTS", "Crypto"], swiftSettings: strictSettings),

        // MARK: Services
        .target(
            name: "API", dependencies: ["Store", "HTTPCore", "MTASTS", "DNS", "Crypto", "Logging"],
            swiftSettings: strictSettings),

        // MARK: Executable (wiring only)
        .executableTarget(
            name: "mtasts",
            dependencies: ["Configuration", "Database", "Logging"],
            swiftSettings: strictSettings),

        // MARK: Tests
        .target(
            name: "TestSupport", dependencies: ["Database", "DNS"], path: "Tests/TestSupport",
            swiftSettings: strictSettings),
        .testTarget(
            name: "DatabaseTests", dependencies: ["Database", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "MTASTSTests", dependencies: ["MTASTS"], swiftSettings: strictSettings),
        .testTarget(name: "HTTPCoreTests", dependencies: ["HTTPCore"], swiftSettings: strictSettings),
        .testTarget(
            name: "CryptoTests", dependencies: ["Crypto"], exclude: ["Fixtures"], swiftSettings: strictSettings),
        .testTarget(
            name: "DNSTests", dependencies: ["DNS", "TestSupport"], exclude: ["Fixtures/make-fixtures.py"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "StoreTests", dependencies: ["Store", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "APITests", dependencies: ["API", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "ConfigurationTests", dependencies: ["Configuration", "Logging"], swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
