import Store
import TestSupport
import Testing

/// The byte order a reconcile's slices follow, which must be PostgreSQL's `COLLATE "C"`.
@Suite struct HostRangeTests {
    @Test func hostsCompareByTheirUTF8Bytes() {
        #expect(HostRange.precedes("mta-sts.b-c.test", "mta-sts.ba.test"))
        #expect(!HostRange.precedes("mta-sts.ba.test", "mta-sts.b-c.test"))
        #expect(HostRange.precedes("mta-sts.a.test", "mta-sts.a.test.x"))
        #expect(HostRange.precedes("", "mta-sts.a.test"))
        #expect(!HostRange.precedes("mta-sts.a.test", "mta-sts.a.test"))
        #expect(!HostRange.precedes("", ""))
        // Upper case sorts before lower case, and anything above ASCII after it, as bytes do.
        #expect(HostRange.precedes("Z", "a"))
        #expect(HostRange.precedes("z", "é"))
        let hosts = ["mta-sts.ba.test", "mta-sts.0.test", "mta-sts.b-c.test", "mta-sts.a.test"]
        #expect(
            hosts.sorted(by: HostRange.precedes) == [
                "mta-sts.0.test", "mta-sts.a.test", "mta-sts.b-c.test", "mta-sts.ba.test",
            ]
        )
    }

    @Test func aRangeHoldsTheHostsAfterItsStartUpToAndIncludingItsEnd() {
        let sorted = ["mta-sts.0.test", "mta-sts.a.test", "mta-sts.b-c.test", "mta-sts.ba.test", "mta-sts.z.test"]
        let first = HostRange(after: "", through: "mta-sts.a.test")
        #expect(first.contains("mta-sts.0.test") && first.contains("mta-sts.a.test"))
        #expect(!first.contains("mta-sts.a.test.x") && !first.contains(""))
        // Bounds that are not in the list themselves.
        let middle = HostRange(after: "mta-sts.aa.test", through: "mta-sts.bb.test")
        #expect(sorted.filter(middle.contains) == ["mta-sts.b-c.test", "mta-sts.ba.test"])
        let last = HostRange(after: "mta-sts.ba.test", through: nil)
        #expect(sorted.filter(last.contains) == ["mta-sts.z.test"])
        #expect(last.contains("mta-sts.zzz.test") && !last.contains("mta-sts.ba.test"))
        #expect(sorted.filter(HostRange(after: "mta-sts.z.test", through: nil).contains).isEmpty)
    }
}
