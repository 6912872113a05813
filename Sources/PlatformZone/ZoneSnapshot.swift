package import Foundation
package import SnapshotSync
package import Store
package import TLSReporting

/// What the platform's DNS zone answers from: every served domain's label, its current and previous policy
/// ids with the change rows that published them, and its TLS-RPT record, in memory.
///
/// Keyed by Policy Host (the change log's key) with a second index by label (the query's key). Immutable;
/// the `dns` role swaps whole snapshots, and never touches PostgreSQL on the query path.
package struct ZoneSnapshot: FollowedSnapshot, Equatable {
    /// One served domain.
    package struct Entry: Sendable, Equatable {
        package var label: String
        package var current: ZoneRow.AnnouncedPolicy
        package var previous: ZoneRow.AnnouncedPolicy?
        /// `v=TLSRPTv1; rua=…` with the platform's addresses and the tenant's, or nil when there are none.
        package var tlsrptRecord: String?

        /// - Parameter reporting: the platform's reporting addresses, listed before the tenant's.
        package init(_ row: ZoneRow, reporting: ReportingAddresses = ReportingAddresses()) {
            label = row.label
            current = row.current
            previous = row.previous
            tlsrptRecord = reporting.record(
                token: row.reportToken.isEmpty ? nil : row.reportToken,
                tenant: row.tlsrptRUA
            )
        }

        /// The id to announce when every live edge has applied the change log up to `minimumApplied` (nil: no
        /// live edge to wait for): the current id once its change row is applied, else the previous one if
        /// that is, else none (RFC 8461 §8.1: never an id before its policy is served).
        package func announcedPolicyID(minimumApplied: Int64?) -> String? {
            guard let minimumApplied else { return current.policyID }
            if current.seq <= minimumApplied { return current.policyID }
            if let previous, previous.seq <= minimumApplied { return previous.policyID }
            return nil
        }
    }

    /// Reloaded entries by Policy Host.
    package typealias Entries = [String: Entry]

    package private(set) var hosts: [String: Entry]
    /// Label → Policy Host.
    package private(set) var labels: [String: String]
    package private(set) var sequence: Int64
    package private(set) var builtAt: Date

    package init() {
        self.init(hosts: [:])
    }

    package init(hosts: [String: Entry], sequence: Int64 = 0, builtAt: Date = Date()) {
        self.hosts = hosts
        self.labels = Self.index(hosts)
        self.sequence = sequence
        self.builtAt = builtAt
    }

    /// The entry whose label is `label` (lower case).
    package func entry(label: String) -> Entry? {
        labels[label].flatMap { hosts[$0] }
    }

    package var hostCount: Int { hosts.count }

    package func hasSameContent(as other: ZoneSnapshot) -> Bool { hosts == other.hosts }

    package static func hosts(of entries: Entries) -> [String] { Array(entries.keys) }

    package func hostsDiffering(from entries: Entries) -> Set<String> {
        Set(entries.lazy.filter { host, entry in hosts[host] != entry }.map(\.key))
    }

    package func hosts(missingFrom seen: Set<String>) -> [String] {
        hosts.keys.filter { !seen.contains($0) }
    }

    package func updating(
        hosts changed: Set<String>,
        parts: ServedParts,
        with entries: Entries,
        sequence: Int64,
        builtAt: Date
    ) -> ZoneSnapshot {
        var copy = self
        for host in changed {
            if let old = copy.hosts[host] { copy.labels[old.label] = nil }
            copy.hosts[host] = entries[host]
            if let new = entries[host] { copy.labels[new.label] = host }
        }
        copy.sequence = max(self.sequence, sequence)
        copy.builtAt = builtAt
        return copy
    }

    private static func index(_ hosts: [String: Entry]) -> [String: String] {
        var labels: [String: String] = [:]
        labels.reserveCapacity(hosts.count)
        for (host, entry) in hosts { labels[entry.label] = host }
        return labels
    }
}

/// The `dns` role's snapshot holder.
package typealias ZoneSnapshotHolder = SnapshotHolder<ZoneSnapshot>
