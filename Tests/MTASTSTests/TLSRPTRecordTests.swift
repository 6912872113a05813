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

@Suite struct TLSRPTRecordTests {
    @Test func rendersWithoutSpacesAroundCommas() throws {
        let record = try TLSRPTRecord(rua: ["mailto:tlsrpt@example.com", "https://reporting.example.net/v1/tlsrpt"])
        #expect(record.text == "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://reporting.example.net/v1/tlsrpt")
        #expect(try TLSRPTRecord(parsing: record.text) == record)
    }

    @Test(arguments: [
        // RFC 8460 §3 examples.
        ("v=TLSRPTv1; rua=mailto:reports@example.com", ["mailto:reports@example.com"]),
        ("v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt", ["https://reporting.example.com/v1/tlsrpt"]),
        (
            "v=TLSRPTv1;rua=mailto:a@example.com , https://r.example.net/x;",
            ["mailto:a@example.com", "https://r.example.net/x"]
        ),
        ("v=TLSRPTv1 ; rua=mailto:a@example.com ; ext=1", ["mailto:a@example.com"]),
        ("v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com", ["mailto:a@example.com"]),
        ("v=TLSRPTv1; rua=MAILTO:A@Example.COM", ["MAILTO:A@Example.COM"]),
        (
            "v=TLSRPTv1; rua=mailto:tls%2Creports@example.com?subject=TLS%3B%21",
            ["mailto:tls%2Creports@example.com?subject=TLS%3B%21"]
        ),
        (
            "v=TLSRPTv1; rua=https://user@r.example.net:8443/path?q=1#frag",
            ["https://user@r.example.net:8443/path?q=1#frag"]
        ),
        ("v=TLSRPTv1; rua=https://r.example.net", ["https://r.example.net"]),
    ])
    func parsesValidRecords(text: String, rua: [String]) throws {
        let record = try TLSRPTRecord(parsing: text)
        #expect(record.rua == rua)
        #expect(try TLSRPTRecord(rua: rua) == TLSRPTRecord(parsing: record.text))
    }

    @Test func keepsExtensions() throws {
        let record = try TLSRPTRecord(parsing: "v=TLSRPTv1; x-y=1; rua=mailto:a@example.com; x-y=2")
        #expect(record.extensions == [RecordExtension(name: "x-y", value: "1")])
        #expect(record.text == "v=TLSRPTv1; rua=mailto:a@example.com")
    }

    @Test(arguments: [
        ("", RecordError.Code.missingVersion),
        ("rua=mailto:a@example.com; v=TLSRPTv1", .missingVersion),
        ("v=tlsrptv1; rua=mailto:a@example.com", .missingVersion),
        ("v=TLSRPTv10; rua=mailto:a@example.com", .invalidVersion),
        ("v=TLSRPTv1", .missingRUA),
        ("v=TLSRPTv1;", .missingRUA),
        ("v=TLSRPTv1; ruf=mailto:a@example.com", .missingRUA),
        ("v=TLSRPTv1; rua=", .invalidRUA),
        ("v=TLSRPTv1; rua=mailto:a@example.com,", .invalidRUA),
        ("v=TLSRPTv1; rua=,mailto:a@example.com", .invalidRUA),
        ("v=TLSRPTv1; rua=mailto:a@example.com,,https://r.example.net", .invalidRUA),
        ("v=TLSRPTv1; rua=http://r.example.net/", .invalidRUA),
        ("v=TLSRPTv1; rua=ftp://r.example.net/", .invalidRUA),
        ("v=TLSRPTv1; rua=a@example.com", .invalidRUA),
        ("v=TLSRPTv1; rua=mailto:a!b@example.com", .invalidRUA),
        ("v=TLSRPTv1; rua=mailto:example.com", .invalidRUA),
        ("v=TLSRPTv1; rua=mailto:@example.com", .invalidRUA),
        ("v=TLSRPTv1; rua=mailto:a@", .invalidRUA),
        ("v=TLSRPTv1; rua=mailto:a@localhost", .invalidRUA),
        ("v=TLSRPTv1; rua=mailto:a@[192.0.2.1]", .invalidRUA),
        ("v=TLSRPTv1; rua=mailto:a%2@example.com", .invalidRUA),
        ("v=TLSRPTv1; rua=mailto:a%zz@example.com", .invalidRUA),
        ("v=TLSRPTv1; rua=https:/r.example.net/x", .invalidRUA),
        ("v=TLSRPTv1; rua=https:///x", .invalidRUA),
        ("v=TLSRPTv1; rua=https://r.example.net:port/x", .invalidRUA),
        ("v=TLSRPTv1; rua=https://192.0.2.1/x", .invalidRUA),
        ("v=TLSRPTv1; rua=https://r.example.net/a<b", .invalidRUA),
        ("v=TLSRPTv1; rua=https://r.example.net/a b", .invalidRUA),
        ("v=TLSRPTv1; rua=mailto:a@example.com; ext=a=b", .invalidExtension),
        ("v=TLSRPTv1; rua=mailto:ä@example.com", .invalidCharacter),
    ])
    func rejectsInvalidRecords(text: String, code: RecordError.Code) {
        let error = recordError { () throws(RecordError) in _ = try TLSRPTRecord(parsing: text) }
        #expect(error?.code == code)
    }

    @Test(arguments: [
        [String](), ["mailto:a,b@example.com"], ["mailto:a;b@example.com"], ["https://r.example.net/!"],
        ["mailto:a@example.com", "https://"], [""],
    ])
    func initialiserValidates(rua: [String]) {
        let error = recordError { () throws(RecordError) in _ = try TLSRPTRecord(rua: rua) }
        #expect(error?.code == (rua.isEmpty ? .missingRUA : .invalidRUA))
        #expect(error?.field == "rua")
    }

    @Test func unencodedDelimitersAreNamedInMessage() {
        let error = recordError { () throws(RecordError) in _ = try TLSRPTRecord(rua: ["mailto:a,b@example.com"]) }
        #expect(error?.message.contains("\",\" must be percent-encoded") == true)
    }

    // MARK: - Discovery (RFC 8460 §3)

    @Test func discoversExactlyOne() throws {
        let expected = try TLSRPTRecord(rua: ["mailto:a@example.com"])
        #expect(TLSRPTRecord.discover(txtRecords: [["v=TLSRPTv1; rua=mailto:a@example.com"]]) == .found(expected))
        #expect(
            TLSRPTRecord.discover(txtRecords: [["v=TLSRPTv1;", " rua=mailto:", "a@example.com"], ["v=spf1"]])
                == .found(expected)
        )
    }

    @Test func discoveryOutcomes() {
        #expect(TLSRPTRecord.discover(txtRecords: []) == .none)
        #expect(TLSRPTRecord.discover(txtRecords: [["v=TLSRPTv1 ; rua=mailto:a@example.com"]]) == .none)
        #expect(TLSRPTRecord.discover(txtRecords: [["v=STSv1; id=1"]]) == .none)
        #expect(
            TLSRPTRecord.discover(txtRecords: [
                ["v=TLSRPTv1; rua=mailto:a@example.com"], ["v=TLSRPTv1; rua=mailto:b@example.com"],
            ]) == .multiple(2)
        )
        #expect(
            TLSRPTRecord.discover(txtRecords: [["v=TLSRPTv1; rua=http://insecure.example.com/"]])
                == .invalid(RecordError(.invalidRUA, message: ""))
        )
    }
}
