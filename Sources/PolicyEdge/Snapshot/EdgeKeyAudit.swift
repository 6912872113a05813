package import Crypto
import Foundation
package import Logging
import SnapshotSync
package import Store
import Synchronization

/// Checks that this edge can decrypt the private key of every certificate in the snapshots it serves, and
/// reports each one it cannot.
///
/// A key sealed with a master key the edge does not hold (lost, or not configured here), or one that fails
/// authentication (altered, or copied from another row), leaves its host without TLS on this edge: the
/// handshake ends with `unrecognized_name`. Each such certificate is logged once at error level, naming the
/// host and the key id, when a snapshot first holds it (not per handshake), and ``unreadableCounts`` feeds the
/// `mtasts_edge_certificate_keys_unreadable` gauge. Only certificates that are new or changed since the
/// previous snapshot are decrypted again, so following the change log stays cheap.
///
/// ```swift
/// let audit = EdgeKeyAudit(keyring: keyring, logger: logger)
/// let worker = LatestValueWorker<EdgeSnapshot>(label: "key-audit", work: audit.inspect)
/// let holder = EdgeSnapshotHolder(didReplace: worker.submit)
/// ```
package final class EdgeKeyAudit: Sendable {
    /// What was found for one host's certificate, and which sealed key that was.
    private struct Verdict: Sendable {
        let certificateID: UUID
        let keyID: String
        let sealedKey: PackedBytes
        let keyBinding: SecretBinding
        /// Why the key cannot be decrypted; nil when it can.
        let problem: SecretCondition?

        /// Whether `certificate` holds the key this verdict is about (what decryption depends on; the chain is
        /// not compared, which keeps a full reload of many hosts cheap).
        func concerns(_ certificate: EdgeSnapshot.Certificate) -> Bool {
            certificateID == certificate.id && keyBinding == certificate.keyBinding
                && keyID == certificate.keyID && sealedKey == certificate.sealedKeyBytes
        }
    }

    private let keyring: Keyring
    private let logger: Logger
    private let verdicts = Mutex<[String: Verdict]>([:])

    /// - Parameters:
    ///   - keyring: the master keys this edge decrypts with (the same as its certificate resolver's).
    ///   - logger: receives one error line per unreadable certificate.
    package init(keyring: Keyring, logger: Logger) {
        self.keyring = keyring
        self.logger = logger
    }

    /// Checks the certificates of `snapshot` that the previous snapshot did not hold in the same form, and
    /// forgets hosts that no longer have one. Called by one thread at a time (the edge runs it on a
    /// ``LatestValueWorker``, beside serving).
    package func inspect(_ snapshot: EdgeSnapshot) {
        let previous = verdicts.withLock { $0 }
        var next: [String: Verdict] = [:]
        next.reserveCapacity(snapshot.certificateCount)
        for (host, entry) in snapshot.hosts {
            guard let certificate = entry.certificate else { continue }
            if let known = previous[host], known.concerns(certificate) {
                next[host] = known
                continue
            }
            let sealed = certificate.sealedKey(host: host)
            let condition = sealed?.condition(under: keyring) ?? .authenticationFailed
            let problem = condition.isReadable ? nil : condition
            if let problem {
                logger.error(
                    "cannot decrypt the certificate key; this edge serves no TLS for the host",
                    [
                        "host": host, "key_id": sealed?.value.keyID ?? "-", "reason": problem.rawValue,
                        "certificate_id": certificate.id.uuidString.lowercased(),
                    ]
                )
            }
            next[host] = Verdict(
                certificateID: certificate.id,
                keyID: certificate.keyID,
                sealedKey: certificate.sealedKeyBytes,
                keyBinding: certificate.keyBinding,
                problem: problem
            )
        }
        verdicts.withLock { $0 = next }
    }

    /// Certificates in the latest snapshot whose key this edge cannot decrypt, by reason (`unknownKey`,
    /// `authenticationFailed`; both present, zero when none).
    package var unreadableCounts: [SecretCondition: Int] {
        var counts: [SecretCondition: Int] = [.unknownKey: 0, .authenticationFailed: 0]
        verdicts.withLock { verdicts in
            for verdict in verdicts.values {
                if let problem = verdict.problem { counts[problem, default: 0] += 1 }
            }
        }
        return counts
    }
}
