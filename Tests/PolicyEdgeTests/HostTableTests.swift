import PolicyEdge
import Testing

@Suite struct HostTableTests {
    @Test func hostsAreFoundCountedIteratedAndComparedAcrossShards() {
        let hosts = (0..<2_000).map { "mta-sts.d\($0).example" }
        var dictionary: [String: HostTable.Entry] = [:]
        for (index, host) in hosts.enumerated() {
            dictionary[host] = HostTable.Entry(challenges: ["token": "answer-\(index)"])
        }
        var table = HostTable(dictionary)
        #expect(table.count == 2_000 && !table.isEmpty)
        #expect(table["mta-sts.d1234.example"]?.challenges["token"] == "answer-1234")
        #expect(table["mta-sts.unknown.example"] == nil)
        #expect(Set(table.map(\.key)) == Set(hosts), "iteration visits every host once")
        #expect(table.dictionary == dictionary)
        #expect(table == HostTable(dictionary))

        let before = table
        table["mta-sts.d7.example"] = nil
        table["mta-sts.new.example", default: HostTable.Entry()].challenges["t"] = "a"
        #expect(table.count == 2_000)
        #expect(table != before && before.count == 2_000 && before["mta-sts.d7.example"] != nil, "a copy is a value")
        #expect(table["mta-sts.new.example"]?.challenges == ["t": "a"])
        #expect(HostTable().isEmpty && HostTable().count == 0)
    }
}
