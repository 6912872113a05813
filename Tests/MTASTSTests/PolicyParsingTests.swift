import Testing

@testable import MTASTS

struct PolicyErrorCase: Sendable, CustomTestStringConvertible {
    let text: String
    let code: PolicyError.Code
    let line: Int?
    let field: String?

    var testDescription: String { "\(code): \(text.debugDescription)" }

    init(_ text: String, _ code: PolicyError.Code, line: Int? = nil, field: String? = nil) {
        self.text = text
        self.code = code
        self.line = line
        self.field = field
    }

    static let valid = "version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 86400\r\n"

    static let all: [PolicyErrorCase] = [
        .init("", .emptyPolicy),
        .init("\u{FEFF}" + valid, .byteOrderMark, line: 1),
        .init("mode: enforce\r\nmx: mx.example.com\r\nmax_age: 86400\r\n", .missingVersion, field: "version"),
        .init(
            "version: STSv2\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 1\r\n",
            .invalidVersion,
            line: 1,
            field: "version"
        ),
        .init("version: stsv1\nmode: enforce\nmx: a.example\nmax_age: 1\n", .invalidVersion, line: 1, field: "version"),
        .init("version: STSv1\r\nmx: a.example\r\nmax_age: 1\r\n", .missingMode, field: "mode"),
        .init(
            "version: STSv1\r\nmode: Enforce\r\nmx: a.example\r\nmax_age: 1\r\n",
            .invalidMode,
            line: 2,
            field: "mode"
        ),
        .init(
            "version: STSv1\r\nmode: enforcé\r\nmx: a.example\r\nmax_age: 1\r\n",
            .invalidMode,
            line: 2,
            field: "mode"
        ),
        .init("version: STSv1\r\nmode:\r\nmx: a.example\r\nmax_age: 1\r\n", .invalidMode, line: 2, field: "mode"),
        .init("version: STSv1\r\nmode: enforce\r\nmx: a.example\r\n", .missingMaxAge, field: "max_age"),
        .init(
            "version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 31557601\r\n",
            .maxAgeOutOfRange,
            line: 4,
            field: "max_age"
        ),
        .init(
            "version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 9999999999\r\n",
            .maxAgeOutOfRange,
            line: 4,
            field: "max_age"
        ),
        .init(
            "version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 00000000001\r\n",
            .invalidMaxAge,
            line: 4,
            field: "max_age"
        ),
        .init(
            "version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: -1\r\n",
            .invalidMaxAge,
            line: 4,
            field: "max_age"
        ),
        .init(
            "version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 1e3\r\n",
            .invalidMaxAge,
            line: 4,
            field: "max_age"
        ),
        .init(
            "version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: +5\r\n",
            .invalidMaxAge,
            line: 4,
            field: "max_age"
        ),
        .init(
            "version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 86 400\r\n",
            .invalidMaxAge,
            line: 4,
            field: "max_age"
        ),
        .init(
            "version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age:\r\n",
            .invalidMaxAge,
            line: 4,
            field: "max_age"
        ),
        .init(
            "version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: \u{0661}\r\n",
            .invalidMaxAge,
            line: 4,
            field: "max_age"
        ),
        .init("version: STSv1\r\nmode: enforce\r\nmax_age: 1\r\n", .missingMX, field: "mx"),
        .init("version: STSv1\r\nmode: testing\r\nmax_age: 1\r\n", .missingMX, field: "mx"),
        .init(
            "version: STSv1\r\nmode: enforce\r\nmx: mx.bücher.example\r\nmax_age: 1\r\n",
            .invalidMXPattern,
            line: 3,
            field: "mx"
        ),
        .init(
            "version: STSv1\r\nmode: enforce\r\nmx: *.com\r\nmax_age: 1\r\n",
            .invalidMXPattern,
            line: 3,
            field: "mx"
        ),
        .init(
            "version: STSv1\r\nmode: enforce\r\nmx: mail.*.example\r\nmax_age: 1\r\n",
            .invalidMXPattern,
            line: 3,
            field: "mx"
        ),
        .init("version: STSv1\r\nmode: enforce\r\nmx:\r\nmax_age: 1\r\n", .invalidMXPattern, line: 3, field: "mx"),
        .init(
            "version: STSv1\r\nmode: enforce\r\nmx: a.example b.example\r\nmax_age: 1\r\n",
            .invalidMXPattern,
            line: 3,
            field: "mx"
        ),
        .init("version: STSv1\rmode: enforce\r\nmx: a.example\r\nmax_age: 1\r\n", .bareCarriageReturn, line: 1),
        .init("version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 1\r", .bareCarriageReturn, line: 4),
        .init("version: STSv1\r\nmode: enforce\r\r\nmx: a.example\r\nmax_age: 1\r\n", .bareCarriageReturn, line: 2),
        .init("version: STSv1\r\n mode: enforce\r\nmx: a.example\r\nmax_age: 1\r\n", .leadingWhitespace, line: 2),
        .init("\tversion: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n", .leadingWhitespace, line: 1),
        .init("version: STSv1\r\n\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 1\r\n", .blankLine, line: 2),
        .init("\nversion: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n", .blankLine, line: 1),
        .init("version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 1\r\n\r\n", .blankLine, line: 5),
        .init("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n\n", .blankLine, line: 5),
        .init("version: STSv1\r\nmode: enforce\u{0}\r\nmx: a.example\r\nmax_age: 1\r\n", .controlCharacter, line: 2),
        .init(
            "version: STSv1\r\nmode: enforce\r\nx-note: a\u{7F}b\r\nmx: a.example\r\nmax_age: 1\r\n",
            .controlCharacter,
            line: 3
        ),
        .init(
            "version: STSv1\r\nmode: enforce\u{1B}[0m\r\nmx: a.example\r\nmax_age: 1\r\n",
            .controlCharacter,
            line: 2
        ),
        .init("version: STSv1\r\nmode enforce\r\nmx: a.example\r\nmax_age: 1\r\n", .missingColon, line: 2),
        .init(
            "version: STSv1\r\nmode: enforce\r\nmx: a.example\r\n# comment\r\nmax_age: 1\r\n",
            .missingColon,
            line: 4
        ),
        .init("version: STSv1\r\nmode : enforce\r\nmx: a.example\r\nmax_age: 1\r\n", .invalidFieldName, line: 2),
        .init("version: STSv1\r\n: enforce\r\nmx: a.example\r\nmax_age: 1\r\n", .invalidFieldName, line: 2),
        .init(
            "version: STSv1\r\n# note: hi\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 1\r\n",
            .invalidFieldName,
            line: 2
        ),
        .init(
            "version: STSv1\r\nnötig: x\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 1\r\n",
            .invalidFieldName,
            line: 2
        ),
        .init("version: STSv1\r\nMode: enforce\r\nmx: a.example\r\nmax_age: 1\r\n", .missingMode, field: "mode"),
        .init("<html><body>Not found</body></html>", .missingColon, line: 1),
    ]
}

