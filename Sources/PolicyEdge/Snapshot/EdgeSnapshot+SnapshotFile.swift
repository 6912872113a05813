import Foundation
package import SnapshotSync
import Store

// MARK: - The snapshot file (SnapshotFileFormat records)

extension EdgeSnapshot: SnapshotFileCodable {
    /// Bits of an entry record's flags byte.
    private enum EntryFlags {
        static let policy: UInt8 = 1
        static let certificate: UInt8 = 2
    }

    package static let snapshotFileKind = "edge"

    /// A header record (sequence, build time, host count), then one record per host: the host, a flags byte
    /// saying which parts follow, the policy (text, id), the certificate (row id, the leaf's DER, the number of
    /// intermediates and each one's DER, the sealed key's master key id and its nonce and ciphertext, still
    /// encrypted, its binding, expiry) and the challenges (count, then token and answer). Intermediates are shared
    /// again as they are read.
    package func encode(to file: SnapshotFileEncoder) throws {
        try file.encodeSnapshotRecord(sequence: sequence, builtAt: builtAt, hostCount: hosts.count)
        for (host, entry) in hosts {
            try file.encodeRecord { record in
                record.append(host)
                record.append(
                    (entry.policy == nil ? 0 : EntryFlags.policy)
                        | (entry.certificate == nil ? 0 : EntryFlags.certificate)
                )
                if let policy = entry.policy {
                    record.append(bytes: policy.body)
                    record.append(policy.policyID)
                }
                if let certificate = entry.certificate {
                    record.append(certificate.id)
                    record.append(bytes: certificate.leaf)
                    let intermediates = certificate.intermediates.certificates
                    record.append(UInt8(clamping: intermediates.count))
                    for intermediate in intermediates.prefix(Int(UInt8.max)) { record.append(bytes: intermediate) }
                    record.append(certificate.keyID)
                    record.append(bytes: certificate.sealedKeyBytes)
                    record.append(certificate.keyBinding == .row)
                    record.append(certificate.notAfter)
                }
                record.append(UInt32(entry.challenges.count))
                for (token, answer) in entry.challenges {
                    record.append(token)
                    record.append(answer)
                }
            }
        }
    }

    package init(from file: SnapshotFileDecoder) throws {
        let (sequence, builtAt, count) = try file.decodeSnapshotRecord()
        var hosts = HostTable()
        for _ in 0..<count {
            let (host, entry) = try file.decodeRecord { record in
                let host = try record.readString()
                let flags = try record.read(UInt8.self)
                var entry = HostEntry()
                if flags & EntryFlags.policy != 0 {
                    entry.policy = Policy(body: try record.readPackedBytes(), policyID: try record.readString())
                }
                if flags & EntryFlags.certificate != 0 {
                    let id = try record.readUUID()
                    let leaf = try record.readPackedBytes()
                    let intermediates = try (0..<record.read(UInt8.self)).map { _ in try record.readBytes() }
                    entry.certificate = Certificate(
                        id: id,
                        leaf: leaf,
                        intermediates: CertificateChainTail.interned(intermediates),
                        keyID: try record.readString(),
                        sealedKeyBytes: try record.readPackedBytes(),
                        keyBinding: try record.readBool() ? .row : .unbound,
                        notAfter: try record.readDate()
                    )
                }
                let challengeCount = try record.read(UInt32.self)
                for _ in 0..<challengeCount {
                    entry.challenges[try record.readString()] = try record.readString()
                }
                return (host, entry)
            }
            if !entry.isEmpty { hosts[host] = entry }
        }
        self.init(table: hosts, sequence: sequence, builtAt: builtAt)
    }
}
