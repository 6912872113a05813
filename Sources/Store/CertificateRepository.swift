package import Crypto
import Database
package import Foundation

/// A host's current certificate, as the worker needs it to decide about renewal.
package struct CurrentCertificateRecord: Sendable, Hashable {
    package var id: UUID
    package var notAfter: Date
    /// When the worker planned to renew it (ARI or a third of the lifetime before expiry).
    package var renewAfter: Date?
}

/// SQL for `certificates` and `certificate_states`: the worker's view of each served domain's certificate,
/// storing issued certificates (which tells the edges), and queueing the work that keeps them valid.
package struct CertificateRepository: Sendable {
    let pool: PostgresPool

    /// The domain if it is served now (the `served_domains` rule); nil when it is not, or does not exist.
    package func servedDomain(id: UUID, at now: Date = Date()) throws -> DomainRecord? {
        try pool.withConnection { connection in
            try connection.query(
                "SELECT \(unsafeSQL: DomainRepository.columns) FROM served_domains(\(now)) WHERE id = \(id)"
            ).first.map(DomainRepository.decode)
        }
    }

    /// The domain's current certificate while it is still valid.
    package func current(domainID: UUID, at now: Date = Date()) throws -> CurrentCertificateRecord? {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT c.id, c.not_after, s.renew_after FROM certificates c
                LEFT JOIN certificate_states s ON s.domain_id = c.domain_id
                WHERE c.domain_id = \(domainID) AND c.replaced_by IS NULL AND c.not_after > \(now)
                """
            ).first.map { row in
                let (id, notAfter, renewAfter) = try row.decode((UUID, Date, Date?).self)
                return CurrentCertificateRecord(id: id, notAfter: notAfter, renewAfter: renewAfter)
            }
        }
    }

    /// The worker's state for a domain with the current certificate of `host`, for
    /// `GET /v1/domains/{name}/certificate`.
    /// - Returns: nil when the worker has not looked at the domain yet.
    package func state(domainID: UUID, host: String) throws -> CertificateStateRecord? {
        try pool.withConnection { connection in
            let rows = try connection.query(
                """
                SELECT s.status, s.last_error, s.last_error_at, s.renew_after, s.updated_at,
                       c.not_before, c.not_after, c.issuer
                FROM certificate_states s
                LEFT JOIN certificates c ON c.domain_id = s.domain_id AND c.host = \(host) AND c.replaced_by IS NULL
                WHERE s.domain_id = \(domainID)
                """
            )
            guard let row = rows.first else { return nil }
            let (status, error, errorAt, renewAfter, updatedAt, notBefore, notAfter, issuer) = try row.decode(
                (CertificateStatus, String?, Date?, Date?, Date, Date?, Date?, String?).self
            )
            return CertificateStateRecord(
                status: status,
                lastError: error,
                lastErrorAt: errorAt,
                renewAfter: renewAfter,
                updatedAt: updatedAt,
                notBefore: notBefore,
                notAfter: notAfter,
                issuer: issuer
            )
        }
    }

    /// The worker's state of each of `domainIDs` with its current certificate (one query for a page).
    package func states(domainIDs: [UUID]) throws -> [UUID: CertificateStateRecord] {
        guard !domainIDs.isEmpty else { return [:] }
        return try pool.withConnection { connection in
            var states: [UUID: CertificateStateRecord] = [:]
            for row in try connection.query(
                """
                SELECT s.domain_id, s.status, s.last_error, s.last_error_at, s.renew_after, s.updated_at,
                       c.not_before, c.not_after, c.issuer
                FROM certificate_states s
                LEFT JOIN certificates c ON c.domain_id = s.domain_id AND c.replaced_by IS NULL
                WHERE s.domain_id = ANY(\(PostgresUUIDArray(domainIDs)))
                """
            ) {
                let (domainID, status, error, errorAt, renewAfter, updatedAt, notBefore, notAfter, issuer) =
                    try row.decode((UUID, CertificateStatus, String?, Date?, Date?, Date, Date?, Date?, String?).self)
                states[domainID] = CertificateStateRecord(
                    status: status,
                    lastError: error,
                    lastErrorAt: errorAt,
                    renewAfter: renewAfter,
                    updatedAt: updatedAt,
                    notBefore: notBefore,
                    notAfter: notAfter,
                    issuer: issuer
                )
            }
            return states
        }
    }

    /// Records the state shown to tenants. An `error` is kept until the next `issued`; `renewAfter` is kept
    /// when nil is passed.
    package func setState(
        domainID: UUID,
        status: CertificateStatus,
        error: String?,
        renewAfter: Date? = nil,
        orderURL: String? = nil
    ) throws {
        let issued = CertificateStatus.issued
        try pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO certificate_states
                    (domain_id, status, last_error, last_error_at, renew_after, order_url, updated_at)
                VALUES (\(domainID), \(status), \(error), CASE WHEN \(error) IS NULL THEN NULL ELSE now() END,
                        \(renewAfter), \(orderURL), now())
                ON CONFLICT (domain_id) DO UPDATE SET
                    status = excluded.status,
                    last_error = coalesce(excluded.last_error, CASE WHEN excluded.status = \(issued) THEN NULL
                                                                    ELSE certificate_states.last_error END),
                    last_error_at = coalesce(excluded.last_error_at, CASE WHEN excluded.status = \(issued) THEN NULL
                                                                          ELSE certificate_states.last_error_at END),
                    renew_after = coalesce(excluded.renew_after, certificate_states.renew_after),
                    order_url = excluded.order_url,
                    updated_at = now()
                """
            )
        }
    }

    /// Records a failed order: the count of failures in a row grows, and at `limit` the domain waits for its
    /// tenant instead of being retried.
    /// - Returns: whether the worker now stops ordering for the domain.
    package func recordFailedOrder(domainID: UUID, error: String, limit: Int) throws -> Bool {
        try pool.withConnection { connection in
            let rows = try connection.query(
                """
                INSERT INTO certificate_states (domain_id, status, last_error, last_error_at, failed_orders, updated_at)
                VALUES (\(domainID), CASE WHEN \(limit) <= 1 THEN \(CertificateStatus.waitingForTenant)
                                         ELSE \(CertificateStatus.failed) END, \(error), now(), 1, now())
                ON CONFLICT (domain_id) DO UPDATE SET
                    failed_orders = certificate_states.failed_orders + 1, last_error = excluded.last_error,
                    last_error_at = now(), order_url = NULL, updated_at = now(),
                    status = CASE WHEN certificate_states.failed_orders + 1 >= \(limit)
                                  THEN \(CertificateStatus.waitingForTenant) ELSE \(CertificateStatus.failed) END
                RETURNING status
                """
            )
            return try AccountRepository.single(rows).decode(CertificateStatus.self, at: 0) == .waitingForTenant
        }
    }

    /// The tenant asks for certificates again after the worker gave up: the failure count starts over.
    /// - Returns: whether the domain was waiting for its tenant.
    package func resumeOrdering(domainID: UUID) throws -> Bool {
        try pool.withConnection { connection in
            try connection.execute(
                """
                UPDATE certificate_states SET status = \(CertificateStatus.failed), failed_orders = 0, updated_at = now()
                WHERE domain_id = \(domainID) AND status = \(CertificateStatus.waitingForTenant)
                """
            ) == 1
        }
    }

    /// The order a previous (perhaps killed) attempt left behind.
    package func pendingOrderURL(domainID: UUID) throws -> String? {
        try pool.withConnection { connection in
            try connection.query("SELECT order_url FROM certificate_states WHERE domain_id = \(domainID)").first?
                .decode(String?.self, at: 0)
        }
    }

    /// Stores `leaf` (with its chain and sealed key) as the host's current certificate, replacing the
    /// previous one, marks the domain `issued`, and tells the edges, in one transaction.
    /// - Parameters:
    ///   - chainPEM: the leaf followed by its intermediates, as served.
    ///   - privateKeyPEM: the private key; only its ciphertext is stored, sealed with the keyring's current key
    ///     and bound to the new row (``SecretOwner/certificateKey(id:host:)``).
    ///   - audit: the audit entry of the issuance, written in the same transaction.
    package func store(
        domainID: UUID,
        host: String,
        chainPEM: String,
        leaf: X509Certificate,
        privateKeyPEM: String,
        keyring: Keyring,
        renewAfter: Date,
        audit: AuditEntry? = nil
    ) throws {
        let newID = UUID()
        let sealed = try SealedSecret.seal(
            Array(privateKeyPEM.utf8),
            for: .certificateKey(id: newID, host: host),
            with: keyring
        )
        let sealedKey = sealed.value
        try pool.withTransaction { connection in
            // The FK is deferred, so the old row can point at the new one before it exists.
            try connection.execute(
                "UPDATE certificates SET replaced_by = \(newID) WHERE host = \(host) AND replaced_by IS NULL"
            )
            try connection.execute(
                """
                INSERT INTO certificates (id, domain_id, host, chain_pem, key_ciphertext, key_nonce, key_id,
                                          key_binding, not_before, not_after, issuer, serial, ari_cert_id)
                VALUES (\(newID), \(domainID), \(host), \(chainPEM), \(PostgresBytes(sealedKey.ciphertext)),
                        \(PostgresBytes(sealedKey.nonce)), \(sealedKey.keyID), \(sealed.binding), \(leaf.notBefore),
                        \(leaf.notAfter), \(leaf.issuerDescription), \(leaf.serialHex), \(leaf.ariCertID?.description))
                """
            )
            try connection.execute(
                """
                INSERT INTO certificate_states (domain_id, status, renew_after, updated_at)
                VALUES (\(domainID), \(CertificateStatus.issued), \(renewAfter), now())
                ON CONFLICT (domain_id) DO UPDATE SET status = excluded.status, last_error = NULL,
                    last_error_at = NULL, renew_after = excluded.renew_after, order_url = NULL, failed_orders = 0,
                    updated_at = now()
                """
            )
            try ChangeLogRepository.append(on: connection, host: host, kind: .certificate)
            if let audit { try AuditLogRepository.insert(audit, on: connection) }
        }
    }

    // MARK: - Scheduling

    /// Queues issuance for served domains without a valid certificate, and renewal for those due.
    /// - Returns: how many jobs were queued.
    @discardableResult
    package func enqueueDueWork(at now: Date = Date()) throws -> Int {
        try pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO jobs (kind, domain_id)
                SELECT \(JobKind.issueCertificate), d.id FROM served_domains(\(now)) d
                LEFT JOIN certificate_states s ON s.domain_id = d.id
                WHERE (NOT EXISTS (SELECT 1 FROM certificates c
                                   WHERE c.domain_id = d.id AND c.replaced_by IS NULL AND c.not_after > \(now))
                       OR s.renew_after <= \(now))
                  AND s.status IS DISTINCT FROM \(CertificateStatus.waitingForTenant)
                ON CONFLICT DO NOTHING
                """
            )
        }
    }

    /// Marks the certificate state of domains no longer served (deleted, offboarding finished) `stopped`.
    package func stopUnservedDomains(at now: Date = Date()) throws {
        try pool.withConnection { connection in
            try connection.execute(
                """
                UPDATE certificate_states s
                SET status = \(CertificateStatus.stopped), renew_after = NULL, order_url = NULL, updated_at = now()
                WHERE s.status <> \(CertificateStatus.stopped)
                  AND s.domain_id NOT IN (SELECT id FROM served_domains(\(now)))
                """
            )
        }
    }
}
