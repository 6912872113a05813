import Database
package import Foundation

extension Store {
    /// The worker's certificate state for a domain, with the current certificate's validity if one exists.
    /// - Returns: nil when the worker has not looked at the domain yet.
    package func certificateState(domainID: UUID, host: String) throws -> CertificateStateRecord? {
        try pool.withConnection { connection in
            let rows = try connection.query(
                """
                SELECT s.status, s.last_error, s.last_error_at, s.renew_after, s.updated_at, c.not_before, c.not_after, c.issuer
                FROM certificate_states s
                LEFT JOIN certificates c ON c.domain_id = s.domain_id AND c.host = \(host) AND c.replaced_by IS NULL
                WHERE s.domain_id = \(domainID)
                """
            )
            guard let row = rows.first else { return nil }
            let (status, error, errorAt, renewAfter, updatedAt, notBefore, notAfter, issuer) = try row.decode(
                (String, String?, Date?, Date?, Date, Date?, Date?, String?).self
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
}
