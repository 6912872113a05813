import Database
package import Foundation

extension CertificateRepository {
    /// Makes the domain of current certificate `certificateID` (or the platform host, for the platform's own
    /// certificate) due for a new certificate at `now`, because the certificate's private key cannot be
    /// decrypted: nothing can serve it, so waiting for its renewal time would leave the host without TLS until
    /// then. The scheduler's next pass queues the issuance.
    /// - Returns: whether the domain was made due now; false when it already was, when the certificate is no
    ///   longer current, or when its domain is no longer served.
    package func scheduleReissue(certificateID: UUID, at now: Date = Date()) throws -> Bool {
        try pool.withConnection { connection in
            let tenants = try connection.execute(
                """
                UPDATE certificate_states s SET renew_after = \(now), updated_at = now()
                FROM certificates c
                WHERE c.id = \(certificateID) AND c.replaced_by IS NULL AND s.domain_id = c.domain_id
                  AND c.domain_id IN (SELECT id FROM served_domains(\(now)))
                  AND (s.renew_after IS NULL OR s.renew_after > \(now))
                """
            )
            let platform = try connection.execute(
                """
                UPDATE platform_hosts h SET renew_after = \(now), updated_at = \(now)
                FROM certificates c
                WHERE c.id = \(certificateID) AND c.replaced_by IS NULL AND c.domain_id IS NULL AND h.host = c.host
                  AND (h.renew_after IS NULL OR h.renew_after > \(now))
                """
            )
            return tenants + platform == 1
        }
    }
}
