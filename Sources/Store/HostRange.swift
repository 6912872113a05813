import Database
package import Foundation
import MTASTS

/// A slice of the Policy Host key space in byte order: the hosts after `after`, up to and including `through`
/// (nil: every host after `after`). A follower's reconcile reads served hosts one slice at a time.
///
/// ```swift
/// let first = HostRange(after: "", through: "mta-sts.m.test")   // "mta-sts.b.test" is in it, "mta-sts.n.test" not
/// HostRange.precedes("mta-sts.b-c.test", "mta-sts.ba.test")   // true: "-" is 0x2d, "a" 0x61
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

    /// Byte order of the names' UTF-8, which is PostgreSQL's `COLLATE "C"` whatever the database's collation.
    package static func precedes(_ left: String, _ right: String) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
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
