import Crypto
import Foundation
import Logging

// MARK: - Signed requests, nonces and problem documents

extension ACMEClient {
    /// Which key identification a signed request carries (§6.2).
    enum Signer {
        /// Embed the account's public key: newAccount only.
        case jwk
        /// `kid` = the account URL: everything else.
        case account(String)
    }

    /// Sends a request with the client's `User-Agent`, recording any `Replay-Nonce` of the response (§7.2).
    ///
    /// - Throws: ``ACMEError/Code/transport`` when the transport throws.
    func send(_ request: ACMEHTTPRequest) throws -> ACMEHTTPResponse {
        var request = request
        request.headers.replace("User-Agent", with: configuration.userAgent)
        request.headers.replace("Accept-Language", with: "en")
        let response: ACMEHTTPResponse
        do {
            response = try transport.send(request)
        } catch let error as ACMEError {
            throw error
        } catch {
            throw ACMEError(.transport, "\(request.method) \(request.url) failed", underlying: error)
        }
        return response
    }

    /// A nonce from the pool, or a fresh one from HEAD newNonce (§7.2).
    func nextNonce() throws -> String {
        if let nonce = nonces.take() {
            return nonce
        }
        let directory = try directory()
        let response = try send(ACMEHTTPRequest(method: .head, url: directory.newNonce))
        guard response.isSuccess, let nonce = response.headers["Replay-Nonce"], !nonce.isEmpty else {
            throw ACMEError(.invalidResponse, "newNonce returned no Replay-Nonce", status: response.status)
        }
        return nonce
    }

    /// POSTs a JWS over `payload` to `url` and returns the successful response.
    ///
    /// A `badNonce` rejection is retried once with the nonce from the error response, as §6.5 requires; a
    /// second `badNonce` is thrown. Every response's `Replay-Nonce` feeds the pool.
    ///
    /// - Parameters:
    ///   - url: The exact URL, also put in the protected header.
    ///   - payload: The payload bytes; empty for POST-as-GET (§6.3).
    ///   - signer: `jwk` or the account URL.
    ///   - accept: An `Accept` header, e.g. `application/pem-certificate-chain`.
    /// - Throws: ``ACMEError/Code/problem`` with the server's problem document for an error status.
    func post(url: String, payload: [UInt8], signer: Signer, accept: String? = nil) throws -> ACMEHTTPResponse {
        var nonce = try nextNonce()
        var attempt = 0
        while true {
            attempt += 1
            let key: JWSProtectedHeader.KeyIdentification
            switch signer {
            case .jwk: key = .jwk(JSONWebKey(publicKey: accountKey.publicKey))
            case .account(let accountURL): key = .accountURL(accountURL)
            }
            let header = JWSProtectedHeader(algorithm: .es256, key: key, nonce: nonce, url: url)
            let jws = try JWS.sign(header: header, payload: payload, key: accountKey)
            var headers: ACMEHTTPHeaders = ["Content-Type": "application/jose+json"]
            if let accept { headers.append("Accept", accept) }
            let response = try send(
                ACMEHTTPRequest(method: .post, url: url, headers: headers, body: try jws.serialized())
            )
            let replayNonce = response.headers["Replay-Nonce"].flatMap { $0.isEmpty ? nil : $0 }
            if response.isSuccess {
                if let replayNonce { nonces.add(replayNonce) }
                return response
            }
            let error = makeError(from: response, what: "POST \(url)")
            if error.problemType == .badNonce, attempt == 1 {
                // §6.5: retry once, with the nonce from the error response itself when it carries one.
                logger.debug("badNonce, retrying once", ["url": url])
                nonce = try replayNonce ?? nextNonce()
                continue
            }
            if let replayNonce { nonces.add(replayNonce) }
            throw error
        }
    }

    /// POST-as-GET (§6.3): a signed POST with an empty payload, authenticated with the account URL.
    func postAsGet(url: String, accept: String? = nil) throws -> ACMEHTTPResponse {
        try post(url: url, payload: [], signer: .account(try accountURL()), accept: accept)
    }

    /// Throws the response as an ``ACMEError`` unless it is 2xx.
    func requireSuccess(_ response: ACMEHTTPResponse, what: String) throws {
        guard response.isSuccess else {
            throw makeError(from: response, what: what)
        }
    }

    /// The error for a failed response: its problem document when there is one (§6.7), with `Retry-After`.
    func makeError(from response: ACMEHTTPResponse, what: String) -> ACMEError {
        let retryAfter = RetryAfter.date(from: response.headers["Retry-After"], now: clock.now())
        let problem = try? ACMEJSON.decode(ACMEProblem.self, from: response.body, what: "problem document")
        if let problem {
            return ACMEError(
                .problem,
                "\(what) was rejected",
                problem: problem,
                status: response.status,
                retryAfter: retryAfter
            )
        }
        return ACMEError(
            .invalidResponse,
            "\(what) failed with HTTP \(response.status) and no problem document",
            status: response.status,
            retryAfter: retryAfter
        )
    }

    /// The `Location` header of a creating response.
    func location(of response: ACMEHTTPResponse, what: String) throws -> String {
        guard let location = response.headers["Location"], !location.isEmpty else {
            throw ACMEError(.invalidResponse, "\(what) response has no Location header", status: response.status)
        }
        return location
    }

    /// The `Retry-After` instant of a response, if any.
    func retryAfter(of response: ACMEHTTPResponse) -> Date? {
        RetryAfter.date(from: response.headers["Retry-After"], now: clock.now())
    }
}
