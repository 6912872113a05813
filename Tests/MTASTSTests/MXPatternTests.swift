import Testing

@testable import MTASTS

struct MatchCase: Sendable, CustomTestStringConvertible {
    let pattern: String
    let host: String
    let matches: Bool

    var testDescription: String { "\(pattern) vs \(host) → \(matches)" }

    init(_ pattern: String, _ host: String, _ matches: Bool) {
        self.pattern = pattern
        self.host = host
        self.matches = matches
    }

    static let all: [MatchCase] = [
        // RFC 8461 §4.1: "*" is exactly one whole left-most label.
        .init("*.example.com", "mail.example.com", true),
        .init("*.example.com", "a.example.com", true),
        .init("*.example.com", "A.EXAMPLE.COM.", true),
        .init("*.example.com", "MAIL.Example.Com", true),
        .init("*.example.com", "example.com", false),
        .init("*.example.com", "a.b.example.com", false),
        .init("*.example.com", "aexample.com", false),
        .init("*.example.com", ".example.com", false),
        .init("*.example.com", "*.example.com", false),
        .init("*.example.com", "mail.example.com.evil.net", false),
        .init("*.example.com", "mail.example.org", false),
        .init("*.example.com", "", false),
        .init("*.mail.example.net", "mx1.mail.example.net", true),
        .init("*.mail.example.net", "mail.example.net", false),
        // Exact patterns match only that host, case-insensitively, trailing dot ignored.
        .init("mail.example.com", "mail.example.com", true),
        .init("mail.example.com", "MAIL.EXAMPLE.COM.", true),
        .init("mail.example.com", "mail.example.com..", false),
        .init("mail.example.com", "x.mail.example.com", false),
        .init("mail.example.com", "example.com", false),
        .init("mail.example.com", "mail.example.co", false),
        .init("mail.example.com", " mail.example.com", false),
        .init("example.com", "example.com", true),
        .init("example.com", "a.example.com", false),
        // IDNs compare as A-labels.
        .init("mx.xn--bcher-kva.example", "mx.bücher.example", true),
        .init("*.bücher.example", "MX.xn--bcher-kva.example.", true),
        .init("mx.bücher.example", "mx.bucher.example", false),
    ]
}

@Suite struct MXPatternTests {
    @Test(arguments: MatchCase.all)
    func matchesPerRFC8461(_ testCase: MatchCase) throws {
        let pattern = try MXPattern(parsing: testCase.pattern)
        #expect(pattern.matches(testCase.host) == testCase.matches)
    }

    @Test(arguments: [
        ("mx1.example.com", "mx1.example.com", false),
        ("MX1.Example.COM.", "mx1.example.com", false),
        ("*.example.com", "*.example.com", true),
        ("*.EXAMPLE.com.", "*.example.com", true),
        ("*.bücher.example", "*.xn--bcher-kva.example", true),
        ("mx.xn--mnchen-3ya.de", "mx.xn--mnchen-3ya.de", false),
    ])
    func normalises(input: String, rendered: String, wildcard: Bool) throws {
        let pattern = try MXPattern(parsing: input)
        #expect(pattern.description == rendered)
        #expect(pattern.isWildcard == wildcard)
        #expect(try MXPattern(parsing: rendered) == pattern)
    }

    @Test(arguments: [
        ("", DomainNameError.Reason.empty),
        ("*", .wildcard),
        ("*.", .empty),
        ("*.com", .singleLabel),
        ("**.example.com", .wildcard),
        ("*.*.example.com", .wildcard),
        ("mail.*.example.com", .wildcard),
        ("*mail.example.com", .wildcard),
        ("mx*.example.com", .wildcard),
        ("*example.com", .wildcard),
        ("localhost", .singleLabel),
        ("192.0.2.25", .ipAddress),
        ("[2001:db8::25]", .ipAddress),
        ("mx_1.example.com", .underscore),
        ("mx 1.example.com", .invalidCharacter(" ")),
        ("-mx.example.com", .leadingHyphen),
        ("mx.example..com", .emptyLabel),
    ])
    func rejectsInvalidPatterns(input: String, reason: DomainNameError.Reason) throws {
        do {
            _ = try MXPattern(parsing: input)
            Issue.record("\(input) was accepted")
        } catch {
            #expect(error.code == .invalidMXPattern)
            #expect(error.field == "mx")
            #expect(error.underlying?.reason == reason)
            #expect(error.message.contains(input))
        }
    }

    @Test func matchesParsedHostsToo() throws {
        let pattern = MXPattern(host: try DomainName.parseHostname("example.net"), wildcard: true)
        #expect(pattern.description == "*.example.net")
        #expect(pattern.matches(try DomainName.parseHostname("mx.example.net")))
        #expect(!pattern.matches(try DomainName.parseHostname("example.net")))
    }

    @Test func equalPatternsHashEqual() throws {
        let patterns = try ["MX.example.com", "mx.example.com.", "mx.EXAMPLE.com"].map {
            (text: String) throws(PolicyError) -> MXPattern in try MXPattern(parsing: text)
        }
        #expect(Set(patterns).count == 1)
        #expect(try MXPattern(parsing: "*.example.com") != MXPattern(parsing: "example.com"))
    }
}
