import Testing

@testable import MTASTS

func patterns(_ texts: String...) throws -> [MXPattern] {
    try texts.map { (text: String) throws(PolicyError) -> MXPattern in try MXPattern(parsing: text) }
}

func policyError(_ body: () throws(PolicyError) -> Void) -> PolicyError? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}

@Suite struct PolicyTests {
    @Test func rendersRFCStyleExactly() throws {
        let policy = try Policy(
            mode: .enforce,
            mx: patterns("mx1.example.com", "*.mail.example.net"),
            maxAge: 604_800
        )
        #expect(
            policy.text
                == "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: *.mail.example.net\r\nmax_age: 604800\r\n"
        )
        #expect(
            policy.lines == [
                "version: STSv1", "mode: enforce", "mx: mx1.example.com", "mx: *.mail.example.net", "max_age: 604800",
            ]
        )
    }

    @Test func rendersRFC8461Section32Example() throws {
        // RFC 8461 §3.2 example policy, re-rendered canonically (CRLF after every line).
        let policy = try Policy(
            mode: .enforce,
            mx: patterns("mail.example.com", "*.example.net", "backupmx.example.com"),
            maxAge: 604_800
        )
        #expect(
            policy.text
                == "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n"
        )
    }

    @Test func rendersNoneModeWithoutMX() throws {
        let policy = try Policy(mode: .none, mx: [], maxAge: 86_400)
        #expect(policy.text == "version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n")
    }

    @Test func rendersNormalisedIDNPatterns() throws {
        let policy = try Policy(mode: .testing, mx: patterns("MX.Bücher.Example."), maxAge: 0)
        #expect(policy.text == "version: STSv1\r\nmode: testing\r\nmx: mx.xn--bcher-kva.example\r\nmax_age: 0\r\n")
    }

    @Test(arguments: [0, 1, 86_400, 604_800, 31_557_600])
    func acceptsMaxAgeInRange(maxAge: Int) throws {
        #expect(try Policy(mode: .enforce, mx: patterns("mx.example.com"), maxAge: maxAge).maxAge == maxAge)
    }

    @Test(arguments: [-1, 31_557_601, Int.max, Int.min])
    func rejectsMaxAgeOutOfRange(maxAge: Int) throws {
        let mx = try patterns("mx.example.com")
        let error = policyError { () throws(PolicyError) in _ = try Policy(mode: .enforce, mx: mx, maxAge: maxAge) }
        #expect(error?.code == .maxAgeOutOfRange)
        #expect(error?.field == "max_age")
        #expect(error?.line == nil)
    }

    @Test(arguments: [PolicyMode.enforce, .testing])
    func requiresMXUnlessModeNone(mode: PolicyMode) {
        let error = policyError { () throws(PolicyError) in _ = try Policy(mode: mode, mx: [], maxAge: 1) }
        #expect(error?.code == .missingMX)
        #expect(error?.field == "mx")
    }

    @Test func noneModeMayKeepMX() throws {
        let policy = try Policy(mode: .none, mx: patterns("mx.example.com"), maxAge: 1)
        #expect(policy.mx.count == 1)
    }

    @Test(arguments: [
        ["mx.example.com", "MX.EXAMPLE.COM."],
        ["*.example.com", "mx.example.com", "*.Example.Com"],
        ["mx.xn--bcher-kva.example", "mx.bücher.example"],
    ])
    func rejectsDuplicatePatternsAfterNormalisation(texts: [String]) throws {
        let mx = try texts.map { (text: String) throws(PolicyError) -> MXPattern in try MXPattern(parsing: text) }
        let error = policyError { () throws(PolicyError) in _ = try Policy(mode: .enforce, mx: mx, maxAge: 1) }
        #expect(error?.code == .duplicateMXPattern)
        #expect(error?.field == "mx")
    }

    @Test func modeRawValues() {
        #expect(PolicyMode.allCases.map(\.rawValue) == ["enforce", "testing", "none"])
        #expect(PolicyMode(rawValue: "Enforce") == nil)
        #expect(Policy.maxAgeLimit == 31_557_600)
    }

    @Test func errorDescriptionIncludesLine() {
        let error = PolicyError(.blankLine, line: 3, message: "Blank lines are not allowed.")
        #expect(error.description == "line 3: Blank lines are not allowed.")
        #expect(PolicyError(.missingMode, message: "x").description == "x")
    }
}
