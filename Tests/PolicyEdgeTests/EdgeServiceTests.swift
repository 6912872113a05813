import Crypto
import Database
import Foundation
import Logging
import PolicyEdge
import SystemIO
import TLS
import TestSupport
import Testing

@Suite struct EdgeServiceTests {
    @Test func servesVerifiedPoliciesWithThePerHostCertificate() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let fixtures = try EdgeFixtures(url: url)
        try fixtures.addDomain("alpha.test")
        try fixtures.addDomain("beta.test", policyText: EdgeFixtures.policy(mode: "testing", mx: "*.mail.beta.test"))
        let edge = try RunningEdge(url: url, keyring: fixtures.keyring)
        defer { edge.stop() }
        let client = try fixtures.clientContext()

        let alpha = try edge.fetch(host: "mta-sts.alpha.test", client: client)
        #expect(alpha.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(alpha.contains("Content-Type: text/plain; charset=utf-8\r\n"))
        #expect(alpha.hasSuffix("\r\n\r\n" + EdgeFixtures.policy(mx: "mx.alpha.test")))
        let beta = try edge.fetch(host: "MTA-STS.Beta.Test", client: client)
        #expect(beta.hasSuffix(EdgeFixtures.policy(mode: "testing", mx: "*.mail.beta.test")))

