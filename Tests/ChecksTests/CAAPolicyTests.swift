import Checks
import DNS
import Testing

@Suite struct CAAPolicyTests {
    private func decide(
        _ records: [String: [DNSCAARecord]],
        name: String = "mta-sts.shop.example.com"
    ) throws
        -> (CAAPolicy.Decision, String?)
    {
        try CAAPolicy.evaluate(name: name, caIdentities: ["letsencrypt.org"]) { records[$0] ?? [] }
    }

    @Test func noCAAAnywherePermits() throws {
        #expect(try decide([:]).0 == .permitted)
    }

    @Test func theClosestNonEmptySetDecides() throws {
        let (decision, name) = try decide([
            "shop.example.com": [DNSCAARecord(tag: "issue", value: "letsencrypt.org")],
            "example.com": [DNSCAARecord(tag: "issue", value: "other-ca.example")],
        ])
        #expect(decision == .permitted)
        #expect(name == "shop.example.com")
    }

    @Test func otherCAOnlyForbidsWithAReasonNamingBoth() throws {
        let (decision, _) = try decide([
            "example.com": [DNSCAARecord(tag: "issue", value: "digicert.com; cansignhttpexchanges=yes")]
        ])
        guard case .forbidden(let reason) = decision else {
            Issue.record("expected forbidden")
            return
        }
        #expect(reason.contains("digicert.com") && reason.contains("letsencrypt.org") && reason.contains("example.com"))
    }

    @Test func parametersAndCaseAreIgnoredWhenMatching() throws {
        #expect(
            try decide(["example.com": [DNSCAARecord(tag: "ISSUE", value: " LetsEncrypt.org ; accounturi=x")]]).0
                == .permitted
        )
    }

    @Test func emptyIssuerForbidsEveryone() throws {
        #expect(try decide(["example.com": [DNSCAARecord(tag: "issue", value: ";")]]).0 != .permitted)
    }

    @Test func onlyIodefOrIssuewildDoesNotRestrict() throws {
        #expect(
            try decide(["example.com": [DNSCAARecord(tag: "iodef", value: "mailto:sec@example.com")]]).0 == .permitted
        )
        #expect(try decide(["example.com": [DNSCAARecord(tag: "issuewild", value: "other.example")]]).0 == .permitted)
    }

    @Test func unknownCriticalPropertyForbids() throws {
        #expect(try decide(["example.com": [DNSCAARecord(flags: 128, tag: "tbs", value: "x")]]).0 != .permitted)
        #expect(try decide(["example.com": [DNSCAARecord(flags: 0, tag: "tbs", value: "x")]]).0 == .permitted)
    }
}
