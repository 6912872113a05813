package import Crypto
package import Foundation
package import Logging
package import Store

/// Finds current certificates whose private key the worker's master keys cannot decrypt, and makes their
/// domains due for a new certificate.
///
/// Such a key is gone for good (the master key that sealed it is lost, or the row was altered): no edge can
/// serve the certificate, so waiting for its renewal time would leave the host without TLS for weeks. The
/// scheduler runs the audit at start and every ``WorkerService/Configuration/keyAuditInterval``; each
/// certificate it makes due is logged once at error level with its host and key id.
package struct CertificateKeyAudit: Sendable {
    private let store: DataStore
    private let keyring: Keyring
    private let logger: Logger

    /// - Parameters:
    ///   - keyring: the worker's master keys (the ones it seals new certificates with).
    package init(store: DataStore, keyring: Keyring, logger: Logger) {
        self.store = store
        self.keyring = keyring
        self.logger = logger
    }

    /// Decrypts every current certificate's key once, in batches.
    /// - Returns: how many domains were made due.
    /// - Throws: store errors.
    @discardableResult
    package func run(at now: Date = Date()) throws -> Int {
        var scheduled = 0
        try store.secrets.forEach(of: .certificateKey) { secret in
            let condition = secret.sealed.condition(under: keyring)
            guard !condition.isReadable,
                try store.certificates.scheduleReissue(certificateID: secret.rowID, at: now)
            else { return }
            scheduled += 1
            logger.error(
                "cannot decrypt the certificate key; issuing a new certificate",
                [
                    "host": secret.sealed.owner.label, "key_id": secret.sealed.value.keyID,
                    "reason": condition.rawValue, "certificate_id": secret.rowID.uuidString.lowercased(),
                ]
            )
        }
        return scheduled
    }
}