        let head = try edge.fetch(host: "mta-sts.alpha.test", method: "HEAD", client: client)
        #expect(head.hasPrefix("HTTP/1.1 200 OK") && head.hasSuffix("\r\n\r\n"))
        #expect(try edge.fetch(host: "mta-sts.alpha.test", path: "/", client: client).hasPrefix("HTTP/1.1 404 "))
        #expect(
            try edge.fetch(host: "mta-sts.alpha.test", path: "/.well-known/mta-sts.txt.bak", client: client).hasPrefix(
                "HTTP/1.1 404 "
            )
        )
        let post = try edge.fetch(host: "mta-sts.alpha.test", method: "POST", client: client)
        #expect(post.hasPrefix("HTTP/1.1 405 ") && post.contains("Allow: GET, HEAD"))
        let misdirected = try edge.fetch(host: "mta-sts.alpha.test", hostHeader: "mta-sts.beta.test", client: client)
        #expect(misdirected.hasPrefix("HTTP/1.1 421 "))
        // A port after the host is cut off; an IP literal names no host.
        let withPort = try edge.fetch(host: "mta-sts.alpha.test", hostHeader: "MTA-STS.alpha.test.:443", client: client)
        #expect(withPort.hasPrefix("HTTP/1.1 200 "))
        #expect(
            try edge.fetch(host: "mta-sts.alpha.test", hostHeader: "[::1]:443", client: client).hasPrefix(
                "HTTP/1.1 404 "
            )
        )
        #expect(!alpha.contains("Location:"))
    }

    @Test func unknownOrCertificatelessHostsFailTheHandshake() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let fixtures = try EdgeFixtures(url: url)
        try fixtures.addDomain("gamma.test", certificate: false)
        let edge = try RunningEdge(url: url, keyring: fixtures.keyring)
        defer { edge.stop() }
        let client = try fixtures.clientContext()
        for host in ["mta-sts.unknown.test", "mta-sts.gamma.test"] {
            #expect(throws: TLSError.self) { try edge.fetch(host: host, client: client) }
        }
    }

    @Test func challengesAreServedOnPlainHTTPOnly() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let fixtures = try EdgeFixtures(url: url)
        try fixtures.addDomain("delta.test")
        let edge = try RunningEdge(url: url, keyring: fixtures.keyring)
        defer { edge.stop() }
        try fixtures.addChallenge(
            host: "mta-sts.delta.test",
            token: "tok-123_ABC",
            keyAuthorization: "tok-123_ABC.thumb"
        )
        try Poll.until(deadline: 5, "challenge visible") {
            try edge.fetchPlain(
                address: edge.service.httpAddress,
                host: "mta-sts.delta.test:80",
                path: "/.well-known/acme-challenge/tok-123_ABC"
            ).hasSuffix("\r\n\r\ntok-123_ABC.thumb")
        }
        let other = try edge.fetchPlain(
            address: edge.service.httpAddress,
            host: "mta-sts.delta.test",
            path: "/.well-known/mta-sts.txt"
        )
        #expect(other.hasPrefix("HTTP/1.1 404 "))
        #expect(!other.contains("Location:"))
        let wrongHost = try edge.fetchPlain(
            address: edge.service.httpAddress,
            host: "mta-sts.other.test",
            path: "/.well-known/acme-challenge/tok-123_ABC"
        )
        #expect(wrongHost.hasPrefix("HTTP/1.1 404 "))
    }

    @Test func policyChangesReachEveryEdgeWithinOneSecond() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let fixtures = try EdgeFixtures(url: url)
        let domain = try fixtures.addDomain("epsilon.test")
        let edges = [
            try RunningEdge(url: url, keyring: fixtures.keyring), try RunningEdge(url: url, keyring: fixtures.keyring),
        ]
        defer { for edge in edges { edge.stop() } }
        let client = try fixtures.clientContext()
        var latencies: [Duration] = []
        for round in 0..<20 {
            let text = EdgeFixtures.policy(mx: "mx\(round).epsilon.test")
            let started = ContinuousClock.now
            try fixtures.setPolicy(domain: domain, name: "epsilon.test", text: text)
            for edge in edges {
                try Poll.until(deadline: 5, interval: .milliseconds(5), "round \(round) served") {
                    try edge.fetch(host: "mta-sts.epsilon.test", client: client).hasSuffix(text)
                }
                latencies.append(ContinuousClock.now - started)
            }
        }
        let sorted = latencies.sorted()
        let p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
        #expect(p99 < .seconds(1), "p99 propagation \(p99)")
    }

    @Test func aPolicyChangedWithoutAChangeRowIsCorrectedByTheReconcile() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let fixtures = try EdgeFixtures(url: url)
        let domain = try fixtures.addDomain("eta.test")
        for name in ["eta-a.test", "eta-b.test", "eta-c.test"] { try fixtures.addDomain(name) }
        let lines = LogLines()
        let edge = try RunningEdge(
            url: url,
            keyring: fixtures.keyring,
            reconcile: .seconds(1),
            logger: Logger(label: "edge-test", level: .warning, sink: lines.sink)
        )
        defer { edge.stop() }
        let client = try fixtures.clientContext()
        #expect(
            try edge.fetch(host: "mta-sts.eta.test", client: client).hasSuffix(EdgeFixtures.policy(mx: "mx.eta.test"))
        )
        // A write that left no change-log row (and sent no notification): only a reconcile can find it.
        let text = EdgeFixtures.policy(mx: "mx.healed.eta.test")
        let pool = PostgresPool(configuration: .init(connectionString: url, maxConnections: 1))
        try pool.withConnection { connection in
            _ = try connection.execute(
                "UPDATE policies SET text = \(text) WHERE domain_id = \(domain) AND superseded_at IS NULL"
            )
        }
        try Poll.until(deadline: 10, "corrected by the reconcile") {
            try edge.fetch(host: "mta-sts.eta.test", client: client).hasSuffix(text)
        }
        #expect(lines.all.contains { $0.contains("reconcile corrected hosts") && $0.contains("mta-sts.eta.test") })
        #expect(
            try edge.fetch(host: "mta-sts.eta-b.test", client: client).hasSuffix(
                EdgeFixtures.policy(mx: "mx.eta-b.test")
            )
        )
    }

    @Test func oneClientsConnectionsAreCappedBeforeTLS() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let fixtures = try EdgeFixtures(url: url)
        try fixtures.addDomain("zeta.test")
        let edge = try RunningEdge(url: url, keyring: fixtures.keyring, maxConnectionsPerAddress: 2)
        defer { edge.stop() }
        let address = try #require(edge.service.httpsAddress)
        func metrics() throws -> String {
            try edge.fetchPlain(address: edge.service.adminAddress, host: "localhost", path: "/metrics")
        }
        let held = try (0..<2).map { _ in try Socket.connect(to: address, timeout: .seconds(5)) }
        try Poll.until(deadline: 5, "two connections held") {
            try metrics().contains("mtasts_edge_connections{listener=\"https\"} 2\n")
        }
        // The third is closed at accept: end of stream before any TLS byte.
        let refused = try Socket.connect(to: address, timeout: .seconds(5))
        #expect(try refused.read(maximumCount: 16) == .processed([]))
        #expect(try metrics().contains("mtasts_edge_connections_rejected_total{listener=\"https\"} 1\n"))
        for socket in held { try socket.close() }
        try Poll.until(deadline: 5, "slots released") {
            try metrics().contains("mtasts_edge_connections{listener=\"https\"} 0\n")
        }
        let client = try fixtures.clientContext()
        #expect(try edge.fetch(host: "mta-sts.zeta.test", client: client).hasPrefix("HTTP/1.1 200 OK\r\n"))
    }

    @Test func metricsDescribeTheSnapshot() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let fixtures = try EdgeFixtures(url: url)
        try fixtures.addDomain("zeta.test")
        let edge = try RunningEdge(url: url, keyring: fixtures.keyring)
        defer { edge.stop() }
        _ = try edge.fetch(host: "mta-sts.zeta.test", client: try fixtures.clientContext())
        let metrics = try edge.fetchPlain(address: edge.service.adminAddress, host: "localhost", path: "/metrics")
        #expect(metrics.contains("mtasts_edge_snapshot_hosts{kind=\"policy\"} 1"))
        #expect(metrics.contains("mtasts_edge_snapshot_hosts{kind=\"certificate\"} 1"))
        #expect(metrics.contains("mtasts_edge_responses_total{listener=\"https\",code=\"200\"} 1"))
        #expect(metrics.contains("mtasts_edge_database_up 1"))
    }
}
