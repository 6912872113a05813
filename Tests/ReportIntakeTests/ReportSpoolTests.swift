import Foundation
import ReportIntake
import Store
import Testing

@Suite struct ReportSpoolTests {
    static func entry(_ text: String = #"{"a":1}"#) -> SpoolEntry {
        SpoolEntry(
            token: "0123456789abcdef01234567",
            channel: .smtp,
            receivedAt: Date(timeIntervalSince1970: 1_790_000_000.25),
            client: "192.0.2.7",
            report: Array(text.utf8)
        )
    }

    @Test func entriesRoundTripThroughTheDiskInArrivalOrder() throws {
        let directory = NSTemporaryDirectory() + "spool-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spool = try ReportSpool(configuration: .init(directory: directory))
        let first = try spool.accept(Self.entry("1"), at: Date(timeIntervalSince1970: 100))
        let second = try spool.accept(Self.entry("2"), at: Date(timeIntervalSince1970: 200))
        #expect(spool.pending(limit: 10) == [first, second])
        #expect(try spool.read(first) == Self.entry("1"))
        #expect(spool.usage.files == 2)

        // A second process opening the same directory counts what is waiting.
        let other = try ReportSpool(configuration: .init(directory: directory))
        #expect(other.usage == spool.usage)
        try spool.remove(first)
        try spool.reject(second, reason: "broken")
        #expect(spool.pending(limit: 10).isEmpty)
        #expect(spool.usage.files == 0)
        #expect(FileManager.default.fileExists(atPath: directory + "/rejected/" + second))
        let reason = FileManager.default.contents(atPath: directory + "/rejected/" + second + ".reason")
        #expect(reason.map { String(decoding: $0, as: UTF8.self) } == "broken\n")
    }

    @Test func aFullSpoolRefusesUntilItDrains() throws {
        let directory = NSTemporaryDirectory() + "spool-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spool = try ReportSpool(configuration: .init(directory: directory, maximumFiles: 2))
        let first = try spool.accept(Self.entry())
        _ = try spool.accept(Self.entry())
        #expect(throws: SpoolError.full) { try spool.accept(Self.entry()) }
        try spool.remove(first)
        _ = try spool.accept(Self.entry())
    }

    @Test func aCorruptFileIsReportedAsSuch() throws {
        #expect(throws: SpoolError.corrupt) { try SpoolEntry(decoding: Array("no header".utf8)) }
        #expect(throws: SpoolError.corrupt) { try SpoolEntry(decoding: Array("{\"token\":1}\n{}".utf8)) }
    }
}
