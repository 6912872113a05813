package import Crypto
package import Foundation
import Logging

// MARK: - Orders, authorizations, challenges, finalize, download (RFC 8555 §7.4, §7.5)

extension ACMEClient {
    private struct NewOrderPayload: Encodable {
        var identifiers: [ACMEIdentifier]
        var replaces: String?
    }

    private struct FinalizePayload: Encodable {
        var csr: String
    }

    /// An empty JSON object, the http-01 challenge response (§7.5.1, erratum 5729).
    private struct EmptyObject: Encodable {}

    /// Creates an order for `domains` (`dns` identifiers).
    ///
    /// - Parameters:
    ///   - domains: The names, e.g. `["mta-sts.example.com"]`.
    ///   - replaces: The ARI certificate ID of the certificate being renewed; sent only when the directory offers
    ///     `renewalInfo` (RFC 9773 §5).
    /// - Returns: The order URL and object.
    package func newOrder(for domains: [String], replaces: ARICertID? = nil) throws -> ACMEOrderHandle {
        guard !domains.isEmpty else {
            throw ACMEError(.invalidConfiguration, "an order needs at least one domain")
        }
        let directory = try directory()
        let payload = NewOrderPayload(
            identifiers: domains.map(ACMEIdentifier.dns),
            replaces: directory.renewalInfo == nil ? nil : replaces?.description
        )
        let response = try post(
            url: directory.newOrder,
            payload: try ACMEJSON.encode(payload),
            signer: .account(try accountURL())
        )
        let url = try location(of: response, what: "newOrder")
        let order = try ACMEJSON.decode(ACMEOrder.self, from: response.body, what: "order")
        logger.info("ACME order created", ["order": url, "domains": domains.joined(separator: ",")])
        return ACMEOrderHandle(url: url, order: order)
    }

    /// Fetches an order (POST-as-GET) with its `Retry-After`.
    package func fetchOrder(at url: String) throws -> (order: ACMEOrder, retryAfter: Date?) {
        let response = try postAsGet(url: url)
        return (try ACMEJSON.decode(ACMEOrder.self, from: response.body, what: "order"), retryAfter(of: response))
    }

    /// Fetches an authorization (POST-as-GET) with its `Retry-After`.
    package func fetchAuthorization(at url: String) throws -> (authorization: ACMEAuthorization, retryAfter: Date?) {
        let response = try postAsGet(url: url)
        return (
            try ACMEJSON.decode(ACMEAuthorization.self, from: response.body, what: "authorization"),
            retryAfter(of: response)
        )
    }

    /// Tells the server the challenge is ready to validate: POST `{}` (§7.5.1).
    package func respondToChallenge(at url: String) throws -> (challenge: ACMEChallenge, retryAfter: Date?) {
        let response = try post(
            url: url,
            payload: try ACMEJSON.encode(EmptyObject()),
            signer: .account(try accountURL())
        )
        return (
            try ACMEJSON.decode(ACMEChallenge.self, from: response.body, what: "challenge"), retryAfter(of: response)
        )
    }

    /// Finalizes a ready order with a DER CSR, sent as unpadded base64url (§7.4).
    ///
    /// - Throws: ``ACMEError/Code/problem`` with `orderNotReady` when the order is not ready, `badCSR` when the
    ///   CSR does not match the order.
    package func finalizeOrder(at finalizeURL: String, csr: [UInt8]) throws -> (order: ACMEOrder, retryAfter: Date?) {
        let payload = try ACMEJSON.encode(FinalizePayload(csr: Base64URL.encode(csr)))
        let response = try post(url: finalizeURL, payload: payload, signer: .account(try accountURL()))
        return (try ACMEJSON.decode(ACMEOrder.self, from: response.body, what: "order"), retryAfter(of: response))
    }

    /// Downloads the certificate chain (POST-as-GET with `Accept: application/pem-certificate-chain`, §7.4.2).
    ///
    /// - Returns: The PEM text, leaf first.
    /// - Throws: ``ACMEError/Code/invalidResponse`` when the body holds no PEM certificate.
    package func downloadCertificateChain(at url: String) throws -> String {
        let response = try postAsGet(url: url, accept: "application/pem-certificate-chain")
        let pem = String(decoding: response.body, as: UTF8.self)
        guard pem.contains("-----BEGIN CERTIFICATE-----") else {
            throw ACMEError(
                .invalidResponse,
                "certificate download returned no PEM certificate",
                status: response.status
            )
        }
        return pem
    }
}
