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
        // One-line C forwarders for what Swift cannot import (macros, epoll/eventfd/accept4).
        .target(name: "COpenSSLShims", dependencies: ["COpenSSL"]),
        .target(name: "CLinux"),

        // MARK: Bottom layer
        .target(name: "Logging", dependencies: ["CivilTime"], swiftSettings: strictSettings),
        .target(name: "Configuration", dependencies: ["Logging", "HTTPCore"], swiftSettings: strictSettings),
        .target(name: "CivilTime", swiftSettings: strictSettings),
        .target(name: "MTASTS", dependencies: ["CivilTime"], swiftSettings: strictSettings),
        .target(name: "JSON", swiftSettings: strictSettings),
        .target(name: "MIME", swiftSettings: strictSettings),
        .target(name: "Decompression", swiftSettings: strictSettings),
        .target(name: "HTTPCore", dependencies: ["CivilTime"], swiftSettings: strictSettings),
        .target(name: "Crypto", dependencies: ["COpenSSL"], swiftSettings: strictSettings),
        .target(name: "DNS", dependencies: ["SystemIO"], swiftSettings: strictSettings),
        .target(name: "SystemIO", dependencies: ["CLinux"], swiftSettings: strictSettings),
        .target(name: "TLS", dependencies: ["COpenSSL", "COpenSSLShims"], swiftSettings: strictSettings),
        .target(
            name: "WebServer", dependencies: ["SystemIO", "TLS", "HTTPCore", "Logging"], swiftSettings: strictSettings),
        .target(name: "DNSServer", dependencies: ["DNS", "SystemIO", "Logging"], swiftSettings: strictSettings),
        .target(
            name: "SMTPServer", dependencies: ["SystemIO", "TLS", "HTTPCore", "Logging"], swiftSettings: strictSettings),

        // MARK: Network clients
        .target(
            name: "WebClient", dependencies: ["SystemIO", "TLS", "HTTPCore", "Logging"], swiftSettings: strictSettings),
        .target(
            name: "SMTPClient",
            dependencies: ["CivilTime", "Crypto", "DNS", "HTTPCore", "Logging", "SystemIO", "TLS"],
            swiftSettings: strictSettings),

        // MARK: Protocols on top of Crypto (I/O injected)
        .target(
            name: "Checks", dependencies: ["DNS", "JSON", "MTASTS", "SMTPClient", "TLS", "WebClient", "HTTPCore", "SystemIO", "Logging"],
            swiftSettings: strictSettings),
        .target(name: "ACME", dependencies: ["CivilTime", "Crypto", "Logging"], swiftSettings: strictSettings),
        .target(
            name: "TLSReporting", dependencies: ["CivilTime", "Crypto", "Decompression", "JSON", "MIME"], swiftSettings: strictSettings),

        // MARK: Storage
        .target(name: "Database", dependencies: ["CLibPQ", "CivilTime"], swiftSettings: strictSettings),
        .target(
            name: "Store", dependencies: ["Database", "MTASTS", "Crypto", "TLSReporting"], swiftSettings: strictSettings),

        // MARK: Services
        .target(
            name: "API",
            dependencies: [
                "Checks", "CivilTime", "Store", "HTTPCore", "JSON", "MTASTS", "DNS", "Crypto", "Logging", "TLS", "TLSReporting",
                "WebClient",
            ],
            swiftSettings: strictSettings),

        // MARK: Roles
        .target(
            name: "SnapshotSync", dependencies: ["Decompression", "Logging", "Store", "SystemIO"], swiftSettings: strictSettings),
        .target(
            name: "ReportIntake",
            dependencies: ["HTTPCore", "JSON", "Logging", "MIME", "SMTPServer", "Store", "SystemIO", "TLSReporting"],
            swiftSettings: strictSettings),
        .target(
            name: "PlatformZone",
            dependencies: ["DNS", "DNSServer", "HTTPCore", "Logging", "SnapshotSync", "Store", "SystemIO", "TLS", "TLSReporting", "WebServer"],
            swiftSettings: strictSettings),
        .target(
            name: "PolicyEdge",
            dependencies: ["WebServer", "TLS", "SystemIO", "HTTPCore", "Crypto", "Logging", "SnapshotSync", "Store"],
            swiftSettings: strictSettings),

        .target(
            name: "Worker",
            dependencies: [
                "ACME", "Checks", "Crypto", "DNS", "HTTPCore", "JSON", "Logging", "MTASTS", "SMTPClient", "Store", "SystemIO", "TLS", "WebClient",
                "WebServer",
            ],
            swiftSettings: strictSettings),

        // MARK: Executable (wiring only)
        .executableTarget(
            name: "mtasts",
            dependencies: [
                "ACME", "API", "Checks", "Configuration", "Crypto", "Database", "DNS", "DNSServer", "HTTPCore", "JSON", "Logging", "MTASTS",
                "PlatformZone", "PolicyEdge", "ReportIntake", "SMTPClient", "SMTPServer", "SnapshotSync", "Store", "SystemIO", "TLS",
                "TLSReporting",
                "WebServer", "Worker",
            ],
            swiftSettings: strictSettings),

        // MARK: Tests
        .target(
            name: "TestSupport",
            dependencies: ["Database", "DNS", "WebClient", "Crypto", "HTTPCore", "TLS", "MTASTS", "Store", "SystemIO"],
            path: "Tests/TestSupport", exclude: ["Scripts"],
            swiftSettings: strictSettings),
        // `make demo`: the platform on loopback with a demo tenant, built from the test harness's environments.
        .executableTarget(
            name: "mtasts-demo", dependencies: ["TestSupport", "DNS", "HTTPCore", "JSON", "WebClient"],
            path: "Tests/Demo", swiftSettings: strictSettings),
        .testTarget(
            name: "DatabaseTests", dependencies: ["Database", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "ReportIntakeTests",
            dependencies: [
                "ReportIntake", "Store", "TLSReporting", "TestSupport", "Database", "Logging", "HTTPCore", "MTASTS",
                "Crypto", "SMTPServer", "SystemIO", "TLS", "WebServer",
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "TLSReportingTests", dependencies: ["TLSReporting", "JSON"], exclude: ["Fixtures"],
            swiftSettings: strictSettings),
        .testTarget(name: "CivilTimeTests", dependencies: ["CivilTime"], swiftSettings: strictSettings),
        .testTarget(
            name: "DecompressionTests", dependencies: ["Decompression"], exclude: ["Fixtures"],
            swiftSettings: strictSettings),
        .testTarget(name: "MTASTSTests", dependencies: ["MTASTS", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "MIMETests", dependencies: ["MIME"], exclude: ["Fixtures"], swiftSettings: strictSettings),
        .testTarget(name: "HTTPCoreTests", dependencies: ["HTTPCore", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "CryptoTests", dependencies: ["Crypto"], exclude: ["Fixtures"], swiftSettings: strictSettings),
        .testTarget(
            name: "DNSTests", dependencies: ["DNS", "SystemIO", "TestSupport"], exclude: ["Fixtures/make-fixtures.py"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "DNSServerTests", dependencies: ["DNSServer", "DNS", "SystemIO", "Logging", "TestSupport"],
            exclude: ["Fixtures/make-fixtures.py"], swiftSettings: strictSettings),
        .testTarget(name: "SystemIOTests", dependencies: ["SystemIO", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "TLSTests", dependencies: ["TLS", "SystemIO"], swiftSettings: strictSettings),
        .testTarget(
            name: "WebServerTests",
            dependencies: ["WebServer", "Crypto", "TLS", "SystemIO", "HTTPCore", "Logging", "TestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "SnapshotSyncTests", dependencies: ["SnapshotSync", "Store", "TestSupport", "Logging"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "PlatformZoneTests",
            dependencies: [
                "PlatformZone", "PolicyEdge", "SnapshotSync", "Store", "TestSupport", "DNS", "DNSServer", "Database",
                "Logging", "MTASTS", "SystemIO", "TLSReporting",
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "PolicyEdgeTests",
            dependencies: ["PolicyEdge", "TestSupport", "Crypto", "Database", "Logging", "SnapshotSync", "Store", "TLS", "SystemIO"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "WorkerTests",
            dependencies: [
                "Worker", "Checks", "TestSupport", "ACME", "Crypto", "Database", "DNS", "HTTPCore", "Logging", "MTASTS",
                "SMTPClient", "Store", "SystemIO", "TLS", "WebClient", "WebServer",
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ChecksTests",
            dependencies: ["Checks", "TestSupport", "DNS", "MTASTS", "Crypto", "Logging", "TLS", "SystemIO"],
            exclude: ["Scripts"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "WebClientTests",
            dependencies: ["WebClient", "TestSupport", "Crypto", "SystemIO", "TLS", "HTTPCore", "Logging"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "SMTPServerTests",
            dependencies: ["SMTPServer", "TestSupport", "Crypto", "HTTPCore", "Logging", "SystemIO", "TLS"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "SMTPClientTests",
            dependencies: ["SMTPClient", "TestSupport", "Crypto", "DNS", "HTTPCore", "SystemIO", "TLS"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "CertificateLifecycleTests",
            dependencies: [
                "Worker", "Checks", "PolicyEdge", "TestSupport", "ACME", "API", "JSON", "Crypto", "DNS", "Database", "HTTPCore", "Logging",
                "ReportIntake", "SnapshotSync", "Store",
                "SystemIO", "TLS", "TLSReporting", "WebServer",
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "SenderTests",
            dependencies: [
                "TestSupport", "PolicyEdge", "Crypto", "Database", "TLS", "SystemIO", "MTASTS", "DNS", "Logging",
                "DNSServer", "PlatformZone", "SnapshotSync", "Store",
            ],
            exclude: ["Scripts"], swiftSettings: strictSettings),
        .testTarget(
            name: "CLITests",
            dependencies: [
                "TestSupport", "Crypto", "Database", "HTTPCore", "MTASTS", "Store", "SystemIO", "TLS", "WebClient",
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "StoreTests", dependencies: ["Store", "TestSupport", "Crypto", "Database", "MTASTS", "TLSReporting"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "APITests",
            dependencies: [
                "API", "Checks", "TestSupport", "Crypto", "DNS", "Database", "HTTPCore", "JSON", "Logging", "MTASTS", "Store", "SystemIO", "TLSReporting",
                "WebServer",
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ConfigurationTests", dependencies: ["Configuration", "Logging", "HTTPCore"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "WebFormTests",
            dependencies: ["TestSupport", "WebClient", "HTTPCore", "DNS", "MTASTS", "Store", "TLSReporting"],
            exclude: ["Scripts"], swiftSettings: strictSettings),
        .testTarget(
            name: "ContractTests", dependencies: ["TestSupport", "WebClient", "HTTPCore", "DNS"],
            exclude: ["Scripts"], swiftSettings: strictSettings),
        .testTarget(
            name: "ReporterTests", dependencies: ["TestSupport", "TLSReporting", "CivilTime", "Crypto", "DNS"],
            exclude: ["Scripts"], swiftSettings: strictSettings),
        .testTarget(
            name: "ACMETests", dependencies: ["ACME", "Crypto", "Logging", "TestSupport"], exclude: ["Fixtures"],
            swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
