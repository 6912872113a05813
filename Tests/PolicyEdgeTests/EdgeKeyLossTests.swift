import Crypto
import Foundation
import Logging
import PolicyEdge
import TLS
import TestSupport
import Testing

/// The master key that sealed some certificate keys is gone: the edge must say so, not fail silently.
@Suite struct EdgeKeyLossTests {
    private func metric(_ edge: RunningEdge, reason: String) throws -> String? {
        let metrics = try edge.fetchPlain(address: edge.service.adminAddress, host: "localhost", path: "/metrics")
        let prefix = "mtasts_edge_certificate_keys_unreadable{reason=\"\(reason)\"} "
        return metrics.split(separator: "\n").first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    @Test func hostsWhoseKeyCannotBeDecryptedAreReportedOnceAndGetNoTLS() throws {
        let url = try PostgresTestCluster.shared.makeDatabase()
        let lostKeyring = try Keyring(current: try MasterKey.generate())
        let heldKeyring = try Keyring(current: try MasterKey.generate())
        let lost = try ServedDomainFixtures(
            url: url,
            directory: try TemporaryDirectory(prefix: "edge-fixtures"),
            keyring: lostKeyring
        )
        let held = try ServedDomainFixtures(
            url: url,
            directory: try TemporaryDirectory(prefix: "edge-fixtures"),
            keyring: heldKeyring
        )
        let first = try lost.addDomain("lost-one.test")
        try lost.addDomain("lost-two.test")
        try held.addDomain("kept.test")
        let lines = LogLines()
        let edge = try RunningEdge(
            url: url,
            keyring: heldKeyring,
            logger: Logger(label: "edge", level: .error, sink: lines.sink)
        )
        defer { edge.stop() }

        #expect(try edge.fetch(host: "mta-sts.kept.test", client: try held.clientContext()).hasPrefix("HTTP/1.1 200 "))
        let client = try lost.clientContext()
        for _ in 0..<3 {
            for host in ["mta-sts.lost-one.test", "mta-sts.lost-two.test"] {
                #expect(throws: TLSError.self) { try edge.fetch(host: host, client: client) }
            }
        }
        // The audit runs beside serving, not before it.
        try Poll.until(deadline: 5, "the key audit counted both hosts") {
            (try? metric(edge, reason: "unknown_key_id")) == "2"
        }
        #expect(try metric(edge, reason: "authentication_failed") == "0")
        // One error line per host, naming the key id, however many handshakes it failed.
        let errors = lines.all.filter { $0.contains("cannot decrypt the certificate key") }
        #expect(errors.count == 2)
        #expect(errors.allSatisfy { $0.contains("level=error") && $0.contains("key_id=\(lostKeyring.current.keyID)") })
        #expect(errors.contains { $0.contains("host=mta-sts.lost-one.test") })
        #expect(errors.contains { $0.contains("host=mta-sts.lost-two.test") })

        // A new certificate sealed with the key the edge holds (what the worker's re-issue stores) is served.
        try held.addCertificate(domain: first, host: "mta-sts.lost-one.test")
        try Poll.until(deadline: 5, "re-issued certificate served") {
            (try? edge.fetch(host: "mta-sts.lost-one.test", client: try held.clientContext()))?.hasPrefix(
                "HTTP/1.1 200 "
            ) == true
        }
        try Poll.until(deadline: 5, "the audit saw the re-issued certificate") {
            (try? metric(edge, reason: "unknown_key_id")) == "1"
        }
    }
}
