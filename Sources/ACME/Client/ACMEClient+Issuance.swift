package import Crypto
import Foundation
import Logging

// MARK: - Driving an order to a certificate

extension ACMEClient {
    /// Issues a certificate for `domains` with a fresh P-256 key: newOrder, then ``completeOrder(at:certificateKey:publisher:)``.
    ///
    /// - Parameters:
    ///   - domains: The names, e.g. `["mta-sts.example.com"]`.
    ///   - replacing: The ARI certificate ID of the predecessor, sent as `replaces` when the CA offers ARI.
    ///   - publisher: Serves the http-01 key authorizations.
    /// - Returns: The chain and its new private key.
    /// - Throws: ``ACMEError``: the server's problem, a failed authorization with the challenge's error, a timeout.
    package func issueCertificate(
        for domains: [String],
        replacing: ARICertID? = nil,
        publisher: any ChallengePublisher
    ) throws -> ACMEIssuedCertificate {
        let certificateKey: P256PrivateKey
        do {
            certificateKey = try P256PrivateKey.generate()
        } catch {
            throw ACMEError(.cryptography, "cannot generate the certificate key", underlying: error)
        }
        let handle = try newOrder(for: domains, replaces: replacing)
        return try drive(handle, certificateKey: certificateKey, publisher: publisher)
    }

    /// Resumes (or continues) the order at `orderURL` until its certificate is downloaded.
    ///
    /// A worker persists the order URL and the (encrypted) certificate key before calling this, so a worker
    /// killed mid-order calls it again with the same values and carries on from whatever state the CA reports.
    ///
    /// - Throws: ``ACMEError/Code/invalidConfiguration`` when `certificateKey` is the account key (§11.1).
    package func completeOrder(
        at orderURL: String,
        certificateKey: P256PrivateKey,
        publisher: any ChallengePublisher
    ) throws -> ACMEIssuedCertificate {
        try checkIsNotAccountKey(certificateKey)
        let (order, _) = try fetchOrder(at: orderURL)
        return try drive(
            ACMEOrderHandle(url: orderURL, order: order),
            certificateKey: certificateKey,
            publisher: publisher
        )
    }

    /// §11.1: the account key must never appear in a certificate.
    private func checkIsNotAccountKey(_ certificateKey: P256PrivateKey) throws {
        if certificateKey.publicKey.x == accountKey.publicKey.x, certificateKey.publicKey.y == accountKey.publicKey.y {
            throw ACMEError(.invalidConfiguration, "the account key must never be used as a certificate key")
        }
    }

    private func drive(
        _ handle: ACMEOrderHandle,
        certificateKey: P256PrivateKey,
        publisher: any ChallengePublisher
    ) throws -> ACMEIssuedCertificate {
        try checkIsNotAccountKey(certificateKey)
        let logger = self.logger.with(["order": handle.url])
        var machine = ACMEOrderStateMachine(
            orderURL: handle.url,
            accountThumbprint: accountThumbprint,
            policy: configuration.polling,
            now: clock.now()
        )
        var published: [ACMEChallengePublication] = []
        defer {
            for publication in published {
                do {
                    try publisher.unpublish(token: publication.token, host: publication.host)
                } catch {
                    logger.warning("cannot unpublish http-01 token", ["host": publication.host, "error": "\(error)"])
                }
            }
        }
        let names = handle.order.identifiers.map(\.value)
        var certificateChain: String?
        var action = machine.orderUpdated(handle.order, retryAfter: nil, now: clock.now())
        while true {
            switch action {
            case .fetchAuthorizations(let urls):
                var authorizations: [(url: String, authorization: ACMEAuthorization)] = []
                for url in urls {
                    authorizations.append((url, try fetchAuthorization(at: url).authorization))
                }
                action = machine.authorizationsFetched(authorizations, now: clock.now())
            case .publishChallenge(let publication):
                do {
                    try publisher.publish(
                        token: publication.token,
                        keyAuthorization: publication.keyAuthorization,
                        host: publication.host
                    )
                } catch {
                    throw ACMEError(
                        .challengePublication,
                        "cannot publish http-01 token for \(publication.host)",
                        underlying: error
                    )
                }
                published.append(publication)
                action = machine.challengePublished(now: clock.now())
            case .notifyChallenge(let url):
                let (challenge, retryAfter) = try respondToChallenge(at: url)
                action = machine.challengeNotified(challenge, retryAfter: retryAfter, now: clock.now())
            case .pollAuthorization(let url, let after):
                clock.sleep(until: after)
                let (authorization, retryAfter) = try fetchAuthorization(at: url)
                action = machine.authorizationPolled(authorization, retryAfter: retryAfter, now: clock.now())
            case .finalize(let url):
                let csr: [UInt8]
                do {
                    csr = try CertificateSigningRequest.make(dnsNames: names, key: certificateKey)
                } catch {
                    throw ACMEError(.cryptography, "cannot build the CSR", underlying: error)
                }
                do {
                    let (order, retryAfter) = try finalizeOrder(at: url, csr: csr)
                    action = machine.orderUpdated(order, retryAfter: retryAfter, now: clock.now())
                } catch let error as ACMEError where error.problemType == .orderNotReady {
                    logger.debug("finalize refused: order not ready")
                    action = machine.finalizeRejectedAsNotReady(now: clock.now())
                }
            case .pollOrder(let after):
                clock.sleep(until: after)
                let (order, retryAfter) = try fetchOrder(at: handle.url)
                action = machine.orderUpdated(order, retryAfter: retryAfter, now: clock.now())
            case .download(let url):
                certificateChain = try downloadCertificateChain(at: url)
                action = machine.certificateDownloaded()
            case .complete:
                guard let certificateChain else {
                    throw ACMEError(.invalidResponse, "order completed without a certificate")
                }
                logger.info("ACME certificate issued", ["domains": names.joined(separator: ",")])
                return ACMEIssuedCertificate(
                    orderURL: handle.url,
                    certificateChainPEM: certificateChain,
                    privateKey: certificateKey
                )
            case .fail(let failure):
                logger.warning("ACME order failed", ["reason": failure.description])
                throw failure.error
            }
        }
    }
}
