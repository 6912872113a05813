import Database
package import Foundation
import MTASTS

/// A slice of the Policy Host key space in byte order: the hosts after `after`, up to and including `through`
/// (nil: every host after `after`). A follower's reconcile reads served hosts one slice at a time.
///
/// ```swift
/// let first = HostRange(after: "", through: "mta-sts.m.test")
/// first.contains("mta-sts.b.test")   // true
/// ```
package struct HostRange: Sendable, Hashable {
    /// The slice starts after this host ("" for the first slice).
    package var after: String
    /// The slice's last host; nil when it runs to the end of the key space.
    package var through: String?

    package init(after: String, through: String?) {
        self.after = after
        self.through = through
    }

    /// Whether `host` is in the slice.
    package func contains(_ host: String) -> Bool {
        guard Self.precedes(after, host) else { return false }
        guard let through else { return true }
        return !Self.precedes(through, host)
    }

    /// The positions of the slice's hosts in `sorted`, hosts in byte order.
    package func indices(in sorted: [String]) -> Range<Int> {
        let start = Self.firstIndex(after: after, in: sorted)
        let end = through.map { Self.firstIndex(after: $0, in: sorted) } ?? sorted.endIndex
        return start..<max(start, end)
    }

    /// The position of the first of `sorted` that sorts after `host` (a binary search).
    private static func firstIndex(after host: String, in sorted: [String]) -> Int {
        var low = sorted.startIndex
        var high = sorted.endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if precedes(host, sorted[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Byte order of the names' UTF-8, which is PostgreSQL's `COLLATE "C"` whatever the database's collation.
    /// One `memcmp`: a reconcile sorts every host served with it (a million took over a second compared
    /// through `utf8` views).
    package static func precedes(_ left: String, _ right: String) -> Bool {
        var left = left
        var right = right
        return left.withUTF8 { left in
            right.withUTF8 { right in
                let common = min(left.count, right.count)
                guard common > 0, let leftBytes = left.baseAddress, let rightBytes = right.baseAddress else {
                    return left.count < right.count
                }
                let order = memcmp(leftBytes, rightBytes, common)
                return order != 0 ? order < 0 : left.count < right.count
            }
        }
    }

    /// The range of the next `limit` served domains after `after`, in one database snapshot with the reads that
    /// follow on `connection`: `through` is the last of them, or nil when fewer than `limit` remain.
    static func next(after: String, limit: Int, on connection: PostgresConnection, at now: Date) throws -> HostRange {
        let afterName = DomainName.policyDomainName(ofPolicyHost: after) ?? ""
        let limit = max(1, limit)
        let row = try AccountRepository.single(
            try connection.query(
                """
                SELECT count(*)::int8, max(s.name COLLATE "C") FROM (
                    SELECT d.name FROM served_domains(\(now)) d
                    WHERE d.name COLLATE "C" > \(afterName)
                    ORDER BY d.name COLLATE "C" LIMIT \(limit)
                ) s
                """
            )
        )
        let (count, last) = try row.decode((Int64, String?).self)
        guard count >= limit, let last else { return HostRange(after: after, through: nil) }
        return HostRange(after: after, through: DomainName.policyHostPrefix + last)
    }
}