@Suite struct PolicyParsingTests {
    static let expected = Policy.parsed(mode: .enforce, mx: ["mx.example.com"], maxAge: 86_400)

    @Test(arguments: PolicyErrorCase.all)
    func rejectsWithPreciseError(_ testCase: PolicyErrorCase) {
        let error = policyError { () throws(PolicyError) in _ = try Policy(parsing: testCase.text) }
        #expect(error?.code == testCase.code)
        #expect(error?.line == testCase.line)
        if let field = testCase.field {
            #expect(error?.field == field)
        }
        #expect(error?.message.isEmpty == false)
    }

    @Test(arguments: [
        // Canonical CRLF.
        "version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 86400\r\n",
        // LF only (ABNF sts-policy-term = LF / CRLF).
        "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 86400\n",
        // No terminator after the last line.
        "version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 86400",
        // Mixed terminators.
        "version: STSv1\nmode: enforce\r\nmx: mx.example.com\nmax_age: 86400\r\n",
        // Any order.
        "max_age: 86400\nmx: mx.example.com\nmode: enforce\nversion: STSv1\n",
        // No space or several spaces/tabs after the colon; trailing white space.
        "version:STSv1\nmode:\t enforce \nmx:   mx.example.com\t\nmax_age:86400  \n",
        // Unknown fields are ignored, including UTF-8 extension values (RFC 8461 §3.2).
        "version: STSv1\nmode: enforce\nx-comment: héllo wörld\nmx: mx.example.com\nfoo_bar.baz-1: 1\nmax_age: 86400\n",
        // Case-variant names are unknown fields, ignored.
        "version: STSv1\nMODE: testing\nmode: enforce\nmx: mx.example.com\nmax_age: 86400\n",
        // Duplicate non-mx fields: the first wins, later copies are not validated.
        "version: STSv1\nversion: STSv2\nmode: enforce\nmode: banana\nmx: mx.example.com\nmax_age: 86400\nmax_age: -1\n",
        // Repeated equal mx patterns collapse; case and trailing dot normalised.
        "version: STSv1\nmode: enforce\nmx: MX.Example.com.\nmx: mx.example.com\nmax_age: 86400\n",
        // Leading zeros fit 1*10DIGIT.
        "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 0000086400\n",
    ])
    func acceptsLenientForms(text: String) throws {
        #expect(try Policy(parsing: text) == Self.expected)
    }

