import DNS
import Foundation
import SystemIO
import Testing

@testable import DNSServer

/// The live server as BIND's `dig` sees it: flags, status, sections, TC with and without the TCP retry,
/// zone transfers, EDNS versions, case and IPv6.
@Suite struct DigTests {
    private let sts = "abc123._mta-sts.\(TestZone.apex)"
    private let big = "big._smtp._tls.\(TestZone.apex)"

    @Test func authoritativeAnswerWithoutRecursion() throws {
        let dig = try Dig()
        let live = try LiveServer()
        defer { live.stop() }
        for transport in [[], ["+tcp"]] {
            let result = try dig.run(live.address, ["+norec"] + transport + [sts, "TXT"])
            #expect(result.status == "NOERROR", "\(result)")
            #expect(result.flags == ["qr", "aa"], "\(result)")
            #expect(result.count("ANSWER") == 1 && result.count("AUTHORITY") == 0, "\(result)")
            let record = try #require(result.records("ANSWER").first, "\(result)")
            #expect(record.owner == "\(sts).")
            #expect(record.ttl == 60 && record.recordClass == "IN" && record.type == "TXT")
            #expect(record.data == "\"\(TestZone.stsRecord)\"")
        }
    }

    @Test func recursionDesiredIsEchoedButNotOffered() throws {
        let dig = try Dig()
        let live = try LiveServer()
        defer { live.stop() }
        let result = try dig.run(live.address, [sts, "TXT"])
        #expect(result.flags == ["qr", "aa", "rd"], "\(result)")
        #expect(result.output.contains("recursion requested but not available"), "\(result)")
    }

    @Test func negativeAnswersCarryTheSOA() throws {
        let dig = try Dig()
        let live = try LiveServer()
        defer { live.stop() }
        let nxdomain = try dig.run(live.address, ["+norec", "missing._mta-sts.\(TestZone.apex)", "TXT"])
        #expect(nxdomain.status == "NXDOMAIN", "\(nxdomain)")
        #expect(nxdomain.flags == ["qr", "aa"], "\(nxdomain)")
        #expect(nxdomain.count("ANSWER") == 0 && nxdomain.count("AUTHORITY") == 1, "\(nxdomain)")
        let soa = try #require(nxdomain.records("AUTHORITY").first, "\(nxdomain)")
        #expect(soa.owner == "\(TestZone.apex)." && soa.ttl == 30 && soa.type == "SOA")
        #expect(
            soa.data == "ns1.platform.example. hostmaster.\(TestZone.apex). \(TestZone.serial) 86400 7200 3600000 30"
        )

        let noData = try dig.run(live.address, ["+norec", "_smtp._tls.\(TestZone.apex)", "TXT"])
        #expect(
            noData.status == "NOERROR" && noData.count("ANSWER") == 0 && noData.count("AUTHORITY") == 1,
            "\(noData)"
        )
    }

    @Test func namesOutsideTheZoneAreRefused() throws {
        let dig = try Dig()
        let live = try LiveServer()
        defer { live.stop() }
        let result = try dig.run(live.address, ["+norec", "example.com", "A"])
        #expect(result.status == "REFUSED", "\(result)")
        #expect(!result.flags.contains("aa") && !result.flags.contains("ra"), "\(result)")
    }

    @Test func truncatedAnswersAndTheTCPRetry() throws {
        let dig = try Dig()
        let live = try LiveServer()
        defer { live.stop() }
        let ignored = try dig.run(live.address, ["+norec", "+ignore", "+bufsize=512", big, "TXT"])
        #expect(ignored.flags == ["qr", "aa", "tc"], "\(ignored)")
        #expect(ignored.count("ANSWER") == 0, "\(ignored)")
        let noEDNS = try dig.run(live.address, ["+norec", "+ignore", "+noedns", big, "TXT"])
        #expect(noEDNS.flags.contains("tc"), "\(noEDNS)")

        let retried = try dig.run(live.address, ["+norec", "+bufsize=512", big, "TXT"])
        #expect(retried.output.contains("Truncated, retrying in TCP mode."), "\(retried)")
        #expect(retried.flags == ["qr", "aa"], "\(retried)")
        #expect(retried.count("ANSWER") == 1, "\(retried)")
        let whole = try dig.run(live.address, ["+norec", "+short", "+bufsize=1232", big, "TXT"])
        #expect(!whole.output.contains("Truncated"), "\(whole)")
        #expect(whole.output.replacingOccurrences(of: "\" \"", with: "").contains(TestZone.bigTLSRPTRecord), "\(whole)")
    }

    @Test func zoneTransfersAreRefused() throws {
        let dig = try Dig()
        let live = try LiveServer()
        defer { live.stop() }
        let result = try dig.run(live.address, [TestZone.apex, "axfr"])
        #expect(result.output.contains("Transfer failed"), "\(result)")
    }

    @Test func unknownEDNSVersionIsBADVERS() throws {
        let dig = try Dig()
        let live = try LiveServer()
        defer { live.stop() }
        let result = try dig.run(live.address, ["+norec", "+edns=1", "+noednsneg", sts, "TXT"])
        #expect(result.status == "BADVERS", "\(result)")
        #expect(result.output.contains("EDNS: version: 0"), "\(result)")
        #expect(result.output.contains("udp: 1232"), "\(result)")
    }

    @Test func questionCaseIsKept() throws {
        let dig = try Dig()
        let live = try LiveServer()
        defer { live.stop() }
        let name = "AbC123._MTA-STS.Sts.Platform.Example"
        let result = try dig.run(live.address, ["+norec", name, "TXT"])
        #expect(result.question == "\(name). IN TXT", "\(result)")
        #expect(result.records("ANSWER").first?.owner == "\(name).", "\(result)")
    }

    @Test func anyAtTheApexIsOneRRset() throws {
        let dig = try Dig()
        let live = try LiveServer()
        defer { live.stop() }
        let result = try dig.run(live.address, ["+norec", TestZone.apex, "ANY"])
        #expect(result.status == "NOERROR", "\(result)")
        #expect(result.count("ANSWER") == 1, "\(result)")
        #expect(result.records("ANSWER").map(\.type) == ["SOA"], "\(result)")
    }

    @Test func answersOverIPv6WhenAvailable() throws {
        let dig = try Dig()
        guard RawDNS.isIPv6LoopbackAvailable else {
            Issue.record("IPv6 loopback (::1) is not configured on this host")
            return
        }
        let live = try LiveServer(addresses: ["[::1]:0"])
        defer { live.stop() }
        for transport in [[], ["+tcp"]] {
            let result = try dig.run(live.address, ["+norec"] + transport + [sts, "TXT"])
            #expect(result.status == "NOERROR" && result.count("ANSWER") == 1, "\(result)")
        }
    }
}
