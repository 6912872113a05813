package import Crypto
import Foundation

/// `mtasts admin rotate-key`: re-seals every stored secret with the keyring's current key, bound to its row.
///
/// Each secret is written in a short transaction of its own, compare-and-swap on the ciphertext that was read
/// (``SecretRepository/replace(_:with:)``), so a worker storing a renewal or replacing the ACME account at the
/// same time is never overwritten. Idempotent: secrets already sealed with the current key and bound are left
/// alone, so running it again finishes what an interrupted run left.
///
/// ```swift
/// let report = try SecretRotation.run(repository: store.secrets, keyring: keyring)
/// ```
package enum SecretRotation {
    /// What happened to the secrets of one kind.
    package struct Counts: Sendable, Hashable {
        /// Re-sealed with the current key and bound to their rows.
        package var resealed = 0
        /// Already sealed with the current key and bound: left alone.
        package var alreadyCurrent = 0
        /// Changed by someone else between reading and writing: left as they now are (run again to check).
        package var changedMeanwhile = 0
        /// Not readable with any key of the keyring: left alone.
        package var unreadable = 0

        /// Nothing counted yet.
        package init() {}
    }

    /// The outcome of a run.
    package struct Report: Sendable {
        /// Counts by kind.
        package var counts: [SecretKind: Counts] = [:]
        /// Each used secret (``SecretKind/isLive``) that could not be read, in reading order.
        package var unreadable: [SecretFinding] = []
    }

    /// Re-seals every readable secret that is not yet sealed with the current key and bound to its row.
    /// - Throws: store errors; a run that stops half-way is finished by running it again.
    package static func run(
        repository: SecretRepository,
        keyring: Keyring,
        batchSize: Int = 500
    ) throws -> Report {
        var report = Report()
        for kind in SecretKind.allCases {
            var counts = Counts()
            try repository.forEach(of: kind, batchSize: batchSize) { secret in
                let condition = secret.sealed.condition(under: keyring)
                switch condition {
                case .current:
                    counts.alreadyCurrent += 1
                case .unbound, .previousKey:
                    if try repository.replace(secret, with: try secret.sealed.resealed(with: keyring)) {
                        counts.resealed += 1
                    } else {
                        counts.changedMeanwhile += 1
                    }
                case .unknownKey, .authenticationFailed:
                    counts.unreadable += 1
                    if kind.isLive {
                        report.unreadable.append(
                            SecretFinding(
                                kind: kind,
                                rowID: secret.rowID,
                                owner: secret.sealed.owner,
                                keyID: secret.sealed.value.keyID,
                                condition: condition
                            )
                        )
                    }
                }
            }
            report.counts[kind] = counts
        }
        return report
    }
}
