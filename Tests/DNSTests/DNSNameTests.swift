import Testing

@testable import DNS

@Suite struct DNSNameTests {
    @Test func parsesDottedNameWithAndWithoutTrailingDot() throws {
        let plain = try DNSName("mta-sts.example.com")
        let rooted = try DNSName("mta-sts.example.com.")
        #expect(plain.labels.map { String(decoding: $0, as: UTF8.self) } == ["mta-sts", "example", "com"])
        #expect(plain == rooted)
        #expect(plain.description == "mta-sts.example.com")
        #expect(plain.wireLength == 21)
    }

    @Test func comparesAndHashesCaseInsensitively() throws {
        let lower = try DNSName("mta-sts.example.com")
        let mixed = try DNSName("MTA-STS.Example.COM")
        #expect(lower == mixed)
        #expect(Set([lower, mixed]).count == 1)
        #expect(mixed.description == "MTA-STS.Example.COM")
        #expect(mixed.lowercased().description == "mta-sts.example.com")
        #expect(try DNSName("a.example.com") != DNSName("b.example.com"))
    }

    @Test func rootHasNoLabels() throws {
        #expect(try DNSName(".").isRoot)
        #expect(try DNSName("").isRoot)
        #expect(DNSName.root.description == ".")
        #expect(DNSName.root.wireLength == 1)
    }

    @Test func rejectsEmptyLabels() {
        #expect(throws: DNSError(.invalidName, "")) { try DNSName("a..b") }
        #expect(throws: DNSError(.invalidName, "")) { try DNSName(".a") }
    }

    @Test func enforcesLabelAndNameLimits() throws {
        let label63 = String(repeating: "a", count: 63)
        #expect(try DNSName(label63 + ".com").labels[0].count == 63)
        #expect(throws: DNSError(.labelTooLong, "")) { try DNSName(String(repeating: "a", count: 64) + ".com") }
        // Four 62-byte labels: 4 * 63 + 1 = 253 bytes fits; a fifth label does not.
        let fits = Array(repeating: String(repeating: "b", count: 62), count: 4).joined(separator: ".")
        #expect(try DNSName(fits).wireLength == 253)
        #expect(throws: DNSError(.nameTooLong, "")) { try DNSName(fits + ".cc") }
    }

    @Test func parsesAndPrintsEscapes() throws {
        let name = try DNSName(#"a\.b.c\\d.\255x"#)
        #expect(name.labels == [Array("a.b".utf8), Array(#"c\d"#.utf8), [255, UInt8(ascii: "x")]])
        #expect(name.description == #"a\.b.c\\d.\255x"#)
        #expect(throws: DNSError(.invalidName, "")) { try DNSName(#"abc\"#) }
        #expect(throws: DNSError(.invalidName, "")) { try DNSName(#"a\300"#) }
    }

    @Test func subdomainChecks() throws {
        let zone = try DNSName("example.test")
        #expect(try DNSName("mta-sts.EXAMPLE.test").isSubdomain(of: zone))
        #expect(zone.isSubdomain(of: zone))
        #expect(try !DNSName("badexample.test").isSubdomain(of: zone))
        #expect(zone.isSubdomain(of: .root))
    }

    @Test func labelsInitializerValidates() throws {
        #expect(throws: DNSError(.invalidName, "")) { try DNSName(labels: [[]]) }
        #expect(try DNSName(labels: [Array("x".utf8)]).description == "x")
    }
}
