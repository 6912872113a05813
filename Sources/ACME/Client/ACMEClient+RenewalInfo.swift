package import Crypto

// MARK: - ACME Renewal Information (RFC 9773)

extension ACMEClient {
    /// Fetches the renewal window of a certificate: unauthenticated GET `{renewalInfo}/{certID}` (§4.2).
    ///
    /// - Returns: The window and next check time; `nil` when the directory offers no `renewalInfo` or the
    ///   response is invalid (malformed, `end <= start`), which callers treat as "no ARI".
    /// - Throws: ``ACMEError`` for transport failures and error statuses (the worker backs off).
    package func renewalInfo(for certID: ARICertID) throws -> ACMERenewalInfo? {
        guard let url = try directory().renewalInfoURL(for: certID.description) else {
            return nil
        }
        let response = try send(ACMEHTTPRequest(method: .get, url: url))
        try requireSuccess(response, what: "renewalInfo")
        return ACMERenewalInfo(json: response.body, retryAfterHeader: response.headers["Retry-After"], now: clock.now())
    }
}
