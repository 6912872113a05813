import TestSupport
import Testing

@testable import MTASTS

private func recordError(_ body: () throws(RecordError) -> Void) -> RecordError? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}

@Suite struct STSRecordTests {
    @Test func rendersCanonicalText() throws {
        let record = STSRecord(id: try PolicyID("20160831085700Z"))
        #expect(record.text == "v=STSv1; id=20160831085700Z")
        #expect(record.extensions.isEmpty)
    }

    @Test(arguments: [
        // RFC 8461 §3.1 example.
        ("v=STSv1; id=20160831085700Z;", "20160831085700Z"),
        ("v=STSv1; id=20160831085700Z", "20160831085700Z"),
        ("v=STSv1;id=abc", "abc"),
        ("v=STSv1 ;\tid=abc ; ", "abc"),
        ("v=STSv1;  id=\(String(repeating: "x", count: 32))", String(repeating: "x", count: 32)),
    ])
    func parsesValidRecords(text: String, id: String) throws {
        let record = try STSRecord(parsing: text)
        #expect(record.id.string == id)
        #expect(record.text == "v=STSv1; id=\(id)")
    }

    @Test func ignoresUnknownExtensionsButKeepsThem() throws {
        let record = try STSRecord(parsing: "v=STSv1; ext.one=x!y; id=a1; ext.one=second; v=ignored")
        #expect(record.id.string == "a1")
        #expect(
            record.extensions == [
                RecordExtension(name: "ext.one", value: "x!y"), RecordExtension(name: "v", value: "ignored"),
            ]
        )
        #expect(record.text == "v=STSv1; id=a1")
    }

    @Test func firstIDWins() throws {
        #expect(try STSRecord(parsing: "v=STSv1; id=first; id=second").id.string == "first")
        #expect(try STSRecord(parsing: "v=STSv1; id=first; id=not-valid!").id.string == "first")
    }

    @Test(arguments: [
        ("", RecordError.Code.missingVersion),
        ("id=abc; v=STSv1", .missingVersion),
        (" v=STSv1; id=abc", .missingVersion),
        ("v=stsv1; id=abc", .missingVersion),
        ("V=STSv1; id=abc", .missingVersion),
        ("v=STSv10; id=abc", .invalidVersion),
        ("v=STSv1 x; id=abc", .invalidVersion),
        ("v=STSv1", .missingID),
        ("v=STSv1;", .missingID),
        ("v=STSv1; ID=abc", .missingID),
        ("v=STSv1; ext=1", .missingID),
        ("v=STSv1; id=", .invalidID),
        ("v=STSv1; id=\(String(repeating: "a", count: 33))", .invalidID),
        ("v=STSv1; id=2024-01-15", .invalidID),
        ("v=STSv1; id=abc def", .invalidID),
        ("v=STSv1; id=YWJj+/==", .invalidID),
        ("v=STSv1;; id=abc", .emptyField),
        ("v=STSv1; id=abc;;", .emptyField),
        ("v=STSv1; id", .invalidField),
        ("v=STSv1; id=abc; _ext=1", .invalidField),
        ("v=STSv1; id=abc; =1", .invalidField),
        ("v=STSv1; id=abc; ext=", .invalidExtension),
        ("v=STSv1; id=abc; ext=a=b", .invalidExtension),
        ("v=STSv1; id=abc; ext=a b", .invalidExtension),
        ("v=STSv1; id=abcé", .invalidCharacter),
        ("v=STSv1; id=abc\n", .invalidCharacter),
    ])
    func rejectsInvalidRecords(text: String, code: RecordError.Code) {
        let error = recordError { () throws(RecordError) in _ = try STSRecord(parsing: text) }
        #expect(error?.code == code)
        #expect(error?.message.isEmpty == false)
    }

    @Test(arguments: [
        (String(repeating: "a", count: 32), true), (String(repeating: "a", count: 33), false),
        ("1", true), (String(repeating: "Z9", count: 16), true), (String(repeating: "Z9", count: 16) + "x", false),
    ])
    func idLengthBoundary(id: String, valid: Bool) {
        let error = recordError { () throws(RecordError) in _ = try STSRecord(parsing: "v=STSv1; id=\(id)") }
        #expect((error == nil) == valid)
    }

    // MARK: - Discovery (RFC 8461 §3.1)

    @Test func discoversSingleRecordAmongOtherTXT() throws {
        let result = STSRecord.discover(txtRecords: [
            ["v=spf1 -all"], ["v=STSv1; id=abc"], ["google-site-verification=xyz"],
        ])
        #expect(result == .found(STSRecord(id: try PolicyID("abc"))))
    }

    @Test func concatenatesMultiStringRecordsWithoutSeparator() throws {
        let result = STSRecord.discover(txtRecords: [["v=STS", "v1; id=", "2026", "1125"]])
        #expect(result == .found(STSRecord(id: try PolicyID("20261125"))))
        // A space at a string boundary is part of the text, not added by concatenation.
        #expect(
            STSRecord.discover(txtRecords: [["v=STSv1;", "id=ab", "c"]]) == .found(STSRecord(id: try PolicyID("abc")))
        )
    }

    @Test(arguments: [
        [[String]](), [["v=spf1 -all"]], [["v=STSv1"]], [["v=STSv1 ; id=abc"]], [["V=STSv1; id=abc"]], [[]],
        [["v=TLSRPTv1; rua=mailto:a@example.com"]],
    ])
    func findsNoneWhenNothingStartsWithPrefix(records: [[String]]) {
        #expect(STSRecord.discover(txtRecords: records) == .none)
    }

    @Test func reportsMultipleRecords() {
        let result = STSRecord.discover(txtRecords: [["v=STSv1; id=a"], ["v=STSv1; id=b"], ["v=STSv1;id=c"]])
        #expect(result == .multiple(3))
        // Even two identical records are "not exactly one".
        #expect(STSRecord.discover(txtRecords: [["v=STSv1; id=a"], ["v=STSv1; id=a"]]) == .multiple(2))
    }

    @Test func reportsInvalidSingleRecord() {
        let result = STSRecord.discover(txtRecords: [["v=STSv1; id=2024-01-15"], ["v=spf1 -all"]])
        guard case .invalid(let error) = result else {
            Issue.record("expected .invalid, got \(result)")
            return
        }
        #expect(error.code == .invalidID)
        #expect(error.field == "id")
    }

    @Test(arguments: 0..<3)
    func generatedIDsRoundTrip(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) + 100)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        for _ in 0..<100 {
            let text = String((0..<random.int(in: 1...32)).map { _ in random.element(of: alphabet) })
            let record = STSRecord(id: try PolicyID(text))
            #expect(try STSRecord(parsing: record.text) == record)
            #expect(STSRecord.discover(txtRecords: [[record.text]]) == .found(record))
        }
    }
}
