import Configuration
import Foundation
import HTTPCore
import Logging
import Testing

@Suite struct ConfigurationTests {
    @Test func defaultsWorkWithNothingConfigured() throws {
        let configuration = try PlatformConfiguration(environment: [:], resolvConf: "/nonexistent")
        #expect(configuration.databaseURL == nil)
        #expect(configuration.apiListen == ListenAddress(host: "127.0.0.1", port: 8080))
        #expect(configuration.edgeHTTPSListen == ListenAddress(host: "127.0.0.1", port: 8443))
        #expect(configuration.edgeHTTPListen == ListenAddress(host: "127.0.0.1", port: 8081))
        #expect(configuration.domainLimit == 5)
        #expect(configuration.logLevel == .info)
        #expect(configuration.secretKeyFile == ".data/secret.key")
        #expect(configuration.dnsResolvers.isEmpty)
    }

    @Test func valuesAreReadAndNormalised() throws {
        let configuration = try PlatformConfiguration(environment: [
            "MTASTS_DATABASE_URL": "postgresql://u@db/mtasts?sslmode=verify-full",
            "MTASTS_API_LISTEN": "[::1]:9000",
            "MTASTS_EDGE_HOSTNAME": "Edge.Example.NET.",
            "MTASTS_DNS_RESOLVERS": "127.0.0.1:5353, [::1]:53,9.9.9.9",
            "MTASTS_DOMAIN_LIMIT": "100",
            "MTASTS_LOG_LEVEL": "WARNING",
            "MTASTS_DATA_DIR": "/var/lib/mtasts",
        ])
        #expect(configuration.databaseURL == "postgresql://u@db/mtasts?sslmode=verify-full")
        #expect(configuration.apiListen.description == "[::1]:9000")
        #expect(configuration.edgeHostname == "edge.example.net")
        #expect(configuration.dnsResolvers.map(\.description) == ["127.0.0.1:5353", "[::1]:53", "9.9.9.9:53"])
        #expect(configuration.domainLimit == 100)
        #expect(configuration.logLevel == .warning)
        #expect(configuration.secretKeyFile == "/var/lib/mtasts/secret.key")
    }

    @Test(arguments: [
        ("MTASTS_API_LISTEN", "8080"),
        ("MTASTS_API_LISTEN", "127.0.0.1:99999"),
        ("MTASTS_EDGE_HTTPS_LISTEN", "[::1:443"),
        ("MTASTS_EDGE_HTTP_LISTEN", "host name:80"),
        ("MTASTS_EDGE_HOSTNAME", "localhost"),
        ("MTASTS_EDGE_HOSTNAME", "bad_name.example"),
        ("MTASTS_DNS_RESOLVERS", "127.0.0.1:dns"),
        ("MTASTS_DOMAIN_LIMIT", "-1"),
        ("MTASTS_DOMAIN_LIMIT", "five"),
        ("MTASTS_LOG_LEVEL", "loud"),
    ])
    func badValuesNameTheVariable(variable: String, value: String) {
        #expect {
            try PlatformConfiguration(environment: [variable: value])
        } throws: { error in
            (error as? ConfigurationError)?.variable == variable
        }
    }

    @Test func webhookRelaxationsAreOffUnlessTurnedOn() throws {
        let defaults = try PlatformConfiguration(environment: [:], resolvConf: "/nonexistent")
        #expect(!defaults.webhookAllowInsecure && !defaults.webhookAllowPrivate)
        let relaxed = try PlatformConfiguration(
            environment: ["MTASTS_WEBHOOK_ALLOW_INSECURE": "on", "MTASTS_WEBHOOK_ALLOW_PRIVATE": "YES"],
            resolvConf: "/nonexistent"
        )
        #expect(relaxed.webhookAllowInsecure && relaxed.webhookAllowPrivate)
        let explicit = try PlatformConfiguration(
            environment: ["MTASTS_WEBHOOK_ALLOW_INSECURE": "off", "MTASTS_WEBHOOK_ALLOW_PRIVATE": "on"],
            resolvConf: "/nonexistent"
        )
        #expect(!explicit.webhookAllowInsecure && explicit.webhookAllowPrivate)
        for variable in ["MTASTS_WEBHOOK_ALLOW_INSECURE", "MTASTS_WEBHOOK_ALLOW_PRIVATE"] {
            #expect {
                try PlatformConfiguration(environment: [variable: "sometimes"], resolvConf: "/nonexistent")
            } throws: { error in
                (error as? ConfigurationError)?.variable == variable
            }
        }
    }

    @Test func resolvConfNameserversAreTheDefault() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("resolv-\(UUID().uuidString).conf")
            .path
        try "# comment\nsearch example\nnameserver 10.0.0.2\nnameserver fe80::1%eth0\noptions edns0\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try PlatformConfiguration(environment: [:], resolvConf: path)
        #expect(configuration.dnsResolvers.map(\.description) == ["10.0.0.2:53", "[fe80::1]:53"])
    }
}

@Suite struct LoggerTests {
    final class Lines: @unchecked Sendable {
        // Guarded by `lock`.
        private let lock = NSLock()
        private var stored: [String] = []
        func append(_ line: String) { lock.withLock { stored.append(line) } }
        var all: [String] { lock.withLock { stored } }
    }

    @Test func filtersByLevelAndQuotesValues() {
        let lines = Lines()
        let logger = Logger(label: "edge", level: .info, sink: LogSink { lines.append($0) })
            .with(["request_id": "r1"])
        logger.debug("hidden")
        logger.info("served policy", ["host": "mta-sts.example.com", "note": "a \"b\"=c\n"])
        #expect(lines.all.count == 1)
        let line = lines.all.first ?? ""
        #expect(line.contains("level=info component=edge msg=\"served policy\""))
        #expect(line.contains("host=mta-sts.example.com"))
        #expect(line.contains("note=\"a \\\"b\\\"=c\\n\""))
        #expect(line.contains("request_id=r1"))
        #expect(line.hasSuffix("\n"))
    }

