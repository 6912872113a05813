package import Crypto
package import Foundation

/// One stored secret that needs an operator's attention.
package struct SecretFinding: Sendable, Hashable {
    /// What the secret is.
    package var kind: SecretKind
    /// The row's primary key.
    package var rowID: UUID
    /// The row, as an operator recognises it (``SecretOwner/label``).
    package var owner: SecretOwner
    /// The id of the master key that sealed it.
    package var keyID: String
    /// Why it needs attention.
    package var condition: SecretCondition
}

/// Every stored secret by kind and by what a keyring can do with it: what `mtasts admin doctor` reports.
///
/// ```swift
/// let inventory = try SecretInventory.take(from: store.secrets, keyring: keyring)
/// if !inventory.isHealthy { report(inventory.findings.map(\.owner.label)) }
/// ```
package struct SecretInventory: Sendable {
    /// How many secrets of each kind are in each condition.
    package private(set) var counts: [SecretKind: [SecretCondition: Int]] = [:]
    /// Each secret of a used kind (``SecretKind/isLive``) that is readable only with a previous key or not
    /// at all, in reading order. Unbound secrets and retired certificate keys are only counted.
    package private(set) var findings: [SecretFinding] = []

    /// Reads every stored secret, `batchSize` rows at a time, and decrypts each with `keyring` to classify it.
    /// - Throws: store errors.
    package static func take(
        from repository: SecretRepository,
        keyring: Keyring,
        batchSize: Int = 500
    ) throws -> SecretInventory {
        var inventory = SecretInventory()
        for kind in SecretKind.allCases {
            inventory.counts[kind] = [:]
            try repository.forEach(of: kind, batchSize: batchSize) { secret in
                let condition = secret.sealed.condition(under: keyring)
                inventory.counts[kind, default: [:]][condition, default: 0] += 1
                if kind.isLive, condition == .previousKey || !condition.isReadable {
                    inventory.findings.append(
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
        return inventory
    }

    /// How many secrets of `kind` are in `condition`.
    package func count(_ kind: SecretKind, _ condition: SecretCondition) -> Int {
        counts[kind]?[condition] ?? 0
    }

    /// Whether every used secret is readable with the current key (bound to its row or not yet).
    package var isHealthy: Bool { findings.isEmpty }
}
