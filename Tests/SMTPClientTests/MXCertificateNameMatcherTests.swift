import Testing

@testable import SMTPClient

/// RFC 8461 §4.1: DNS-IDs only, a wildcard only as the whole left-most label, covering exactly one label.
@Suite struct MXCertificateNameMatcherTests {
    private func match(_ host: String, _ names: [String]) -> String? {
        MXCertificateNameMatcher.matchingName(for: host, in: names)
    }

    @Test func exactNamesMatchCaseInsensitivelyWithoutTheRootDot() {
        #expect(match("mx1.example.com", ["mx1.example.com"]) == "mx1.example.com")
        #expect(match("MX1.Example.COM", ["mx1.example.com"]) == "mx1.example.com")
        #expect(match("mx1.example.com.", ["MX1.EXAMPLE.COM."]) == "MX1.EXAMPLE.COM.")
        #expect(match("mx1.example.com", ["mx2.example.com", "example.com"]) == nil)
    }

    @Test func aWildcardCoversExactlyOneLeftMostLabel() {
        #expect(match("mail.example.com", ["*.example.com"]) == "*.example.com")
        #expect(match("example.com", ["*.example.com"]) == nil)
        #expect(match("a.mail.example.com", ["*.example.com"]) == nil)
        #expect(match(".example.com", ["*.example.com"]) == nil)
    }

    @Test func theFirstCoveringNameIsReported() {
        #expect(match("mail.example.com", ["other.test", "*.example.com", "mail.example.com"]) == "*.example.com")
    }

    @Test func partialAndMisplacedWildcardsMatchNothing() {
        #expect(match("mail.example.com", ["m*.example.com"]) == nil)
        #expect(match("mail.example.com", ["*ail.example.com"]) == nil)
        #expect(match("mail.example.com", ["mail.*.com"]) == nil)
        #expect(match("mail.example.com", ["*.*.com"]) == nil)
        #expect(match("mail.example.com", ["*"]) == nil)
    }

    @Test func aWildcardDirectlyUnderATopLevelDomainCoversNothing() {
        #expect(match("example.com", ["*.com"]) == nil)
    }

    @Test func aHostWithAWildcardOrNoNameMatchesNothing() {
        #expect(match("*.example.com", ["*.example.com"]) == nil)
        #expect(match("", [""]) == nil)
        #expect(match("mx.example.com", []) == nil)
        #expect(match("mx.example.com", [""]) == nil)
    }

    @Test func internationalNamesCompareAsALabels() {
        #expect(match("mx.xn--bcher-kva.example", ["*.xn--bcher-kva.example"]) == "*.xn--bcher-kva.example")
        #expect(match("mx.b\u{FC}cher.example", ["*.xn--bcher-kva.example"]) == nil)
    }
}