    /// A template writes exactly the line the logger would, but for the timestamp, values escaped alike; a field
    /// given both as metadata and as a value takes the value, and a level the logger filters is not enabled.
    @Test func aLineTemplateWritesWhatTheLoggerWould() throws {
        let lines = Lines()
        let logger = Logger(label: "edge", level: .info, sink: LogSink { lines.append($0) })
            .with(["role": "edge", "log": "access", "path": "metadata loses"])
        let keys = ["host", "path", "status", "client", "tls", "bytes", "note"]
        let values = [
            "mta-sts.bücher.example", "/a path with \"quotes\"=\u{7f}", "200", "192.0.2.1", "", "-42",
            "tab\there\r\nback\\slash\u{1}\u{1b}",
        ]
        logger.info("request", Dictionary(uniqueKeysWithValues: zip(keys, values)))
        let template = LogLineTemplate(logger: logger, level: .info, message: "request", keys: keys)
        #expect(template.isEnabled)
        #expect(!LogLineTemplate(logger: logger, level: .debug, message: "request", keys: keys).isEnabled)
        var bytes: [UInt8] = []
        template.append(to: &bytes) { index, line in
            switch keys[index] {
            case "path": LogLineTemplate.appendValue(values[index].dropFirst(0), to: &line)
            case "status", "bytes": LogLineTemplate.appendValue(Int(values[index]) ?? 0, to: &line)
            default: LogLineTemplate.appendValue(values[index], to: &line)
            }
        }
        lines.append(String(decoding: bytes, as: UTF8.self))
        let written = lines.all
        #expect(written.count == 2)
        func withoutTimestamp(_ line: String) -> Substring { line.drop { $0 != " " } }
        #expect(written.count == 2 && withoutTimestamp(written[0]) == withoutTimestamp(written[1]), "\(written)")
        #expect(written.last?.contains(#"path="/a path with \"quotes\"="#) == true)
        #expect(written.last?.contains(#" tls="""#) == true)
        #expect(written.last?.contains(#" note="tab\there\r\nback\\slash\u{1}\u{1b}""#) == true)
        #expect(written.last?.contains(" bytes=-42 ") == true)
        // The template's timestamp is the logger's format, to the millisecond.
        let timestamp = written.last.map { String($0.prefix { $0 != " " }) } ?? ""
        #expect(timestamp.wholeMatch(of: /ts=\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "\(timestamp)")
        // And it is now, in UTC: the calendar arithmetic agrees with Foundation's.
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let stamped = try #require(parser.date(from: String(timestamp.dropFirst(3))))
        #expect(abs(stamped.timeIntervalSinceNow) < 60, "\(timestamp)")
    }

    // MARK: - Connections and client addresses

    @Test func connectionLimitsHaveSaneDefaults() throws {
        let configuration = try PlatformConfiguration(environment: [:], resolvConf: "/nonexistent")
        #expect(configuration.apiMaxConnectionsPerAddress == 64)
        #expect(configuration.edgeMaxConnectionsPerAddress == 256)
        #expect(configuration.apiRequestTimeout == 30)
        #expect(configuration.apiMinimumBodyRate == 512)
        #expect(configuration.trustedProxies.isEmpty)
    }

    @Test func connectionLimitsAndTrustedProxiesAreRead() throws {
        let configuration = try PlatformConfiguration(
            environment: [
                "MTASTS_API_MAX_CONNECTIONS_PER_ADDRESS": "16",
                "MTASTS_EDGE_MAX_CONNECTIONS_PER_ADDRESS": "0",
                "MTASTS_API_REQUEST_TIMEOUT": "45",
                "MTASTS_API_MIN_BODY_RATE": "0",
                "MTASTS_TRUSTED_PROXIES": " 10.0.0.0/8,192.0.2.7 , 2001:DB8::/32,",
            ],
            resolvConf: "/nonexistent"
        )
        #expect(configuration.apiMaxConnectionsPerAddress == 16)
        #expect(configuration.edgeMaxConnectionsPerAddress == 0)
        #expect(configuration.apiRequestTimeout == 45)
        #expect(configuration.apiMinimumBodyRate == 0)
        #expect(
            configuration.trustedProxies.blocks.map(\.description) == ["10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32"]
        )
    }

    @Test(arguments: [
        ("MTASTS_API_MAX_CONNECTIONS_PER_ADDRESS", "-1"),
        ("MTASTS_API_MAX_CONNECTIONS_PER_ADDRESS", "many"),
        ("MTASTS_EDGE_MAX_CONNECTIONS_PER_ADDRESS", "2000000"),
        ("MTASTS_API_REQUEST_TIMEOUT", "0"),
        ("MTASTS_API_REQUEST_TIMEOUT", "30s"),
        ("MTASTS_API_MIN_BODY_RATE", "-5"),
        ("MTASTS_TRUSTED_PROXIES", "10.0.0.1/8"),
        ("MTASTS_TRUSTED_PROXIES", "10.0.0.0/8, proxy.example"),
        ("MTASTS_TRUSTED_PROXIES", "2001:db8::/129"),
    ])
    func badConnectionSettingsNameTheVariable(variable: String, value: String) {
        #expect {
            try PlatformConfiguration(environment: [variable: value], resolvConf: "/nonexistent")
        } throws: { error in
            (error as? ConfigurationError)?.variable == variable
        }
    }
}
