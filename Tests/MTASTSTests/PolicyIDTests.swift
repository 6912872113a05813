import Foundation
import TestSupport
import Testing

@testable import MTASTS

@Suite struct PolicyIDTests {
    @Test(arguments: [
        "1", "a", "Z", "20160831085700Z", "20261125T093000", String(repeating: "a", count: 32),
        String(repeating: "9", count: 32), "AbC123xYz",
    ])
    func acceptsValidIDs(text: String) throws {
        #expect(try PolicyID(text).string == text)
        #expect(try PolicyID(text).description == text)
    }

    @Test(arguments: [
        "", String(repeating: "a", count: 33), "2024-01-15", "abc_def", "abc.def", "a:b", "a+b/c=", "id with space",
        "ünïcode", "abc\n", " abc",
    ])
    func rejectsInvalidIDs(text: String) {
        let error = policyError { () throws(PolicyError) in _ = try PolicyID(text) }
        #expect(error?.code == .invalidPolicyID)
        #expect(error?.field == "id")
    }

    @Test(arguments: [
        (0.0, "19700101T000000"),
        (1_764_063_000.0, "20251125T093000"),
        (1_795_599_000.0, "20261125T093000"),
        (951_782_400.0, "20000229T000000"),
        (4_107_542_399.0, "21000228T235959"),
        (4_107_542_400.0, "21000301T000000"),
        (-1.0, "19691231T235959"),
        (-86_400.5, "19691230T235959"),
        (1_709_251_199.999, "20240229T235959"),
        (-62_167_219_200.0, "00000101T000000"),
        (-1e15, "00000101T000000"),
        (1e15, "99991231T235959"),
    ])
    func timestampIsUTC(interval: Double, expected: String) {
        let id = PolicyID.generate(at: Date(timeIntervalSince1970: interval), avoiding: [])
        #expect(id.string == expected)
        #expect(id.string.count == 15)
    }

    @Test(arguments: 0..<4)
    func timestampAgreesWithGregorianCalendar(seed: Int) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var random = SplitMix64(seed: UInt64(seed))
        for _ in 0..<250 {
            let date = Date(timeIntervalSince1970: Double(random.int(in: 0...7_258_118_400)))
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let expected =
                [
                    (parts.year, 4), (parts.month, 2), (parts.day, 2),
                ].map { pad($0.0 ?? -1, $0.1) }.joined() + "T"
                + [parts.hour, parts.minute, parts.second].map { pad($0 ?? -1, 2) }.joined()
            #expect(PolicyID.timestamp(date) == expected)
        }
    }

    @Test func addsCounterWhenTaken() throws {
        let date = Date(timeIntervalSince1970: 1_795_599_000)
        var used: Set<PolicyID> = []
        var generated: [String] = []
        for _ in 0..<12 {
            let id = PolicyID.generate(at: date, avoiding: used)
            #expect(!used.contains(id))
            used.insert(id)
            generated.append(id.string)
        }
        #expect(generated.prefix(4) == ["20261125T093000", "20261125T0930002", "20261125T0930003", "20261125T0930004"])
        #expect(generated.last == "20261125T09300012")
        #expect(try generated.allSatisfy { try PolicyID($0).string.count <= 32 })
    }

    @Test func skipsOnlyTakenCounters() throws {
        let date = Date(timeIntervalSince1970: 1_795_599_000)
        let used: Set<PolicyID> = try ["20261125T093000", "20261125T0930002", "20261125T0930004"].map {
            (text: String) throws(PolicyError) -> PolicyID in try PolicyID(text)
        }.reduce(into: []) { $0.insert($1) }
        #expect(PolicyID.generate(at: date, avoiding: used).string == "20261125T0930003")
        // Ids of other times do not matter.
        #expect(PolicyID.generate(at: date.addingTimeInterval(1), avoiding: used).string == "20261125T093001")
    }

    @Test func comparesByString() throws {
        let ids = try ["b", "A", "a", "10", "9"].map { (text: String) throws(PolicyError) -> PolicyID in
            try PolicyID(text)
        }
        #expect(ids.sorted().map(\.string) == ["10", "9", "A", "a", "b"])
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
