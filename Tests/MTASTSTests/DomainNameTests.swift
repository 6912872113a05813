import Testing

@testable import MTASTS

private func parseError(_ input: String, role: DomainName.Role = .policyDomain) -> DomainNameError? {
    do {
        _ = try DomainName(parsing: input, role: role)
        return nil
    } catch {
        return error
    }
}

private let label63 = String(repeating: "a", count: 63)
private let label64 = String(repeating: "a", count: 64)

/// A name of exactly `length` octets made of 63-octet labels (and a shorter last one) ending in ".com".
private func name(ofLength length: Int) -> String {
    var labels: [String] = []
    var remaining = length - 4  // ".com"
    while remaining > 63 {
        let size = remaining - 64 >= 1 ? 63 : 62
        labels.append(String(repeating: "b", count: size))
        remaining -= size + 1
    }
    labels.append(String(repeating: "b", count: remaining))
    return labels.joined(separator: ".") + ".com"
}

@Suite struct DomainNameTests {
    @Test(arguments: [
        ("example.com", "example.com"),
        ("EXAMPLE.COM", "example.com"),
        ("Mail.Example.Com.", "mail.example.com"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("BÜCHER.EXAMPLE", "xn--bcher-kva.example"),
        ("münchen.de", "xn--mnchen-3ya.de"),
        ("xn--mnchen-3ya.de", "xn--mnchen-3ya.de"),
        ("XN--MNCHEN-3YA.DE.", "xn--mnchen-3ya.de"),
        ("пример.рф", "xn--e1afmkfd.xn--p1ai"),
        ("mail.例え.jp", "mail.xn--r8jz45g.jp"),
        ("a-b.c-d.example", "a-b.c-d.example"),
        ("1.example", "1.example"),
        ("3com.com", "3com.com"),
        ("a.b.c.d.e.example", "a.b.c.d.e.example"),
        ("\(label63).com", "\(label63).com"),
        ("\(String(repeating: "a", count: 55))ü.com", "xn--\(String(repeating: "a", count: 55))-8yf.com"),
    ])
    func parsesAndNormalises(input: String, expected: String) throws {
        let domain = try DomainName(parsing: input)
        #expect(domain.name == expected)
        #expect(domain.description == expected)
        #expect(domain.labels == expected.split(separator: ".").map(String.init))
        // Parsing the normalised form is idempotent.
        #expect(try DomainName(parsing: domain.name) == domain)
    }

    @Test(arguments: [
        ("", DomainNameError.Reason.empty),
        (".", .empty),
        ("example..com", .emptyLabel),
        (".example.com", .emptyLabel),
        ("example.com..", .emptyLabel),
        ("com", .singleLabel),
        ("localhost.", .singleLabel),
        ("bücher", .singleLabel),
        ("exa mple.com", .invalidCharacter(" ")),
        (" example.com", .invalidCharacter(" ")),
        ("example.com ", .invalidCharacter(" ")),
        ("example.com\n", .invalidCharacter("\n")),
        ("exa\u{0}mple.com", .invalidCharacter("\u{0}")),
        ("ex\tample.com", .invalidCharacter("\t")),
        ("ex\u{7F}ample.com", .invalidCharacter("\u{7F}")),
        ("ex\u{85}ample.com", .invalidCharacter("\u{85}")),
        ("exa!mple.com", .invalidCharacter("!")),
        ("exa/mple.com", .invalidCharacter("/")),
        ("user@example.com", .invalidCharacter("@")),
        ("exa\u{3002}mple.com", .invalidCharacter("\u{3002}")),
        ("ex\u{200D}ample.com", .invalidCharacter("\u{200D}")),
        ("\u{301}abc.com", .invalidCharacter("\u{301}")),
        ("\u{20AC}uro.com", .invalidCharacter("\u{20AC}")),
        ("-example.com", .leadingHyphen),
        ("example-.com", .trailingHyphen),
        ("mail.-x.com", .leadingHyphen),
        ("ab--cd.com", .reservedHyphens),
        ("-ü.com", .leadingHyphen),
        ("192.0.2.1", .ipAddress),
        ("192.0.2.1.", .ipAddress),
        ("::1", .ipAddress),
        ("[192.0.2.1]", .ipAddress),
        ("2001:db8::1", .ipAddress),
        ("example.com:443", .ipAddress),
        ("*.example.com", .wildcard),
        ("a*b.example.com", .wildcard),
        ("*", .wildcard),
        ("_dmarc.example.com", .underscore),
        ("_mta-sts.example.com", .underscore),
        ("mail_1.example.com", .underscore),
        ("example.123", .numericTopLevel),
        ("1.2.3", .numericTopLevel),
        ("\(label64).com", .labelTooLong),
        ("\(String(repeating: "a", count: 56))ü.com", .labelTooLong),
        ("xn--.com", .trailingHyphen),
        ("xn--0.com", .invalidPunycode),
        ("xn--a.com", .invalidPunycode),
        ("xn--abc.com", .invalidPunycode),
        ("xn--bcher.com", .invalidPunycode),
        ("xn--example.com", .invalidPunycode),
        ("xn--x-jfa.com", .invalidPunycode),
        ("xn--99999999999999.com", .invalidPunycode),
    ])
    func rejects(input: String, reason: DomainNameError.Reason) {
        #expect(parseError(input)?.reason == reason)
    }

    @Test func hostnameRoleAllows253Octets() throws {
        let longest = name(ofLength: 253)
        #expect(longest.utf8.count == 253)
        #expect(try DomainName.parseHostname(longest).name == longest)
        #expect(try DomainName.parseHostname(longest + ".").name == longest)
        #expect(parseError(name(ofLength: 254), role: .hostname)?.reason == .tooLong)
    }

    @Test func policyDomainRoleLeavesRoomForRecordPrefixes() throws {
        let longest = name(ofLength: 242)
        #expect(longest.utf8.count == 242)
        let domain = try DomainName(parsing: longest)
        #expect(domain.tlsrptRecordName.utf8.count == 253)
        #expect(parseError(name(ofLength: 243))?.reason == .tooLong)
        #expect(DomainName.Role.policyDomain.maximumLength == 242)
    }

    @Test func messagesNameTheOffendingLabel() throws {
        let hyphen = try #require(parseError("mail.-bad.example"))
        #expect(hyphen.label == "-bad")
        #expect(hyphen.message.contains("\"-bad\""))
        let character = try #require(parseError("mail.ba!d.example"))
        #expect(character.message.contains("\"ba!d\""))
        #expect(character.message.contains("!"))
        let long = try #require(parseError("\(label64).example"))
        #expect(long.message.contains(label64))
        #expect(long.message.contains("64"))
        let single = try #require(parseError("intranet"))
        #expect(single.message.contains("intranet"))
        #expect(single.description == single.message)
    }

    @Test func derivedRecordNames() throws {
        let domain = try DomainName(parsing: "Example.COM.")
        #expect(domain.policyHost == "mta-sts.example.com")
        #expect(domain.stsRecordName == "_mta-sts.example.com")
        #expect(domain.tlsrptRecordName == "_smtp._tls.example.com")
    }

    @Test(arguments: [
        ("xn--bcher-kva.example", "bücher.example"),
        ("bücher.example", "bücher.example"),
        ("mail.xn--r8jz45g.jp", "mail.例え.jp"),
        ("example.com", "example.com"),
    ])
    func unicodeNameDecodesALabels(input: String, display: String) throws {
        #expect(try DomainName(parsing: input).unicodeName == display)
    }

    @Test(arguments: [
        ("a.example.com", "example.com", true),
        ("a.b.example.com", "example.com", true),
        ("example.com", "example.com", false),
        ("example.com", "a.example.com", false),
        ("badexample.com", "example.com", false),
        ("a.example.org", "example.com", false),
    ])
    func subdomainRelation(child: String, parent: String, expected: Bool) throws {
        let lhs = try DomainName(parsing: child)
        let rhs = try DomainName(parsing: parent)
        #expect(lhs.isSubdomain(of: rhs) == expected)
    }

    @Test func equalityHashingAndOrdering() throws {
        let a = try DomainName(parsing: "B\u{00DC}CHER.example")
        let b = try DomainName(parsing: "xn--bcher-kva.example.")
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        let sorted = try ["b.example", "a.example", "c.example"].map { (text: String) throws -> DomainName in
            try DomainName(parsing: text)
        }.sorted()
        #expect(sorted.map(\.name) == ["a.example", "b.example", "c.example"])
    }

    @Test func errorEqualityIgnoresMessage() {
        let lhs = DomainNameError(.wildcard, label: "*", message: "one")
        let rhs = DomainNameError(.wildcard, label: "*", message: "two")
        #expect(lhs == rhs)
        #expect(lhs != DomainNameError(.underscore, label: "*", message: "one"))
    }
}
