package import Crypto
package import Database
package import Foundation
import Store

/// The worker's SQL for certificates: domain lookups, per-domain state, and storing issued certificates.
package struct CertificateRepository: Sendable {
    /// A domain as the worker needs it.
    package struct Domain: Sendable {
        package let id: UUID
        package let name: String
        package let status: String
        package var host: String { "mta-sts." + name }
    }

    /// The current certificate of a domain, if any.
    package struct Current: Sendable {
        package let id: UUID
        package let notAfter: Date
        package let renewAfter: Date?
    }

    package let pool: PostgresPool

    package init(pool: PostgresPool) {
        self.pool = pool
    }

    package func domain(id: UUID) throws -> Domain? {
        try pool.withConnection { connection in
            try connection.query("SELECT id, name, status FROM domains WHERE id = \(id)").first.map { row in
                let (id, name, status) = try row.decode((UUID, String, String).self)
                return Domain(id: id, name: name, status: status)
            }
        }
    }

    package func current(domainID: UUID) throws -> Current? {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT c.id, c.not_after, s.renew_after FROM certificates c
                LEFT JOIN certificate_states s ON s.domain_id = c.domain_id
                WHERE c.domain_id = \(domainID) AND c.replaced_by IS NULL AND c.not_after > now()
                """
            ).first.map { row in
                let (id, notAfter, renewAfter) = try row.decode((UUID, Date, Date?).self)
                return Current(id: id, notAfter: notAfter, renewAfter: renewAfter)
            }
        }
    }

    /// Records the state shown to tenants (`GET /v1/domains/{name}/certificate`).
    package func setState(
        domainID: UUID,
        status: String,
        error: String?,
        renewAfter: Date? = nil,
        orderURL: String? = nil
    ) throws {
        try pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO certificate_states (domain_id, status, last_error, last_error_at, renew_after, order_url, updated_at)
                VALUES (\(domainID), \(status), \(error), \(unsafeSQL: error == nil ? "NULL" : "now()"), \(renewAfter),
                        \(orderURL), now())
                ON CONFLICT (domain_id) DO UPDATE SET
                    status = excluded.status,
                    last_error = coalesce(excluded.last_error, CASE WHEN excluded.status = 'issued' THEN NULL
                                                                    ELSE certificate_states.last_error END),
                    last_error_at = coalesce(excluded.last_error_at, CASE WHEN excluded.status = 'issued' THEN NULL
                                                                          ELSE certificate_states.last_error_at END),
                    renew_after = coalesce(excluded.renew_after, certificate_states.renew_after),
                    order_url = excluded.order_url,
                    updated_at = now()
                """
            )
        }
    }

    /// The order a previous (perhaps killed) attempt left behind.
    package func pendingOrderURL(domainID: UUID) throws -> String? {
        try pool.withConnection { connection in
            try connection.query("SELECT order_url FROM certificate_states WHERE domain_id = \(domainID)").first?
                .decode(String?.self, at: 0)
        }
    }

    /// Stores a new certificate as the host's current one, replacing the previous, and tells the edges.
    package func store(
        domain: Domain,
        chainPEM: String,
        key: P256PrivateKey,
        keyring: Keyring,
        renewAfter: Date
    ) throws -> X509Certificate {
        let chain = try X509Certificate.chain(fromPEM: chainPEM)
        guard let leaf = chain.first, leaf.matchesPrivateKey(key) else {
            throw CertificateLifecycleError("the downloaded certificate does not match its private key")
        }
        let sealed = try keyring.encrypt(Array(try key.pemRepresentation.utf8))
        let newID = UUID()
        try pool.withTransaction { connection in
            // The FK is deferred, so the old row can point at the new one before it exists.
            try connection.execute(
                "UPDATE certificates SET replaced_by = \(newID) WHERE host = \(domain.host) AND replaced_by IS NULL"
            )
            try connection.execute(
                """
                INSERT INTO certificates (id, domain_id, host, chain_pem, key_ciphertext, key_nonce, key_id,
                                          not_before, not_after, issuer, serial, ari_cert_id)
                VALUES (\(newID), \(domain.id), \(domain.host), \(chainPEM), \(PostgresBytes(sealed.ciphertext)),
                        \(PostgresBytes(sealed.nonce)), \(sealed.keyID), \(leaf.notBefore), \(leaf.notAfter),
                        \(leaf.issuerDescription), \(leaf.serialHex), \(leaf.ariCertID?.description))
                """
            )
            try connection.execute(
                """
                INSERT INTO certificate_states (domain_id, status, renew_after, updated_at)
                VALUES (\(domain.id), 'issued', \(renewAfter), now())
                ON CONFLICT (domain_id) DO UPDATE SET status = 'issued', last_error = NULL, last_error_at = NULL,
                    renew_after = excluded.renew_after, order_url = NULL, updated_at = now()
                """
            )
            try ChangeLogRepository.append(on: connection, host: domain.host, kind: "certificate")
        }
        return leaf
    }

    // MARK: - Scheduling

    /// Queues issuance for served domains without a valid certificate, and renewal for those due.
    @discardableResult
    package func enqueueDueWork() throws -> Int {
        try pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO jobs (kind, domain_id)
                SELECT 'issue_certificate', d.id FROM domains d
                LEFT JOIN certificate_states s ON s.domain_id = d.id
                WHERE d.status IN ('verified', 'offboarding')
                  AND (NOT EXISTS (SELECT 1 FROM certificates c
                                   WHERE c.domain_id = d.id AND c.replaced_by IS NULL AND c.not_after > now())
                       OR s.renew_after <= now())
                ON CONFLICT DO NOTHING
                """
            )
        }
    }

    /// Marks domains that are no longer served (deleted, lost verification) as stopped.
    package func stopUnservedDomains() throws {
        try pool.withConnection { connection in
            try connection.execute(
                """
                UPDATE certificate_states s SET status = 'stopped', renew_after = NULL, order_url = NULL, updated_at = now()
                FROM domains d
                WHERE d.id = s.domain_id AND d.status NOT IN ('verified', 'offboarding') AND s.status <> 'stopped'
                """
            )
        }
    }

    /// Deletes expired challenges and old change-log and rate-limit rows.
    package func cleanUp() throws {
        try pool.withConnection { connection in
            try connection.execute("DELETE FROM acme_challenges WHERE expires_at < now()")
            try connection.execute("DELETE FROM changes WHERE at < now() - interval '2 days'")
            try connection.execute("DELETE FROM rate_limit_hits WHERE at < now() - interval '1 day'")
        }
    }
}

/// A certificate lifecycle step failed in a way that is not the CA's doing.
package struct CertificateLifecycleError: Error, CustomStringConvertible {
    package let description: String

    package init(_ description: String) {
        self.description = description
    }
}
