package import Crypto
import Database
package import Foundation

/// The platform's own certificates (`MTASTS_API_HOSTNAME`): rows of `certificates` without a domain, with their
/// renewal time and last problem in `platform_hosts`.
package struct PlatformCertificateRepository: Sendable {
    /// The current certificate of a platform host.
    package struct Current: Sendable, Equatable {
        package var id: UUID
        package var chainPEM: String
        /// The private key's PEM, sealed with the master key and bound to its row.
        package var sealedKey: SealedSecret
        package var notAfter: Date
        package var renewAfter: Date?
    }

    let pool: PostgresPool

    /// The host's current certificate, or nil before the first issuance.
    package func current(host: String) throws -> Current? {
        try pool.withConnection { connection in
            guard
                let row = try connection.query(
                    """
                    SELECT c.id, c.chain_pem, c.key_ciphertext, c.key_nonce, c.key_id, c.key_binding, c.not_after,
                           h.renew_after
                    FROM certificates c LEFT JOIN platform_hosts h ON h.host = c.host
                    WHERE c.host = \(host) AND c.domain_id IS NULL AND c.replaced_by IS NULL
                    """
                ).first
            else { return nil }
            let (id, chain, ciphertext, nonce, keyID, binding, notAfter, renewAfter) = try row.decode(
                (UUID, String, PostgresBytes, PostgresBytes, String, SecretBinding, Date, Date?).self
            )
            return Current(
                id: id,
                chainPEM: chain,
                sealedKey: SealedSecret(
                    value: EncryptedValue(keyID: keyID, nonce: nonce.bytes, ciphertext: ciphertext.bytes),
                    owner: .certificateKey(id: id, host: host),
                    binding: binding
                ),
                notAfter: notAfter,
                renewAfter: renewAfter
            )
        }
    }

    /// Stores `leaf` as the host's current certificate, replacing the previous one, with its renewal time, in
    /// one transaction; the private key is sealed with `keyring`'s current key, bound to the new row.
    package func store(
        host: String,
        chainPEM: String,
        leaf: X509Certificate,
        privateKeyPEM: String,
        keyring: Keyring,
        renewAfter: Date,
        at now: Date
    ) throws {
        let newID = UUID()
        let sealed = try SealedSecret.seal(
            Array(privateKeyPEM.utf8),
            for: .certificateKey(id: newID, host: host),
            with: keyring
        )
        let sealedKey = sealed.value
        try pool.withTransaction { connection in
            try connection.execute(
                """
                UPDATE certificates SET replaced_by = \(newID)
                WHERE host = \(host) AND domain_id IS NULL AND replaced_by IS NULL
                """
            )
            try connection.execute(
                """
                INSERT INTO certificates (id, domain_id, host, chain_pem, key_ciphertext, key_nonce, key_id,
                                          key_binding, not_before, not_after, issuer, serial, ari_cert_id)
                VALUES (\(newID), NULL, \(host), \(chainPEM), \(PostgresBytes(sealedKey.ciphertext)),
                        \(PostgresBytes(sealedKey.nonce)), \(sealedKey.keyID), \(sealed.binding), \(leaf.notBefore),
                        \(leaf.notAfter), \(leaf.issuerDescription), \(leaf.serialHex), \(leaf.ariCertID?.description))
                """
            )
            try connection.execute(
                """
                INSERT INTO platform_hosts (host, renew_after, updated_at) VALUES (\(host), \(renewAfter), \(now))
                ON CONFLICT (host) DO UPDATE SET renew_after = excluded.renew_after, last_error = NULL,
                    last_error_at = NULL, updated_at = excluded.updated_at
                """
            )
            try ChangeLogRepository.append(on: connection, host: host, kind: .certificate, at: now)
        }
    }

    /// Records why the last attempt failed.
    package func recordFailure(host: String, error: String, at now: Date) throws {
        try pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO platform_hosts (host, last_error, last_error_at, updated_at)
                VALUES (\(host), \(String(error.prefix(1000))), \(now), \(now))
                ON CONFLICT (host) DO UPDATE SET last_error = excluded.last_error,
                    last_error_at = excluded.last_error_at, updated_at = excluded.updated_at
                """
            )
        }
    }

    /// Queues the platform certificate job when `host` has no valid certificate or its renewal is due.
    /// - Returns: whether a job was queued.
    @discardableResult
    package func enqueueDue(host: String, at now: Date) throws -> Bool {
        try pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO jobs (kind, domain_id)
                SELECT \(JobKind.issuePlatformCertificate), NULL
                WHERE NOT EXISTS (
                    SELECT 1 FROM certificates c LEFT JOIN platform_hosts h ON h.host = c.host
                    WHERE c.host = \(host) AND c.domain_id IS NULL AND c.replaced_by IS NULL
                      AND c.not_after > \(now) AND (h.renew_after IS NULL OR h.renew_after > \(now))
                )
                ON CONFLICT DO NOTHING
                """
            ) > 0
        }
    }
}