    @Test func parsesRFC8461Section32Example() throws {
        let text =
            "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n"
        let policy = try Policy(parsing: text)
        #expect(policy.mode == .enforce)
        #expect(policy.mx.map(\.description) == ["mail.example.com", "*.example.net", "backupmx.example.com"])
        #expect(policy.maxAge == 604_800)
        #expect(policy.text == text)
    }

    @Test(arguments: [("0", 0), ("31557600", 31_557_600), ("1", 1), ("604800", 604_800)])
    func maxAgeBoundaries(value: String, expected: Int) throws {
        let policy = try Policy(parsing: "version: STSv1\nmode: none\nmax_age: \(value)\n")
        #expect(policy.maxAge == expected)
        #expect(policy.mode == .none)
        #expect(policy.mx.isEmpty)
    }

    @Test func firstDuplicateWinsEvenWhenLaterIsValid() {
        let error = policyError { () throws(PolicyError) in
            _ = try Policy(parsing: "version: STSv1\nmode: banana\nmode: enforce\nmx: a.example\nmax_age: 1\n")
        }
        #expect(error?.code == .invalidMode)
        #expect(error?.line == 2)
    }

    @Test func caseMismatchIsExplained() throws {
        let error = try #require(
            policyError { () throws(PolicyError) in
                _ = try Policy(parsing: "Version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n")
            }
        )
        #expect(error.code == .missingVersion)
        #expect(error.message.contains("case-sensitive"))
        #expect(error.message.contains("Version"))
    }

    @Test func mxPatternsKeepOrderAndWildcards() throws {
        let policy = try Policy(parsing: "version: STSv1\nmode: testing\nmx: *.B.example\nmx: a.example\nmax_age: 5\n")
        #expect(policy.mx.map(\.description) == ["*.b.example", "a.example"])
        #expect(policy.mx[0].matches("mx.b.example"))
        #expect(!policy.mx[0].matches("b.example"))
    }

    @Test func invalidMXErrorCarriesDomainReason() throws {
        let error = try #require(
            policyError { () throws(PolicyError) in
                _ = try Policy(parsing: "version: STSv1\nmode: enforce\nmx: mx_1.example\nmax_age: 1\n")
            }
        )
        #expect(error.underlying?.reason == .underscore)
        #expect(error.description.hasPrefix("line 3: "))
    }
}

extension Policy {
    /// Test helper: builds a policy from literals that are known to be valid.
    static func parsed(mode: PolicyMode, mx: [String], maxAge: Int) -> Policy? {
        let patterns = mx.compactMap { try? MXPattern(parsing: $0) }
        return try? Policy(mode: mode, mx: patterns, maxAge: maxAge)
    }
}
