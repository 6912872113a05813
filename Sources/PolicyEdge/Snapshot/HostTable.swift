/// The snapshot's hosts, split into 256 dictionaries by a hash of the name, so that applying one change copies
/// one shard rather than all of them: a snapshot is a value the holder shares with every reader, and a million
/// hosts in one dictionary meant copying all million entries for each change applied.
///
/// ```swift
/// var table = HostTable(["mta-sts.example.com": entry])
/// table["mta-sts.example.com"]?.policy
/// for (host, entry) in table { … }
/// ```
package struct HostTable: Sendable, Equatable, Sequence {
    package typealias Entry = EdgeSnapshot.HostEntry

    private static let shardCount = 256
    private var shards: [[String: Entry]]

    /// A table holding `hosts`.
    package init(_ hosts: [String: Entry] = [:]) {
        shards = Array(repeating: [:], count: Self.shardCount)
        for shard in shards.indices {
            shards[shard].reserveCapacity(hosts.count / Self.shardCount)
        }
        for (host, entry) in hosts { self[host] = entry }
    }

    /// FNV-1a of the name's bytes, folded to a shard: cheaper than a second `Hasher` pass per lookup.
    private static func shard(of host: String) -> Int {
        var host = host
        var hash: UInt32 = 2_166_136_261
        host.withUTF8 { utf8 in
            for byte in utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        }
        return Int(hash % UInt32(shardCount))
    }

    package subscript(host: String) -> Entry? {
        get { shards[Self.shard(of: host)][host] }
        set { shards[Self.shard(of: host)][host] = newValue }
    }

    /// The entry for `host`, or `defaultValue` to start one.
    package subscript(host: String, default defaultValue: @autoclosure () -> Entry) -> Entry {
        get { shards[Self.shard(of: host)][host, default: defaultValue()] }
        set { shards[Self.shard(of: host)][host] = newValue }
    }

    /// The number of hosts.
    package var count: Int { shards.reduce(0) { $0 + $1.count } }

    /// Whether there are none.
    package var isEmpty: Bool { shards.allSatisfy(\.isEmpty) }

    /// Every host and its entry, as one dictionary (tests, and callers that build another snapshot from it).
    package var dictionary: [String: Entry] {
        var all: [String: Entry] = [:]
        all.reserveCapacity(count)
        for shard in shards { all.merge(shard) { first, _ in first } }
        return all
    }

    package func makeIterator() -> FlattenSequence<[[String: Entry]]>.Iterator {
        shards.joined().makeIterator()
    }
}
