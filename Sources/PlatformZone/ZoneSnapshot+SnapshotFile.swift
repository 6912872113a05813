import Foundation
package import SnapshotSync
import Store

// MARK: - The snapshot file (SnapshotFileFormat records; the label index is rebuilt, not stored)

extension ZoneSnapshot: SnapshotFileCodable {
    package static let snapshotFileKind = "zone"

    /// A header record (sequence, build time, host count), then one record per host: the host, the label,
    /// the current policy (id, change row), whether a previous one follows and it, whether a TLS-RPT record
    /// follows and it.
    package func encode(to file: SnapshotFileEncoder) throws {
        try file.encodeSnapshotRecord(sequence: sequence, builtAt: builtAt, hostCount: hosts.count)
        for (host, entry) in hosts {
            try file.encodeRecord { record in
                record.append(host)
                record.append(entry.label)
                record.append(entry.current.policyID)
                record.append(entry.current.seq)
                record.append(entry.previous != nil)
                if let previous = entry.previous {
                    record.append(previous.policyID)
                    record.append(previous.seq)
                }
                record.append(entry.tlsrptRecord != nil)
                if let tlsrptRecord = entry.tlsrptRecord { record.append(tlsrptRecord) }
            }
        }
    }

    package init(from file: SnapshotFileDecoder) throws {
        let (sequence, builtAt, count) = try file.decodeSnapshotRecord()
        var hosts: [String: Entry] = [:]
        // A corrupt count fails on the records; it must not reserve unbounded memory first.
        hosts.reserveCapacity(Int(min(count, 10_000_000)))
        for _ in 0..<count {
            let (host, entry) = try file.decodeRecord { record in
                let host = try record.readString()
                let label = try record.readString()
                let current = ZoneRow.AnnouncedPolicy(policyID: try record.readString(), seq: try record.read())
                let previous =
                    try record.readBool()
                    ? ZoneRow.AnnouncedPolicy(policyID: try record.readString(), seq: try record.read()) : nil
                let tlsrptRecord = try record.readBool() ? try record.readString() : nil
                return (host, Entry(label: label, current: current, previous: previous, tlsrptRecord: tlsrptRecord))
            }
            hosts[host] = entry
        }
        self.init(hosts: hosts, sequence: sequence, builtAt: builtAt)
    }
}

extension ZoneSnapshot.Entry {
    /// An entry read back from the snapshot file, its TLS-RPT record already built.
    fileprivate init(
        label: String,
        current: ZoneRow.AnnouncedPolicy,
        previous: ZoneRow.AnnouncedPolicy?,
        tlsrptRecord: String?
    ) {
        self.label = label
        self.current = current
        self.previous = previous
        self.tlsrptRecord = tlsrptRecord
    }
}
