import DNS
import TestSupport
import Testing
import Worker

/// Real Knot behind real Unbound: the CNAME crosses zones as it does on the internet.
@Suite struct EdgeTargetCheckTests {
    @Test func recognisesCNAMEsAddressesAndMistakes() throws {
        let dns = try DNSTestEnvironment.start(
            zones: ["tenant.test", "platform.test"],
            records: [
                DNSTestRecord(owner: "edge.platform.test", type: .a, value: "127.0.0.1"),
                DNSTestRecord(owner: "mta-sts.tenant.test", type: .cname, value: "edge.platform.test."),
                DNSTestRecord(owner: "mta-sts.direct.tenant.test", type: .a, value: "127.0.0.1"),
                DNSTestRecord(owner: "mta-sts.elsewhere.tenant.test", type: .a, value: "127.0.0.9"),
                DNSTestRecord(owner: "mta-sts.other.tenant.test", type: .cname, value: "web.tenant.test."),
                DNSTestRecord(owner: "web.tenant.test", type: .a, value: "127.0.0.8"),
            ]
        )
        defer { dns.stop() }
        let client = dns.resolverClient()
        let edge = "edge.platform.test"
        #expect(EdgeTargetCheck.check(host: "mta-sts.tenant.test", edgeHostname: edge, client: client) == .pointsToEdge)
        #expect(
            EdgeTargetCheck.check(host: "mta-sts.direct.tenant.test", edgeHostname: edge, client: client)
                == .pointsToEdge
        )
        #expect(
            EdgeTargetCheck.check(host: "mta-sts.missing.tenant.test", edgeHostname: edge, client: client) == .missing
        )
        guard
            case .wrong(let found) = EdgeTargetCheck.check(
                host: "mta-sts.other.tenant.test",
                edgeHostname: edge,
                client: client
            )
        else {
            Issue.record("expected wrong")
            return
        }
        #expect(found.contains("web.tenant.test") && found.contains("127.0.0.8"))
        guard
            case .wrong = EdgeTargetCheck.check(
                host: "mta-sts.elsewhere.tenant.test",
                edgeHostname: edge,
                client: client
            )
        else {
            Issue.record("expected wrong")
            return
        }
    }
}
