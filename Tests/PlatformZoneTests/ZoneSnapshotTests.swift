import Foundation
import PlatformZone
import SnapshotSync
import Store
import TLSReporting
import Testing

@Suite struct ZoneSnapshotTests {
    private func row(
        _ host: String,
        label: String,
        current: (String, Int64),
        previous: (String, Int64)? = nil,
        rua: [String] = []
    ) -> ZoneRow {
        ZoneRow(
            host: host,
            label: label,
            current: .init(policyID: current.0, seq: current.1),
            previous: previous.map { .init(policyID: $0.0, seq: $0.1) },
            tlsrptRUA: rua
        )
    }

    @Test func anIdIsAnnouncedOnlyOnceEveryLiveEdgeHasAppliedItsChangeRow() {
        let entry = ZoneSnapshot.Entry(
            row("mta-sts.a.test", label: "aaaa", current: ("new", 20), previous: ("old", 10))
        )
        #expect(entry.announcedPolicyID(minimumApplied: 25) == "new")
        #expect(entry.announcedPolicyID(minimumApplied: 20) == "new")
        #expect(entry.announcedPolicyID(minimumApplied: 19) == "old")
        #expect(entry.announcedPolicyID(minimumApplied: 9) == nil)
        // No live edge to wait for: the current id.
        #expect(entry.announcedPolicyID(minimumApplied: nil) == "new")
        let first = ZoneSnapshot.Entry(row("mta-sts.b.test", label: "bbbb", current: ("first", 30)))
        #expect(first.announcedPolicyID(minimumApplied: 29) == nil)
    }

    @Test func theTLSRPTRecordIsMadeFromTheAddresses() {
        #expect(ZoneSnapshot.Entry(row("mta-sts.a.test", label: "a", current: ("x", 1))).tlsrptRecord == nil)
        let entry = ZoneSnapshot.Entry(
            row("mta-sts.a.test", label: "a", current: ("x", 1), rua: ["mailto:r@a.test", "https://r.a.test/x"])
        )
        #expect(entry.tlsrptRecord == "v=TLSRPTv1; rua=mailto:r@a.test,https://r.a.test/x")
    }

    /// With the platform taking reports, its addresses come first and a tenant's copy of one is not repeated.
    @Test func thePlatformsReportingAddressesLeadTheRecord() {
        var withToken = row(
            "mta-sts.a.test",
            label: "a",
            current: ("x", 1),
            rua: ["MAILTO:0123456789abcdef01234567@reports.p.test", "mailto:r@a.test"]
        )
        withToken.reportToken = "0123456789abcdef01234567"
        let reporting = ReportingAddresses(httpsHost: "reports.p.test", mailDomain: "reports.p.test")
        #expect(
            ZoneSnapshot.Entry(withToken, reporting: reporting).tlsrptRecord
                == "v=TLSRPTv1; rua=https://reports.p.test/v1/tlsrpt/0123456789abcdef01234567,"
                + "mailto:0123456789abcdef01234567@reports.p.test,mailto:r@a.test"
        )
        withToken.tlsrptRUA = []
        #expect(
            ZoneSnapshot.Entry(withToken, reporting: ReportingAddresses(mailDomain: "reports.p.test")).tlsrptRecord
                == "v=TLSRPTv1; rua=mailto:0123456789abcdef01234567@reports.p.test"
        )
    }

    @Test func updatesKeepTheLabelIndexInStepAndTheFileRoundTrips() throws {
        let a = ZoneSnapshot.Entry(row("mta-sts.a.test", label: "aaaa", current: ("1", 1)))
        let b = ZoneSnapshot.Entry(row("mta-sts.b.test", label: "bbbb", current: ("2", 2)))
        var snapshot = ZoneSnapshot(hosts: ["mta-sts.a.test": a, "mta-sts.b.test": b], sequence: 2)
        #expect(snapshot.entry(label: "bbbb") == b)
        // b goes away, a gets a new policy.
        let newA = ZoneSnapshot.Entry(row("mta-sts.a.test", label: "aaaa", current: ("3", 3), previous: ("1", 1)))
        snapshot = snapshot.updating(
            hosts: ["mta-sts.a.test", "mta-sts.b.test"],
            parts: .policy,
            with: ["mta-sts.a.test": newA],
            sequence: 3,
            builtAt: Date()
        )
        #expect(snapshot.entry(label: "bbbb") == nil && snapshot.entry(label: "aaaa") == newA)
        #expect(snapshot.sequence == 3 && snapshot.hostCount == 1)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zone-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = SnapshotFile<ZoneSnapshot>(path: directory.appendingPathComponent("zone.json").path)
        try file.write(snapshot)
        let read = try #require(try file.read())
        #expect(read.hasSameContent(as: snapshot) && read.entry(label: "aaaa") == newA && read.sequence == 3)
    }

    @Test func everyFieldRoundTripsThroughTheFileAndADamagedFileIsRefused() throws {
        var withToken = row(
            "mta-sts.c.test",
            label: "cccc",
            current: ("5", 5),
            previous: ("4", 4),
            rua: ["mailto:r@c.test"]
        )
        withToken.reportToken = "0123456789abcdef01234567"
        let saved = ZoneSnapshot(
            hosts: [
                "mta-sts.a.test": ZoneSnapshot.Entry(row("mta-sts.a.test", label: "aaaa", current: ("1", 1))),
                "mta-sts.b.test": ZoneSnapshot.Entry(
                    row("mta-sts.b.test", label: "bbbb", current: ("3", 3), previous: ("2", 0))
                ),
                "mta-sts.c.test": ZoneSnapshot.Entry(withToken, reporting: ReportingAddresses(mailDomain: "r.p.test")),
            ],
            sequence: 5,
            builtAt: Date(timeIntervalSince1970: 1_790_000_000.5)
        )
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zone-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = SnapshotFile<ZoneSnapshot>(path: directory.appendingPathComponent("zone-snapshot").path)
        try file.write(saved)
        let read = try #require(try file.read())
        #expect(read == saved)
        #expect(read.entry(label: "cccc")?.tlsrptRecord?.hasPrefix("v=TLSRPTv1; rua=mailto:") == true)

        let bytes = try #require(FileManager.default.contents(atPath: file.path))
        let url = URL(fileURLWithPath: file.path)
        try bytes.dropLast().write(to: url)
        #expect(throws: SnapshotFileError.truncated) { try file.read() }
        var corrupted = bytes
        corrupted[bytes.count / 2] ^= 0x20
        try corrupted.write(to: url)
        #expect(throws: SnapshotFileError.self) { try file.read() }
        try Data(#"{"hosts":{},"sequence":5,"builtAt":1}"#.utf8).write(to: url)
        #expect(throws: SnapshotFileError.notASnapshot) { try file.read() }
    }
}
